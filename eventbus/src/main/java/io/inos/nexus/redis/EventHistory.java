package io.inos.nexus.redis;

import io.inos.nexus.Event;
import io.vertx.core.Future;

/**
 * Bounded per-scope history in Redis Streams, so a client that reconnects anywhere gets what it missed.
 *
 * <p>Once the extension is started, every event the Nexus publishes on an address that matches a configured
 * {@link RedisExtensionOptions.HistoryScope} (e.g. {@code campaign:42} for {@code campaign:*}) is appended to that
 * address's stream by the node that published it, without the publisher waiting: appends are queued and written in
 * pipelined batches. So a door does not append; it only recovers.
 *
 * <p>A door reconnecting a client should: subscribe to the live address first (buffering what arrives), then
 * {@link #recover} from the client's position, send the recovered events, then the buffered live events whose ids
 * were not among them, then go live. On a clustered event bus one read is not enough: the other nodes learn of the
 * new subscription a moment after it was made, and what they publish meanwhile is only in the history, perhaps
 * after the read; so read again from the returned position until the history holds the live events buffered
 * before (each node appends in the order it publishes). The live flow does not carry stream positions (the append happens beside the
 * delivery, not before it), so doors either hand clients the event id as their position and use
 * {@link #recoverAfterEvent}, or ask {@link #position} at subscribe time.
 */
public interface EventHistory {

  /**
   * Appends {@code event} to the history of {@code scope} through the same queue as the automatic appends (for
   * events that are not published on the Nexus, or tools). Not needed for published events: they are appended
   * already.
   *
   * @return the position given to it, once Redis has taken it; fails with {@link IllegalArgumentException} when no
   * configured scope covers {@code scope}, and with {@link RedisUnavailableException} when the append buffer is full
   * while Redis is down
   */
  Future<HistoryPosition> append(String scope, Event event);

  /**
   * The events of {@code scope} after {@code since}.
   *
   * @param since the client's last position; {@code null} for a client that has none (answered with no events,
   *              {@code recovered: false} and the current position)
   * @return the recovery; fails with {@link RedisUnavailableException} when Redis is down
   */
  Future<Recovery> recover(String scope, HistoryPosition since);

  /**
   * The events of {@code scope} after the event {@code eventId}, for clients that only know the id of the last
   * event they saw. Recovered only when that event is still in the history (so nothing after it was trimmed).
   */
  Future<Recovery> recoverAfterEvent(String scope, String eventId);

  /**
   * Completes once every append this node queued before the call has been written to Redis (or refused by it), so
   * that a recovery read after it sees every event this node published before. A door recovering a client calls it
   * after subscribing live and before reading: an event published just before the subscription is then either in
   * the read or in the live flow. Waits while Redis is down: bound it with a timeout.
   */
  default Future<Void> settled() {
    return Future.succeededFuture();
  }

  /** The current last position of {@code scope} (offset {@code 0-0} and a new epoch for an empty history). */
  Future<HistoryPosition> position(String scope);

  /** @return whether events published on {@code address} are kept in history */
  boolean covers(String address);

  /** Appends dropped since start because the buffer was full while Redis was slow or down. */
  long droppedCount();

  /** Appends waiting for Redis now. */
  int pendingCount();
}
