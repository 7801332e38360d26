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
import java.util.Arrays;
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

  /**
   * @return when ({@link System#nanoTime()}) the consumer at {@code address} was registered; now when there is none
   * yet. On a clustered bus the other nodes learn of a consumer a moment after it was registered.
   */
  long registeredAt(String address) {
    Entry entry = entries.get(address);
    long at = entry == null ? 0 : entry.readyAt;
    return at == 0 ? System.nanoTime() : at;
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
    entry.dispatch(delivery);
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /**
   * One address: its consumer and its sessions, grouped by the context they run on. Most addresses (a user's own, a
   * small campaign) have one group, held in a field; a map only when sessions of several event loops listen.
   */
  private final class Entry {
    final String address;
    final MessageConsumer<Object> consumer;
    final Future<Void> ready;
    /** When the consumer was registered ({@link System#nanoTime()}); 0 until then. */
    volatile long readyAt;
    Group first;
    Map<Context, Group> others;
    volatile int count;

    Entry(String address) {
      this.address = address;
      this.consumer = bus.consumer(address, message -> onMessage(this, message));
      this.ready = consumer.completion().onSuccess(v -> readyAt = System.nanoTime());
    }

    void add(SessionImpl session) {
      if (group(session.context(), true).add(session)) {
        count++;
      }
    }

    boolean remove(SessionImpl session) {
      Group group = group(session.context(), false);
      if (group == null || !group.remove(session)) {
        return false;
      }
      if (group.isEmpty()) {
        if (group == first) {
          first = null;
          if (others != null && !others.isEmpty()) {
            // promote another group to the field, so an entry with groups never has an empty first
            Map.Entry<Context, Group> next = others.entrySet().iterator().next();
            others.remove(next.getKey());
            first = next.getValue();
          }
        } else {
          others.remove(session.context());
        }
      }
      count--;
      return true;
    }

    private Group group(Context context, boolean create) {
      if (first != null && first.context == context) {
        return first;
      }
      Group group = others == null ? null : others.get(context);
      if (group == null && create) {
        group = new Group(context);
        if (first == null) {
          first = group;
        } else {
          if (others == null) {
            others = new HashMap<>(4);
          }
          others.put(context, group);
        }
      }
      return group;
    }

    void dispatch(Delivery delivery) {
      if (first != null) {
        first.dispatch(delivery);
      }
      if (others != null) {
        for (Group group : others.values()) {
          group.dispatch(delivery);
        }
      }
    }
  }

  /**
   * The sessions of one address on one context. Changed on the table's context only; a delivery walks an immutable
   * array of them, on the sessions' context. Up to {@link #SMALL} sessions the array itself is the membership
   * (copied on each change, cheap at that size, and no set to keep per address); beyond, a set holds them and the
   * array is a snapshot made again after a change.
   */
  private static final class Group {
    static final int SMALL = 8;

    final Context context;
    SessionImpl[] snapshot = NONE;
    LinkedHashSet<SessionImpl> many;
    boolean changed;

    Group(Context context) {
      this.context = context;
    }

    boolean add(SessionImpl session) {
      if (many == null) {
        for (SessionImpl member : snapshot) {
          if (member == session) {
            return false;
          }
        }
        if (snapshot.length < SMALL) {
          SessionImpl[] next = Arrays.copyOf(snapshot, snapshot.length + 1);
          next[snapshot.length] = session;
          snapshot = next;
          return true;
        }
        many = new LinkedHashSet<>(Arrays.asList(snapshot));
      }
      boolean added = many.add(session);
      changed |= added;
      return added;
    }

    boolean remove(SessionImpl session) {
      if (many == null) {
        for (int i = 0; i < snapshot.length; i++) {
          if (snapshot[i] == session) {
            SessionImpl[] next = new SessionImpl[snapshot.length - 1];
            System.arraycopy(snapshot, 0, next, 0, i);
            System.arraycopy(snapshot, i + 1, next, i, snapshot.length - i - 1);
            snapshot = next.length == 0 ? NONE : next;
            return true;
          }
        }
        return false;
      }
      boolean removed = many.remove(session);
      changed |= removed;
      return removed;
    }

    boolean isEmpty() {
      return many == null ? snapshot.length == 0 : many.isEmpty();
    }

    void dispatch(Delivery delivery) {
      if (changed) {
        snapshot = many.toArray(NONE);
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
