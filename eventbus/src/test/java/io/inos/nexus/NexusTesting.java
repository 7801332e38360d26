package io.inos.nexus;

import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeException;
import io.inos.nexus.impl.NexusImpl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What the Nexus tests share: waiting on futures from the test thread, a recording journal, an inbox. */
final class NexusTesting {

  /** The longest any single step of a test may take; tests wait on events, this only bounds a broken one. */
  static final long WAIT_SECONDS = 10;

  private NexusTesting() {
  }

  /** Waits, on the test thread (never an event loop), for {@code future}'s result. */
  static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + WAIT_SECONDS + " s", e);
    }
  }

  /** Waits for {@code future} to fail with an outcome, and returns it. */
  static Outcome failureOf(Future<?> future) {
    Object result;
    try {
      result = future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (OutcomeException e) {
      return e.outcome();
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + WAIT_SECONDS + " s", e);
    }
    throw new AssertionError("expected a failure, got " + result);
  }

  /** A {@code :requested} event of user {@code user}, with {@code data} as its payload. */
  static Event requested(String type, String user, JsonObject data) {
    return Event.builder(type).source("frontend").globalContext("user_id", user).globalContext("campaign_id", "0")
      .data(data).build();
  }

  /** A journal that keeps every event in memory. */
  static final class RecordingJournal implements EventJournal {
    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(Event event) {
      events.add(event);
    }

    /** @return the types recorded for one correlation id, in the order recorded */
    List<String> typesOf(String correlationId) {
      return events.stream().filter(e -> e.correlationId().equals(correlationId))
        .map(e -> e.type().toString()).collect(Collectors.toList());
    }
  }

  /** Everything delivered to one address, and futures of the events still to come. */
  static final class Inbox {
    private final List<Event> events = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private MessageConsumer<Object> consumer;

    private record Waiter(Predicate<Event> test, Promise<Event> promise) {
    }

    /** @return an inbox on {@code address}, once its consumer is registered */
    static Future<Inbox> listen(Vertx vertx, String address) {
      Inbox inbox = new Inbox();
      inbox.consumer = vertx.eventBus().consumer(address, msg -> inbox.deliver(NexusImpl.toEvent(msg.body())));
      return inbox.consumer.completion().map(inbox);
    }

    private synchronized void deliver(Event event) {
      events.add(event);
      waiters.removeIf(w -> w.test.test(event) && w.promise.tryComplete(event));
    }

    /** @return the first event, delivered or to come, that passes {@code test} */
    synchronized Future<Event> first(Predicate<Event> test) {
      for (Event e : events) {
        if (test.test(e)) {
          return Future.succeededFuture(e);
        }
      }
      Promise<Event> promise = Promise.promise();
      waiters.add(new Waiter(test, promise));
      return promise.future();
    }

    /** @return the first event of {@code correlationId} in {@code state} */
    Future<Event> first(String correlationId, EventState state) {
      return first(e -> e.correlationId().equals(correlationId) && e.type().hasState(state));
    }

    synchronized List<Event> events() {
      return List.copyOf(events);
    }

    Future<Void> close() {
      return consumer.unregister();
    }
  }
}
