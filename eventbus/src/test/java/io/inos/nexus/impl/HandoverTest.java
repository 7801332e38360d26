package io.inos.nexus.impl;

import io.inos.graceful.OutcomeContext;
import io.inos.nexus.Event;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandoverTest {

  @Test
  void isInstalledByTheNexusAndOnlyOnce() {
    assertNotNull(Handover.get());
    assertThrows(IllegalStateException.class, () -> Handover.install(new Handover() {
      @Override
      protected Event outcomeEvent(Event requested, OutcomeContext ctx, JsonObject result, String source) {
        return requested;
      }
    }));
  }
}
