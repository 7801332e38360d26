package io.inos.graceful.hooks;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsHookTest {

  @Test
  void timesOutcomesByServiceActionAndCode() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MetricsHook hook = new MetricsHook(registry);

    for (int i = 0; i < 3; i++) {
      assertTrue(hook.apply(context("get_user", Outcome.success(null))).succeeded());
    }
    hook.apply(context("get_user", Outcome.failure(Code.NOT_FOUND, "no")));
    hook.apply(context("delete_user", Outcome.failure(Code.NOT_FOUND, "no")));

    assertEquals(3, timer(registry, "get_user", "OK").count());
    assertEquals(1, timer(registry, "get_user", "NOT_FOUND").count());
    assertEquals(1, timer(registry, "delete_user", "NOT_FOUND").count());
    assertEquals(3, registry.find(MetricsHook.METER_NAME).timers().size());
  }

  private static Timer timer(SimpleMeterRegistry registry, String action, String code) {
    return registry.get(MetricsHook.METER_NAME).tag("service", "user").tag("action", action).tag("code", code).timer();
  }

  private static OutcomeContext context(String action, Outcome outcome) {
    return OutcomeContext.builder("user", action, outcome).startedAt(Instant.now().minusMillis(5)).build();
  }
}
