package io.inos.adapters.bridge;

/** What a session does when its outbound queue is full because its client reads too slowly. */
public enum SlowConsumerPolicy {
  /**
   * Drop the oldest queued message to make room, count it, and tell the client how many were dropped (a
   * {@link BridgeNotice.Kind#DROPPED} notice) once it reads again.
   */
  DROP_OLDEST,
  /** Close the session ({@link BridgeError#SLOW_CONSUMER}); the client reconnects and catches up by other means. */
  DISCONNECT
}
