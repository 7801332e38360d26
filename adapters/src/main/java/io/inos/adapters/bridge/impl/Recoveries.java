package io.inos.adapters.bridge.impl;

import io.inos.nexus.Event;
import io.inos.nexus.redis.EventHistory;
import io.inos.nexus.redis.RedisExtension;
import io.inos.nexus.redis.RedisUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads what a client missed at an address from the Redis extension's history, for
 * {@link io.inos.adapters.bridge.BridgeSession#subscribe(String, String)}. Never fails: every reason not to recover
 * becomes an {@link Outcome} with {@code recovered: false} and the reason, so the client is told.
 */
final class Recoveries {

  /** How long a recovery may take (waiting for this node's appends, then the reads) before it is given up. */
  static final long TIMEOUT_MS = 5_000;

  /**
   * @param recovered whether {@code events} is everything the client missed
   * @param events    the missed events in history order (empty when not recovered)
   * @param reason    why nothing was recovered, or {@code null}
   */
  record Outcome(boolean recovered, List<Event> events, String reason) {

    /** @return the ids of the recovered events */
    Set<String> eventIds() {
      Set<String> ids = new HashSet<>(events.size() * 2);
      for (Event event : events) {
        ids.add(event.id());
      }
      return ids;
    }

    static Outcome notRecovered(String reason) {
      return new Outcome(false, List.of(), reason);
    }
  }

  private Recoveries() {
  }

  /**
   * Reads the history after the event {@code lastEventId} until it meets the live flow ({@link HistoryCatchUp}):
   * each read waits until the appends this node queued are written ({@link EventHistory#settled()}), so the events
   * published here before the live consumer was registered are in it. Call it on the session's context, once the
   * live consumer is registered.
   *
   * @param heldIds      the ids of the live events held back so far at {@code address}, asked on {@code context};
   *                     {@code null} once the subscription no longer waits for this recovery
   * @param registeredAt when ({@link System#nanoTime()}) this node's consumer at {@code address} was registered
   */
  static Future<Outcome> read(RedisExtension redis, String address, String lastEventId, Context context,
                              Supplier<Set<String>> heldIds, long registeredAt) {
    if (redis == null) {
      return Future.succeededFuture(Outcome.notRecovered("this server keeps no history"));
    }
    EventHistory history = redis.history();
    if (!history.covers(address)) {
      return Future.succeededFuture(Outcome.notRecovered("'" + address + "' keeps no history"));
    }
    if (!redis.state().isUp()) {
      return Future.succeededFuture(Outcome.notRecovered("the history is unavailable now (" + redis.state().reason()
        + ")"));
    }
    return HistoryCatchUp.run(history, address, lastEventId, context, heldIds, registeredAt)
      // a bound for a read Redis never answers; the reads themselves stop at the same bound
      .timeout(TIMEOUT_MS + HistoryCatchUp.REREAD_MS, TimeUnit.MILLISECONDS)
      .otherwise(Recoveries::failure);
  }

  private static Outcome failure(Throwable err) {
    if (err instanceof RedisUnavailableException) {
      return Outcome.notRecovered("the history is unavailable now");
    }
    if (err instanceof TimeoutException) {
      return Outcome.notRecovered("the history did not answer within " + TIMEOUT_MS + " ms");
    }
    return Outcome.notRecovered("the history could not be read (" + err.getMessage() + ")");
  }
}
