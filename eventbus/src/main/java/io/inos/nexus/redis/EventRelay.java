package io.inos.nexus.redis;

/**
 * Relays selected Nexus events over Redis pub/sub and takes events in from it.
 *
 * <p>Out: every event published on this node whose type matches {@link RedisExtensionOptions#getRelayTypes()} is
 * published, as the original INOS JSON envelope with {@code metadata.relay_origin} set to this cluster's id, on the
 * INOS relay channel {@code {prefix}relay} (other INOS clusters) and on the original channels
 * {@code nexus:events} and {@code nexus:events:{service}:{action}}.
 *
 * <p>In: messages on the INOS relay channel and (when enabled) on the original channels are published on the local
 * Nexus once per cluster: a message whose origin is this cluster is dropped (no loop), duplicates of the same event
 * (by its id, or by its text when it has none: the original INOS publishes envelopes without ids on two channels)
 * within the dedup window are dropped, and of the nodes of one cluster only the one that claims the event in Redis
 * ({@code SET NX}, as the original's {@code nexus:event_lock}) publishes it. Events taken in are never relayed out
 * again.
 *
 * <p>Pub/sub is at most once: while Redis is down the relay is paused and events that would go out are dropped
 * (counted), and what was published meanwhile by others is not seen.
 */
public interface EventRelay {

  /** Events published to Redis since start. */
  long relayedOut();

  /** Events taken in from Redis and published on the local Nexus since start. */
  long takenIn();

  /** Messages dropped as echoes of this cluster, duplicates, or claimed by another node. */
  long duplicatesDropped();

  /** Messages that were no valid event envelope. */
  long invalidDropped();

  /** Outgoing events dropped because Redis was down. */
  long droppedWhileDown();
}
