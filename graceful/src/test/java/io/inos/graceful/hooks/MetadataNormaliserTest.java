package io.inos.graceful.hooks;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataNormaliserTest {

  private static OutcomeContext context(JsonObject metadata, Outcome outcome, String requestId, String outcomeId) {
    return OutcomeContext.builder("campaign", "update_campaign", outcome)
      .requestEventId(requestId)
      .outcomeEventId(outcomeId)
      .correlationId("corr-" + requestId)
      .userId("u-1")
      .campaignId("c-7")
      .metadata(metadata)
      .build();
  }

  private static JsonObject system(JsonObject metadata) {
    return metadata.getJsonObject("service_specific").getJsonObject("system");
  }

  private static JsonObject calculation(JsonObject metadata) {
    return system(metadata).getJsonObject("calculation");
  }

  @Test
  void aSuccessAddsOneToTheScore() {
    JsonObject metadata = new JsonObject();
    new MetadataNormaliser().apply(context(metadata, Outcome.success(null), "r1", "o1"));
    assertEquals(1, calculation(metadata).getLong("score"));
    assertNotNull(calculation(metadata).getString("last_success"));
    assertFalse(calculation(metadata).containsKey("error_count"));

    MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "r2", "o2"));
    assertEquals(2, calculation(metadata).getLong("score"));
  }

  @Test
  void everyTimeItWritesIsTheCompletionTimeOfTheContext() {
    JsonObject metadata = new JsonObject();
    OutcomeContext ctx = OutcomeContext.builder("campaign", "update_campaign", Outcome.success(null))
      .completedAt(java.time.Instant.parse("2026-11-27T16:00:00.5Z")).metadata(metadata).build();
    MetadataNormaliser.normalise(ctx);
    assertEquals("2026-11-27T16:00:00.500Z", system(metadata).getString("updated_at"));
    assertEquals("2026-11-27T16:00:00.500Z", calculation(metadata).getString("last_success"));
    assertEquals("2026-11-27T16:00:00.500Z",
      metadata.getJsonObject("audit").getJsonArray("history").getJsonObject(0).getString("at"));
  }

  @Test
  void aFailureAddsOneToTheErrorCountAndLeavesTheScore() {
    JsonObject metadata = new JsonObject().put("service_specific", new JsonObject()
      .put("system", new JsonObject().put("calculation", new JsonObject().put("score", 5).put("error_count", 2))));
    MetadataNormaliser.normalise(context(metadata, Outcome.failure(Code.NOT_FOUND, "no"), "r1", "o1"));
    assertEquals(5, calculation(metadata).getLong("score"));
    assertEquals(3, calculation(metadata).getLong("error_count"));
    assertNotNull(calculation(metadata).getString("last_error"));
  }

  @Test
  void linksTheRequestAndTheOutcome() {
    JsonObject metadata = new JsonObject();
    MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "r1", "o1"));
    JsonObject system = system(metadata);
    assertEquals("r1", system.getString("prev_state_id"));
    assertEquals("o1", system.getString("next_state_id"));
    assertEquals(new JsonArray().add("r1").add("o1"), system.getJsonArray("related_state_ids"));
    assertNotNull(system.getString("updated_at"));

    // the next operation on the same metadata continues the lineage
    MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "o1", "o2"));
    assertEquals("o1", system(metadata).getString("prev_state_id"));
    assertEquals("o2", system(metadata).getString("next_state_id"));
    assertEquals(new JsonArray().add("r1").add("o1").add("o2"), system(metadata).getJsonArray("related_state_ids"));
  }

  @Test
  void fillsTheGlobalNamespace() {
    JsonObject metadata = new JsonObject();
    MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "r1", "o1"));
    JsonObject global = metadata.getJsonObject("service_specific").getJsonObject("global");
    assertEquals(new JsonObject().put("user_id", "u-1").put("campaign_id", "c-7").put("correlation_id", "corr-r1"),
      global);
  }

  @Test
  void appendsOneAuditEntryPerOutcome() {
    JsonObject metadata = new JsonObject();
    MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "r1", "o1"));
    MetadataNormaliser.normalise(context(metadata, Outcome.failure(Code.ABORTED, "conflict"), "r2", "o2"));

    JsonArray history = metadata.getJsonObject("audit").getJsonArray("history");
    assertEquals(2, history.size());
    JsonObject first = history.getJsonObject(0);
    assertEquals("campaign:update_campaign", first.getString("action"));
    assertEquals("u-1", first.getString("actor"));
    assertEquals("OK", first.getString("code"));
    assertEquals("corr-r1", first.getString("correlation_id"));
    assertNotNull(first.getString("at"));
    assertEquals("ABORTED", history.getJsonObject(1).getString("code"));
  }

  @Test
  void keepsTheAuditHistoryAndLineageBoundedToTheMostRecent() {
    JsonArray oversized = new JsonArray();
    for (int i = 0; i < 120; i++) {
      oversized.add(new JsonObject().put("n", i));
    }
    JsonObject metadata = new JsonObject().put("audit", new JsonObject().put("history", oversized));
    for (int i = 0; i < 60; i++) {
      MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "r" + i, "o" + i));
    }

    JsonArray history = metadata.getJsonObject("audit").getJsonArray("history");
    assertEquals(MetadataNormaliser.MAX_AUDIT_HISTORY, history.size());
    assertEquals("corr-r59", history.getJsonObject(history.size() - 1).getString("correlation_id"));
    assertEquals("corr-r10", history.getJsonObject(0).getString("correlation_id"));

    JsonArray related = system(metadata).getJsonArray("related_state_ids");
    assertEquals(MetadataNormaliser.MAX_RELATED_STATE_IDS, related.size());
    assertEquals("o59", related.getString(related.size() - 1));
    assertEquals(60, calculation(metadata).getLong("score"));
  }

  @Test
  void replacesPartsOfTheWrongShapeInsteadOfFailing() {
    JsonObject metadata = new JsonObject()
      .put("service_specific", new JsonObject().put("system", new JsonObject()
        .put("related_state_ids", "not a list")
        .put("calculation", new JsonObject().put("score", "many"))))
      .put("audit", new JsonObject().put("history", 7));

    MetadataNormaliser.normalise(context(metadata, Outcome.success(null), "r1", "o1"));

    assertEquals(new JsonArray().add("r1").add("o1"), system(metadata).getJsonArray("related_state_ids"));
    assertEquals(1, calculation(metadata).getLong("score"));
    assertEquals(1, metadata.getJsonObject("audit").getJsonArray("history").size());
  }

  @Test
  void leavesOutIdsItDoesNotHave() {
    JsonObject metadata = new JsonObject();
    OutcomeContext ctx = OutcomeContext.builder("user", "get_user", Outcome.success(null)).metadata(metadata).build();
    MetadataNormaliser.normalise(ctx);
    JsonObject system = system(metadata);
    assertFalse(system.containsKey("prev_state_id"));
    assertTrue(system.getJsonArray("related_state_ids").isEmpty());
    assertTrue(metadata.getJsonObject("service_specific").getJsonObject("global").isEmpty());
  }
}
