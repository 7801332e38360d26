package io.inos.nexus.redis;

import io.vertx.core.Future;

/**
 * A token bucket per client kept in Redis, so every node draws from the same bucket and a client cannot multiply
 * its quota by reconnecting elsewhere. The bucket is refilled continuously at {@code permitsPerSecond} up to
 * {@code burst}; one Lua script reads, refills, takes and writes it atomically, on Redis's clock.
 *
 * <p>While Redis is down the same bucket is kept in this node's memory ({@link RateDecision#shared()} false): the
 * node keeps limiting, only no longer across nodes. The future never fails.
 */
public interface SharedRateLimiter {

  /** Takes one permit with the configured rate and burst. */
  Future<RateDecision> tryAcquire(String clientKey);

  /** Takes {@code permits} permits from the bucket of {@code clientKey}, with its own rate and burst. */
  Future<RateDecision> tryAcquire(String clientKey, int permits, double permitsPerSecond, double burst);
}
