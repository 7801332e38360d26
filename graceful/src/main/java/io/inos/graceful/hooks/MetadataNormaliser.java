package io.inos.graceful.hooks;

import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeHook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Normalises an operation's metadata the way the original INOS did, in place:
 * <ul>
 *   <li>{@code service_specific.global}: the user, campaign and correlation ids;</li>
 *   <li>{@code service_specific.system}: {@code updated_at}, lineage ({@code prev_state_id} = the request event,
 *   {@code next_state_id} = the outcome event, {@code related_state_ids} gathers both), and {@code calculation}:
 *   {@code score} +1 and {@code last_success} on success, {@code error_count} +1 and {@code last_error} on failure;</li>
 *   <li>{@code audit.history}: one entry per outcome (action, actor, code, correlation id, time), bounded to the
 *   last {@value #MAX_AUDIT_HISTORY} so metadata cannot grow without end.</li>
 * </ul>
 */
public final class MetadataNormaliser implements OutcomeHook {

  /** Audit entries kept in the metadata itself; the ledger keeps all of them. */
  public static final int MAX_AUDIT_HISTORY = 50;

  @Override
  public Future<Void> apply(OutcomeContext ctx) {
    normalise(ctx);
    return Future.succeededFuture();
  }

  /** Does the normalisation synchronously. */
  public static void normalise(OutcomeContext ctx) {
    JsonObject metadata = ctx.metadata();
    String now = Instant.now().toString();
    JsonObject serviceSpecific = child(metadata, "service_specific");

    JsonObject global = child(serviceSpecific, "global");
    putIfPresent(global, "user_id", ctx.userId());
    putIfPresent(global, "campaign_id", ctx.campaignId());
    putIfPresent(global, "correlation_id", ctx.correlationId());

    JsonObject system = child(serviceSpecific, "system");
    system.put("updated_at", now);
    putIfPresent(system, "prev_state_id", ctx.requestEventId());
    putIfPresent(system, "next_state_id", ctx.outcomeEventId());
    JsonArray related = system.getJsonArray("related_state_ids");
    if (related == null) {
      related = new JsonArray();
      system.put("related_state_ids", related);
    }
    addOnce(related, ctx.requestEventId());
    addOnce(related, ctx.outcomeEventId());

    JsonObject calculation = child(system, "calculation");
    if (ctx.outcome().isSuccess()) {
      calculation.put("score", number(calculation, "score") + 1);
      calculation.put("last_success", now);
    } else {
      calculation.put("error_count", number(calculation, "error_count") + 1);
      calculation.put("last_error", now);
    }

    JsonObject audit = child(metadata, "audit");
    JsonArray history = audit.getJsonArray("history");
    if (history == null) {
      history = new JsonArray();
      audit.put("history", history);
    }
    history.add(new JsonObject()
      .put("action", ctx.service() + ":" + ctx.action())
      .put("actor", ctx.userId())
      .put("code", ctx.outcome().code().name())
      .put("correlation_id", ctx.correlationId())
      .put("at", now));
    while (history.size() > MAX_AUDIT_HISTORY) {
      history.remove(0);
    }
  }

  private static JsonObject child(JsonObject parent, String key) {
    Object value = parent.getValue(key);
    if (value instanceof JsonObject json) {
      return json;
    }
    JsonObject json = new JsonObject();
    parent.put(key, json);
    return json;
  }

  private static long number(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof Number n ? n.longValue() : 0L;
  }

  private static void putIfPresent(JsonObject json, String key, String value) {
    if (value != null && !value.isEmpty()) {
      json.put(key, value);
    }
  }

  private static void addOnce(JsonArray array, String value) {
    if (value != null && !array.contains(value)) {
      array.add(value);
    }
  }
}
