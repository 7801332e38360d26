package io.inos.nexus;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomesTest {

  private static final Instant AT = Instant.parse("2026-11-27T16:00:00.250Z");

  private static Event requested() {
    return Event.builder("campaign:create_campaign:v1:requested").environment("test")
      .globalContext("user_id", "u-1").data(new JsonObject().put("name", "Autumn")).build();
  }

  private static OutcomeContext context(Event requested, Outcome outcome) {
    return OutcomeContext.builder("campaign", "create_campaign", outcome)
      .requestEventId(requested.id()).outcomeEventId("outcome-1").correlationId(requested.correlationId())
      .completedAt(AT).metadata(requested.metadata()).build();
  }

  @Test
  void theStartedEventCarriesItsStartTimeOnce() {
    Event requested = requested();
    Event started = Outcomes.startedEvent(requested, AT, "backend");
    assertEquals("campaign:create_campaign:v1:started", started.type().toString());
    assertEquals(AT, started.timestamp());
    assertEquals("2026-11-27T16:00:00.250Z", started.payload().getString("started_at"));
    assertEquals(requested.id(), started.payload().getString("original_event_id"));
    assertEquals(requested.id(), started.causationId());
    assertEquals("u-1", started.userId());
    assertTrue(started.data().isEmpty());
  }

  @Test
  void theOutcomeEventTakesTheContextsIdTimeAndMetadata() {
    Event requested = requested();
    OutcomeContext ctx = context(requested, Outcome.success(new JsonObject().put("id", 7)));
    ctx.metadata().put("normalised", true);

    Event success = Outcomes.outcomeEvent(requested, ctx, "backend");
    ctx.metadata().put("after_the_event", true);

    assertEquals("outcome-1", success.id());
    assertEquals(AT, success.timestamp());
    assertEquals("2026-11-27T16:00:00.250Z", success.payload().getString("completed_at"));
    assertEquals(7, success.data().getInteger("id"));
    assertTrue(success.metadata().getBoolean("normalised"));
    assertFalse(success.metadata().containsKey("after_the_event"), "the event keeps the metadata it was made with");
    assertEquals(requested.correlationId(), success.globalContext("correlation_id"));
  }

  @Test
  void theFailedEventCarriesTheOutcomeAndTheRequestData() {
    Event requested = requested();
    Event failed = Outcomes.outcomeEvent(requested, context(requested, Outcome.failure(Code.NOT_FOUND, "gone")),
      "backend");
    JsonObject payload = failed.payload();
    assertEquals("campaign:create_campaign:v1:failed", failed.type().toString());
    assertEquals("NOT_FOUND", payload.getString("code"));
    assertEquals("2026-11-27T16:00:00.250Z", payload.getString("failed_at"));
    assertEquals("Autumn", failed.data().getString("name"));
    assertSame(Code.NOT_FOUND, Outcomes.outcomeOf(failed).code());

    failed.data().put("name", "changed");
    assertEquals("Autumn", requested.data().getString("name"), "the request's data is shared, never changed");
  }

  @Test
  void thePublicMakersCopyWhatTheyAreGiven() {
    Event requested = requested();
    JsonObject result = new JsonObject().put("n", 1);
    JsonObject metadata = requested.metadata();
    Event success = Outcomes.successEvent(requested, null, result, metadata, "backend");
    result.put("n", 2);
    metadata.put("added", true);
    assertEquals(1, success.data().getInteger("n"));
    assertFalse(success.metadata().containsKey("added"));
  }
}
