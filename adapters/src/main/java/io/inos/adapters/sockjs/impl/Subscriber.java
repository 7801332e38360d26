package io.inos.adapters.sockjs.impl;

/** A receiver of the {@link SubscriptionTable}: gets each delivery as a frame already encoded once for everyone. */
public interface Subscriber {

  /** Called on the table's context; must not block. */
  void deliver(String frame);
}
