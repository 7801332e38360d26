package io.inos.graceful.hooks;

import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeHook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts and times outcomes in Micrometer: {@code inos.outcomes} (timer, tagged by service, action and code).
 */
public final class MetricsHook implements OutcomeHook {

  private final MeterRegistry registry;

  public MetricsHook(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<Void> apply(OutcomeContext ctx) {
    Timer.builder("inos.outcomes")
      .description("Outcomes of service operations, by service, action and code")
      .tag("service", ctx.service())
      .tag("action", ctx.action())
      .tag("code", ctx.outcome().code().name())
      .register(registry)
      .record(Duration.between(ctx.startedAt(), Instant.now()));
    return Future.succeededFuture();
  }
}
