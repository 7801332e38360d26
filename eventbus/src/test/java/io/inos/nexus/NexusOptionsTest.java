package io.inos.nexus;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NexusOptionsTest {

  @Test
  void defaults() {
    NexusOptions options = new NexusOptions();
    assertEquals(NexusOptions.DEFAULT_REQUEST_TIMEOUT_MS, options.getRequestTimeoutMs());
    assertEquals(NexusOptions.DEFAULT_HANDLER_TIMEOUT_MS, options.getHandlerTimeoutMs());
    assertEquals(NexusOptions.DEFAULT_DUPLICATE_WINDOW_MS, options.getDuplicateWindowMs());
    assertEquals(NexusOptions.DEFAULT_DUPLICATE_CAPACITY, options.getDuplicateCapacity());
    assertEquals(NexusOptions.DEFAULT_ENVIRONMENT, options.getEnvironment());
    assertEquals(NexusOptions.DEFAULT_SOURCE, options.getSource());
    assertSame(EventJournal.NONE, options.getJournal());
    assertEquals(new NexusOptions(new JsonObject()).toJson(), options.toJson());
  }

  @Test
  void roundTripsThroughJsonAndCopies() {
    NexusOptions options = new NexusOptions().setRequestTimeoutMs(1).setHandlerTimeoutMs(2).setDuplicateWindowMs(3)
      .setDuplicateCapacity(4).setEnvironment("prod").setSource("edge")
      .setJournal(e -> { }).setMeterRegistry(new SimpleMeterRegistry());
    assertEquals(options.toJson(), new NexusOptions(options.toJson()).toJson());
    NexusOptions copy = new NexusOptions(options);
    assertEquals(options.toJson(), copy.toJson());
    assertSame(options.getJournal(), copy.getJournal());
    assertSame(options.getMeterRegistry(), copy.getMeterRegistry());
    assertSame(EventJournal.NONE, options.setJournal(null).getJournal());
  }

  @Test
  void refusesValuesOutOfRangeNamingTheKey() {
    assertMessage("requestTimeoutMs must be positive, was 0", () -> new NexusOptions().setRequestTimeoutMs(0));
    assertMessage("handlerTimeoutMs must be positive", () -> new NexusOptions(new JsonObject()
      .put("handlerTimeoutMs", -5)));
    assertMessage("duplicateCapacity must be positive", () -> new NexusOptions().setDuplicateCapacity(0));
    assertMessage("duplicateWindowMs must be positive", () -> new NexusOptions().setDuplicateWindowMs(-1));
  }

  private static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
