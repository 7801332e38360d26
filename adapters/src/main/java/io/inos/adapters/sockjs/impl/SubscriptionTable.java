package io.inos.adapters.sockjs.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node-local table of who listens where: address → subscribers, with ONE event-bus consumer per distinct
 * address, registered when the first subscriber comes and unregistered when the last one leaves. A message is
 * encoded into a frame once and the same frame goes to every subscriber, so a publish costs one encoding and one
 * cluster hop per node, not per client (the scale rule of the architecture guide).
 *
 * <p>The table lives on one context: every change runs there (callers on other event loops hop onto it), and so do
 * the consumers, which keeps consumer ownership away from any one socket's or verticle's context. The maps are
 * concurrent only so that the counters can be read from anywhere.
 */
public final class SubscriptionTable {

  private final Context context;
  private final EventBus bus;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** @param context where the consumers live and every change runs */
  public SubscriptionTable(Vertx vertx, Context context) {
    this.context = context;
    this.bus = vertx.eventBus();
  }

  /** Adds {@code subscriber} to {@code address}; completes when the address's consumer is registered. */
  public Future<Void> subscribe(String address, Subscriber subscriber) {
    return onContext(() -> {
      Entry entry = entries.get(address);
      if (entry == null) {
        entry = new Entry(address);
        entries.put(address, entry);
        Entry registered = entry;
        entry.ready.onFailure(err -> {
          if (entries.remove(address, registered)) {
            registered.consumer.unregister();
          }
        });
      }
      entry.subscribers.add(subscriber);
      return entry.ready;
    });
  }

  /** Removes {@code subscriber} from {@code address}; the last one out unregisters the consumer. */
  public Future<Void> unsubscribe(String address, Subscriber subscriber) {
    return onContext(() -> {
      Entry entry = entries.get(address);
      if (entry == null || !entry.subscribers.remove(subscriber) || !entry.subscribers.isEmpty()) {
        return Future.succeededFuture();
      }
      entries.remove(address);
      return entry.consumer.unregister();
    });
  }

  /** @return how many event-bus consumers the table holds (one per distinct address) */
  public int consumerCount() {
    return entries.size();
  }

  /** @return how many subscribers {@code address} has on this table */
  public int subscriberCount(String address) {
    Entry entry = entries.get(address);
    return entry == null ? 0 : entry.subscribers.size();
  }

  /** Unregisters every consumer and forgets every subscriber. */
  public Future<Void> close() {
    return onContext(() -> {
      List<Future<Void>> unregistrations = new ArrayList<>();
      for (Entry entry : entries.values()) {
        unregistrations.add(entry.consumer.unregister());
      }
      entries.clear();
      return Future.join(unregistrations).mapEmpty();
    });
  }

  private void deliver(Entry entry, Message<Object> message) {
    if (entry.subscribers.isEmpty()) {
      return;
    }
    String frame = Frames.delivery(entry.address, message.body(), message.headers());
    for (Subscriber subscriber : entry.subscribers) {
      subscriber.deliver(frame);
    }
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** One address: its consumer and its subscribers. */
  private final class Entry {
    final String address;
    final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    final MessageConsumer<Object> consumer;
    final Future<Void> ready;

    Entry(String address) {
      this.address = address;
      this.consumer = bus.consumer(address, message -> deliver(this, message));
      this.ready = consumer.completion();
    }
  }
}
