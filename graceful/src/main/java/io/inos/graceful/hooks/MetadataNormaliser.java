package io.inos.graceful.hooks;

import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeHook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

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
 * Every time it writes is the context's {@link OutcomeContext#completedAt() completion time}.
 */
public final class MetadataNormaliser implements OutcomeHook {

  /** Audit entries kept in the metadata itself; the ledger keeps all of them. */
  public static final int MAX_AUDIT_HISTORY = 50;
  /** Lineage ids kept in {@code related_state_ids}, the most recent ones; the ledger keeps all links. */
  public static final int MAX_RELATED_STATE_IDS = 50;

  @Override
  public Future<Void> apply(OutcomeContext ctx) {
    normalise(ctx);
    return Future.succeededFuture();
  }

  /** Does the normalisation synchronously. */
  public static void normalise(OutcomeContext ctx) {
    JsonObject metadata = ctx.metadata();
    String now = ctx.completedAtText();
    JsonObject serviceSpecific = child(metadata, "service_specific");

    JsonObject global = child(serviceSpecific, "global");
    putIfPresent(global, "user_id", ctx.userId());
    putIfPresent(global, "campaign_id", ctx.campaignId());
    putIfPresent(global, "correlation_id", ctx.correlationId());

    JsonObject system = child(serviceSpecific, "system");
    system.put("updated_at", now);
    putIfPresent(system, "prev_state_id", ctx.requestEventId());
    putIfPresent(system, "next_state_id", ctx.outcomeEventId());
    JsonArray related = array(system, "related_state_ids");
    addOnce(related, ctx.requestEventId());
    addOnce(related, ctx.outcomeEventId());
    trim(related, MAX_RELATED_STATE_IDS);

    JsonObject calculation = child(system, "calculation");
    if (ctx.outcome().isSuccess()) {
      calculation.put("score", number(calculation, "score") + 1);
      calculation.put("last_success", now);
    } else {
      calculation.put("error_count", number(calculation, "error_count") + 1);
      calculation.put("last_error", now);
    }

    JsonObject audit = child(metadata, "audit");
    JsonArray history = array(audit, "history");
    history.add(new JsonObject()
      .put("action", ctx.service() + ":" + ctx.action())
      .put("actor", ctx.userId())
      .put("code", ctx.outcome().code().name())
      .put("correlation_id", ctx.correlationId())
      .put("at", now));
    trim(history, MAX_AUDIT_HISTORY);
  }

  /** Keeps the last {@code max} elements; metadata comes from clients too, so it may arrive oversized. */
  private static void trim(JsonArray array, int max) {
    int excess = array.size() - max;
    if (excess > 0) {
      array.getList().subList(0, excess).clear();
    }
  }

  /** @return the array at {@code key}, replacing a value of another shape (metadata comes from clients too) */
  private static JsonArray array(JsonObject parent, String key) {
    return ensure(parent, key, JsonArray.class, JsonArray::new);
  }

  /** @return the object at {@code key}, replacing a value of another shape */
  private static JsonObject child(JsonObject parent, String key) {
    return ensure(parent, key, JsonObject.class, JsonObject::new);
  }

  private static <T> T ensure(JsonObject parent, String key, Class<T> shape, Supplier<T> fresh) {
    Object value = parent.getValue(key);
    if (shape.isInstance(value)) {
      return shape.cast(value);
    }
    T made = fresh.get();
    parent.put(key, made);
    return made;
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
