package io.inos.adapters.grpc.impl;

import io.inos.nexus.Event;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Every event published on this node's event bus, for subscriptions the bus cannot address (type patterns): an
 * outbound interceptor, installed while someone listens, that passes on each {@link Event} published to its type
 * address. It sees what this node publishes only: the Nexus has no cluster-wide firehose address yet.
 *
 * <p>The interceptor runs on the publisher's thread, for every message: it only checks and hands over.
 */
public final class LocalEventTap implements Handler<DeliveryContext<Object>> {

  private final EventBus bus;
  private final Set<Consumer<Event>> listeners = new CopyOnWriteArraySet<>();
  private boolean installed;

  public LocalEventTap(EventBus bus) {
    this.bus = bus;
  }

  public synchronized void add(Consumer<Event> listener) {
    listeners.add(listener);
    if (!installed) {
      bus.addOutboundInterceptor(this);
      installed = true;
    }
  }

  public synchronized void remove(Consumer<Event> listener) {
    listeners.remove(listener);
    if (listeners.isEmpty() && installed) {
      bus.removeOutboundInterceptor(this);
      installed = false;
    }
  }

  @Override
  public void handle(DeliveryContext<Object> delivery) {
    try {
      // the Nexus publishes each event to its type address and again to its scope address: take the first only
      if (!delivery.send() && delivery.body() instanceof Event event
        && delivery.message().address().equals(event.type().toString())) {
        for (Consumer<Event> listener : listeners) {
          listener.accept(event);
        }
      }
    } finally {
      delivery.next();
    }
  }
}
