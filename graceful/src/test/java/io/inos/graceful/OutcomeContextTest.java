package io.inos.graceful;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomeContextTest {

  private static OutcomeContext context(JsonObject metadata) {
    return OutcomeContext.builder("campaign", "create_campaign", Outcome.success(new JsonObject()))
      .metadata(metadata).build();
  }

  @Test
  void aSnapshotOfTheMetadataNeverChangesAfterwards() {
    JsonObject metadata = new JsonObject().put("tags", "a");
    OutcomeContext ctx = context(metadata);
    assertSame(metadata, ctx.metadata(), "taken as it is, normalised in place");

    JsonObject snapshot = ctx.snapshotMetadata();
    ctx.metadata().put("later", true);

    assertFalse(snapshot.containsKey("later"), "a change after the snapshot goes to a copy");
    assertTrue(ctx.metadata().getBoolean("later"));
    assertNotSame(snapshot, ctx.metadata());
    assertEquals("a", ctx.metadata().getString("tags"));
  }

  @Test
  void theCompletionTimeIsReadOnceAndFormattedOnce() {
    Instant at = Instant.parse("2026-11-27T16:00:00.123Z");
    OutcomeContext ctx = OutcomeContext.builder("s", "a", Outcome.success(null)).completedAt(at).build();
    assertSame(at, ctx.completedAt());
    assertSame(at, ctx.startedAt(), "without a start time, the operation is taken to start when it completes");
    assertEquals("2026-11-27T16:00:00.123Z", ctx.completedAtText());
    assertSame(ctx.completedAtText(), ctx.completedAtText());

    OutcomeContext now = context(null);
    assertFalse(now.completedAt().isAfter(Instant.now()));
    assertEquals(now.completedAt().toString(), now.completedAtText());
  }
}
