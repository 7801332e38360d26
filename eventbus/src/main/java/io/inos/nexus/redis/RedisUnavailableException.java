package io.inos.nexus.redis;

/**
 * Redis cannot be reached now: the call was not sent. Callers fall back to local behaviour (a door answers a
 * recovery with {@code recovered: false}, the limiter counts locally) and try again later.
 */
public final class RedisUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RedisUnavailableException(String reason) {
    super("Redis is unavailable: " + reason, null, false, false);
  }
}
