package io.inos.adapters.bridge.impl;

/**
 * A token bucket: {@code perSecond} tokens a second, holding at most one second's worth, so a client may burst up to
 * the limit and then go at the limit. Used by one session on its own context only.
 */
final class InboundRate {

  private static final double NANOS_PER_SECOND = 1e9;

  private final int perSecond;
  private double tokens;
  private long refilledAt = System.nanoTime();

  InboundRate(int perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
  }

  /** @return whether a message may pass now; takes its token when it may */
  boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / NANOS_PER_SECOND);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  int perSecond() {
    return perSecond;
  }
}
