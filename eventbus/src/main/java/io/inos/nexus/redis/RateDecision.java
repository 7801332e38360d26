package io.inos.nexus.redis;

/**
 * The answer of the {@link SharedRateLimiter}.
 *
 * @param allowed whether the client may go on
 * @param remaining the whole permits left in its bucket
 * @param retryAfterMs when refused, how long until a permit is back; 0 when allowed
 * @param shared whether the decision was taken in Redis (shared by every node) or, with Redis down, locally
 */
public record RateDecision(boolean allowed, long remaining, long retryAfterMs, boolean shared) {
}
