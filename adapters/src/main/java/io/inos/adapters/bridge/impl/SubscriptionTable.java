package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node-local table of who listens where: address → sessions, with ONE event-bus consumer per distinct address,
 * registered when the first session comes and unregistered when the last one leaves (the scale rule of the
 * architecture guide). {@code consumer}, not {@code localConsumer}: when clustered, each node registers each address
 * once and a publish crosses the network once per interested node.
 *
 * <p>The table and its consumers live on one context; every change runs there. A message becomes one
 * {@link Delivery}, handed to the sessions of each event loop in one task on that event loop, so the writes use every
 * event loop and the encodings are shared.
 */
final class SubscriptionTable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionTable.class);
  private static final SessionImpl[] NONE = new SessionImpl[0];

  private final Context context;
  private final EventBus bus;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  /**
   * The last delivery made: the Nexus publishes an event at its type and then at its scope, one after the other, so
   * the second delivery can share the first one's JSON text.
   */
  private Delivery last;

  SubscriptionTable(Vertx vertx, Context context) {
    this.context = context;
    this.bus = vertx.eventBus();
  }

  /** Adds {@code session} at {@code address}; completes (on the table's context) when the consumer is registered. */
  Future<Void> subscribe(String address, SessionImpl session) {
    return onContext(() -> {
      Entry entry = entries.get(address);
      if (entry == null) {
        Entry created = new Entry(address);
        entries.put(address, created);
        created.ready.onFailure(err -> {
          if (entries.remove(address, created)) {
            created.consumer.unregister();
          }
        });
        entry = created;
      }
      entry.add(session);
      return entry.ready;
    });
  }

  /** Removes {@code session} from {@code address}; the last one out unregisters the consumer. */
  Future<Void> unsubscribe(String address, SessionImpl session) {
    return onContext(() -> {
      Entry entry = entries.get(address);
      if (entry == null || !entry.remove(session) || entry.count > 0) {
        return Future.succeededFuture();
      }
      entries.remove(address);
      return entry.consumer.unregister();
    });
  }

  /** @return how many event-bus consumers the table holds (one per distinct address) */
  int addressCount() {
    return entries.size();
  }

  /** @return how many sessions subscribe to {@code address} */
  int subscriberCount(String address) {
    Entry entry = entries.get(address);
    return entry == null ? 0 : entry.count;
  }

  /** Unregisters every consumer and forgets every session. */
  Future<Void> close() {
    return onContext(() -> {
      List<Future<Void>> unregistrations = new ArrayList<>();
      for (Entry entry : entries.values()) {
        unregistrations.add(entry.consumer.unregister());
      }
      entries.clear();
      last = null;
      return Future.join(unregistrations).mapEmpty();
    });
  }

  private void onMessage(Entry entry, Message<Object> message) {
    Object body = message.body();
    Delivery previous = last;
    Delivery delivery = previous != null && body != null && previous.body() == body
      ? previous.at(entry.address, message.headers())
      : Delivery.of(entry.address, body, message.headers());
    last = delivery;
    for (Group group : entry.groups.values()) {
      group.dispatch(delivery);
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

  /** One address: its consumer and its sessions, grouped by the context they run on. */
  private final class Entry {
    final String address;
    final Map<Context, Group> groups = new HashMap<>(4);
    final MessageConsumer<Object> consumer;
    final Future<Void> ready;
    volatile int count;

    Entry(String address) {
      this.address = address;
      this.consumer = bus.consumer(address, message -> onMessage(this, message));
      this.ready = consumer.completion();
    }

    void add(SessionImpl session) {
      if (groups.computeIfAbsent(session.context(), Group::new).add(session)) {
        count++;
      }
    }

    boolean remove(SessionImpl session) {
      Group group = groups.get(session.context());
      if (group == null || !group.remove(session)) {
        return false;
      }
      if (group.isEmpty()) {
        groups.remove(session.context());
      }
      count--;
      return true;
    }
  }

  /**
   * The sessions of one address on one context. Changed on the table's context only; a delivery takes an immutable
   * snapshot, made again only after a change, which the task on the sessions' context then walks.
   */
  private static final class Group {
    final Context context;
    final LinkedHashSet<SessionImpl> members = new LinkedHashSet<>();
    SessionImpl[] snapshot = NONE;
    boolean changed;

    Group(Context context) {
      this.context = context;
    }

    boolean add(SessionImpl session) {
      boolean added = members.add(session);
      changed |= added;
      return added;
    }

    boolean remove(SessionImpl session) {
      boolean removed = members.remove(session);
      changed |= removed;
      return removed;
    }

    boolean isEmpty() {
      return members.isEmpty();
    }

    void dispatch(Delivery delivery) {
      if (changed) {
        snapshot = members.toArray(NONE);
        changed = false;
      }
      SessionImpl[] sessions = snapshot;
      if (Vertx.currentContext() == context) {
        deliverAll(sessions, delivery);
      } else {
        context.runOnContext(v -> deliverAll(sessions, delivery));
      }
    }

    private static void deliverAll(SessionImpl[] sessions, Delivery delivery) {
      for (SessionImpl session : sessions) {
        try {
          session.offer(delivery);
        } catch (RuntimeException e) {
          // one broken sink must not keep the others from their deliveries
          LOG.warn("bridge: delivery at {} to session {} failed", delivery.address(), session.id(), e);
        }
      }
    }
  }
}
