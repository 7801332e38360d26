package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.impl.Recoveries.Outcome;
import io.inos.nexus.Event;
import io.inos.nexus.redis.EventHistory;
import io.inos.nexus.redis.HistoryPosition;
import io.inos.nexus.redis.Recovery;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The history reads of one recovery, repeated until they meet the live flow of the subscription just made.
 *
 * <p>Why one read is not enough on a clustered bus: an event is appended to the history by the node that published
 * it, beside its live delivery, and a node learns of a new subscription elsewhere a moment after it was made (Vert.x
 * keeps who listens where in a cache that the cluster manager's events update). An event published there meanwhile
 * is not delivered to the new subscription, and may reach the history after a first read: it would be lost while
 * the client is told that it recovered everything.
 *
 * <p>So the history is read again, from where the previous read ended, until every live event held back when the
 * previous read began is among the events read: each node appends in the order it publishes, so the history then
 * holds everything a node published before it delivered here live. When the live flow only began since, one more
 * read checks it. On a clustered bus the reads also go on until {@link #CLUSTER_GRACE_MS} after this node's
 * consumer at the address was registered, for the nodes that have not delivered here yet (nothing to wait for when
 * it was registered long before, for other sessions). On a single node the first read meets the live flow at once:
 * the subscription is known there when it is made, and {@link EventHistory#settled()} waits for this node's
 * appends.
 *
 * <p>Runs on the session's context; ends with the events read in history order, or {@code recovered: false} when
 * the history changed under the reads (trimmed, lost, a gap), did not meet the live flow within
 * {@link Recoveries#TIMEOUT_MS}, or the subscription ended.
 */
final class HistoryCatchUp {

  /**
   * How long after a subscription other nodes of a cluster may still publish without knowing it. Hazelcast tells the
   * others within milliseconds, tens of them on a loaded machine; this leaves room for more.
   */
  static final long CLUSTER_GRACE_MS = 500;
  /** The pause between two reads: long enough for the appends of what was held back at a read to have landed. */
  static final long REREAD_MS = 100;

  private final EventHistory history;
  private final String address;
  private final Context context;
  private final Supplier<Set<String>> heldIds;
  /** When ({@link System#nanoTime()}) every node knows the subscription. */
  private final long knownEverywhereAt;
  private final long start = System.nanoTime();
  private final Promise<Outcome> done = Promise.promise();
  private final List<Event> events = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private HistoryPosition position;
  private Set<String> heldAtPreviousRead;

  /**
   * @param heldIds the ids of the live events held back so far, asked on {@code context}; {@code null} once the
   *                subscription no longer waits for this recovery (unsubscribed, revoked, closed)
   */
  private HistoryCatchUp(EventHistory history, String address, Context context, Supplier<Set<String>> heldIds,
                         long registeredAt) {
    this.history = history;
    this.address = address;
    this.context = context;
    this.heldIds = heldIds;
    this.knownEverywhereAt = registeredAt
      + (context.owner().isClustered() ? TimeUnit.MILLISECONDS.toNanos(CLUSTER_GRACE_MS) : 0);
  }

  /**
   * Reads from the event {@code lastEventId} on; call it on {@code context}, once the live consumer is registered.
   *
   * @param registeredAt when ({@link System#nanoTime()}) this node's consumer at {@code address} was registered
   */
  static Future<Outcome> run(EventHistory history, String address, String lastEventId, Context context,
                             Supplier<Set<String>> heldIds, long registeredAt) {
    HistoryCatchUp catchUp = new HistoryCatchUp(history, address, context, heldIds, registeredAt);
    catchUp.read(() -> history.recoverAfterEvent(address, lastEventId), lastEventId);
    return catchUp.done.future();
  }

  private void read(Supplier<Future<Recovery>> reading, String lastEventId) {
    Set<String> held = heldIds.get();
    if (held == null) {
      done.tryComplete(Outcome.notRecovered("the subscription ended"));
      return;
    }
    history.settled().compose(v -> reading.get())
      .onComplete(ar -> context.runOnContext(v -> afterRead(ar, held, lastEventId)));
  }

  private void afterRead(AsyncResult<Recovery> read, Set<String> heldAtThisRead, String lastEventId) {
    if (done.future().isComplete()) {
      return;
    }
    if (read.failed()) {
      done.fail(read.cause());
      return;
    }
    Recovery recovery = read.result();
    if (!recovery.recovered()) {
      done.complete(Outcome.notRecovered(position == null
        ? "the history no longer reaches back to event '" + lastEventId
          + "' (trimmed, expired, lost, or it was never kept here)"
        : "the history changed while it was read (trimmed, lost, or a gap while Redis was down)"));
      return;
    }
    for (Recovery.Entry entry : recovery.events()) {
      if (ids.add(entry.event().id())) {
        events.add(entry.event());
      }
    }
    position = recovery.position();
    Set<String> previous = heldAtPreviousRead == null ? heldAtThisRead : heldAtPreviousRead;
    boolean metLiveFlow = ids.containsAll(previous) && (!previous.isEmpty() || heldAtThisRead.isEmpty());
    long now = System.nanoTime();
    if (metLiveFlow && now - knownEverywhereAt >= 0) {
      done.complete(new Outcome(true, events, null));
    } else if (now - start >= TimeUnit.MILLISECONDS.toNanos(Recoveries.TIMEOUT_MS)) {
      done.complete(Outcome.notRecovered("the history did not catch up with the live flow within "
        + Recoveries.TIMEOUT_MS + " ms"));
    } else {
      heldAtPreviousRead = heldAtThisRead;
      HistoryPosition from = position;
      context.owner().setTimer(REREAD_MS, id -> read(() -> history.recover(address, from), lastEventId));
    }
  }
}
