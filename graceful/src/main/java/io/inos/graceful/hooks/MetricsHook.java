package io.inos.graceful.hooks;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeHook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts and times outcomes in Micrometer: {@code inos.outcomes} (timer, tagged by service, action and code).
 *
 * <p>The timers are looked up once per (service, action, code) and kept: registering a meter on every outcome
 * costs an id, a tag sort and a registry lookup under contention on the hot path.
 */
public final class MetricsHook implements OutcomeHook {

  /** The name of the timer. */
  public static final String METER_NAME = "inos.outcomes";

  private final MeterRegistry registry;
  private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

  public MetricsHook(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public Future<Void> apply(OutcomeContext ctx) {
    Key key = new Key(ctx.service(), ctx.action(), ctx.outcome().code());
    timers.computeIfAbsent(key, this::timer).record(Duration.between(ctx.startedAt(), Instant.now()));
    return Future.succeededFuture();
  }

  private Timer timer(Key key) {
    return Timer.builder(METER_NAME)
      .description("Outcomes of service operations, by service, action and code")
      .tag("service", key.service)
      .tag("action", key.action)
      .tag("code", key.code.name())
      .register(registry);
  }

  private record Key(String service, String action, Code code) {
  }
}
