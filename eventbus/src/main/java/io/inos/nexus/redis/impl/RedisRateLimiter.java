package io.inos.nexus.redis.impl;

import io.inos.nexus.redis.RateDecision;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.nexus.redis.SharedRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.util.concurrent.ConcurrentHashMap;

/** {@link SharedRateLimiter}: a token bucket in Redis, the same bucket in memory while Redis is down. */
public final class RedisRateLimiter implements SharedRateLimiter {

  /** The most local buckets kept; past it they start again full, which errs on the client's side. */
  private static final int MAX_LOCAL = 100_000;

  private final RedisLink link;
  private final Keys keys;
  private final double permitsPerSecond;
  private final double burst;
  private final ConcurrentHashMap<String, LocalBucket> local = new ConcurrentHashMap<>();
  private final Counter sharedCounter;
  private final Counter localCounter;

  public RedisRateLimiter(RedisLink link, Keys keys, RedisExtensionOptions options, MeterRegistry registry) {
    this.link = link;
    this.keys = keys;
    this.permitsPerSecond = options.getPermitsPerSecond();
    this.burst = options.getBurst();
    if (registry != null) {
      sharedCounter = Counter.builder("inos.redis.ratelimit.decisions").tag("mode", "shared").register(registry);
      localCounter = Counter.builder("inos.redis.ratelimit.decisions").tag("mode", "local").register(registry);
    } else {
      sharedCounter = null;
      localCounter = null;
    }
  }

  @Override
  public Future<RateDecision> tryAcquire(String clientKey) {
    return tryAcquire(clientKey, 1, permitsPerSecond, burst);
  }

  @Override
  public Future<RateDecision> tryAcquire(String clientKey, int permits, double rate, double size) {
    if (permits < 1 || !(rate > 0) || !(size >= permits)) {
      return Future.failedFuture(new IllegalArgumentException("permits must be at least 1 and at most the burst, "
        + "and the rate positive: permits " + permits + ", rate " + rate + ", burst " + size));
    }
    if (!link.isUp()) {
      return Future.succeededFuture(localDecision(clientKey, permits, rate, size));
    }
    return link.send(Scripts.TAKE.call(new String[] {keys.rate(clientKey)}, Double.toString(rate),
        Double.toString(size), permits))
      .map(r -> {
        if (sharedCounter != null) {
          sharedCounter.increment();
        }
        return new RateDecision(r.get(0).toLong() == 1, r.get(1).toLong(), r.get(2).toLong(), true);
      })
      .otherwise(err -> localDecision(clientKey, permits, rate, size));
  }

  private RateDecision localDecision(String clientKey, int permits, double rate, double size) {
    if (localCounter != null) {
      localCounter.increment();
    }
    if (local.size() > MAX_LOCAL) {
      local.clear();
    }
    return local.computeIfAbsent(clientKey, k -> new LocalBucket(size)).take(permits, rate, size);
  }

  /** The same token bucket as the Lua script, on this JVM's clock. */
  private static final class LocalBucket {
    private double tokens;
    private long at = System.nanoTime();

    LocalBucket(double size) {
      this.tokens = size;
    }

    synchronized RateDecision take(int permits, double rate, double size) {
      long now = System.nanoTime();
      tokens = Math.min(size, tokens + (now - at) / 1e9 * rate);
      at = now;
      if (tokens >= permits) {
        tokens -= permits;
        return new RateDecision(true, (long) tokens, 0, false);
      }
      return new RateDecision(false, (long) tokens, (long) Math.ceil((permits - tokens) * 1000 / rate), false);
    }
  }
}
