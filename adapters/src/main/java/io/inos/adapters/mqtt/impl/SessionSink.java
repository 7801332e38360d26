package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;

/**
 * The client end of a bridge session opened for an MQTT connection. The MQTT session it serves is known only once the
 * bridge has authenticated the connection (a resumed session or a new one), so it is set then; before that nothing is
 * subscribed and nothing arrives.
 */
final class SessionSink implements DeliverySink {

  private ClientSession owner;

  void owner(ClientSession session) {
    this.owner = session;
  }

  @Override
  public void deliver(Delivery delivery) {
    // MQTT sessions subscribe nothing through the bridge: the node's interest table hands events to the broker
  }

  @Override
  public void write(Object frame) {
    // the adapter writes its own packets directly to the connection
  }

  @Override
  public void notice(BridgeNotice notice) {
    // no subscription to revoke, no delivery to drop (see deliver)
  }

  @Override
  public boolean writable() {
    // the MQTT session bounds its own queue (maxQueuedMessages) and in-flight window
    return true;
  }

  @Override
  public void drainHandler(Runnable onDrain) {
  }

  @Override
  public void close(BridgeError reason, String message) {
    if (owner != null) {
      owner.onBridgeClosed(reason);
    }
  }
}
