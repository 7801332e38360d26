package io.inos.nexus;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeException;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Between outcomes and lifecycle events: the {@code :success} and {@code :failed} events of a request, and the
 * outcome a {@code :failed} event carries.
 *
 * <p>A success payload is {@code {"data": result, "action", "completed_at", "original_event_id"}}; a failure payload
 * is {@code {"data": request data, "error": outcome, "code", "message", "correlation_id", "service", "action",
 * "actor", "failed_at", "original_event_id"}}, as in the original INOS.
 */
public final class Outcomes {

  private Outcomes() {
  }

  /** @return the {@code :success} event answering {@code requested} */
  public static Event successEvent(Event requested, String id, JsonObject result, JsonObject metadata, String source) {
    JsonObject payload = new JsonObject()
      .put("data", result == null ? new JsonObject() : result)
      .put("action", requested.type().action())
      .put("completed_at", Instant.now().toString())
      .put("original_event_id", requested.id());
    return requested.next(EventState.SUCCESS).id(id).metadata(metadata).source(source).payload(payload).build();
  }

  /** @return the {@code :failed} event answering {@code requested} */
  public static Event failedEvent(Event requested, String id, Outcome outcome, JsonObject metadata, String source) {
    JsonObject payload = new JsonObject()
      .put("data", requested.data())
      .put("error", outcome.toJson())
      .put("code", outcome.code().name())
      .put("message", outcome.message())
      .put("correlation_id", requested.correlationId())
      .put("service", requested.type().service())
      .put("action", requested.type().action())
      .put("actor", requested.userId())
      .put("failed_at", Instant.now().toString())
      .put("original_event_id", requested.id());
    return requested.next(EventState.FAILED).id(id).metadata(metadata).source(source).payload(payload).build();
  }

  /** @return the {@code :failed} event answering {@code requested}, made by an edge (no service answered) */
  public static Event failedEvent(Event requested, Outcome outcome, String source) {
    return failedEvent(requested, null, outcome, requested.metadata(), source);
  }

  /** @return the failure a {@code :failed} event carries ({@link Code#UNKNOWN} when it carries none) */
  public static Outcome outcomeOf(Event failed) {
    Object error = failed.payload().getValue("error");
    if (error instanceof JsonObject json) {
      return Outcome.fromJson(json).withContext("event_id", failed.id());
    }
    return Outcome.failure(Code.UNKNOWN, "the failed event carries no error");
  }

  /** @return the outcome of any lifecycle answer: success for {@code :success}, the carried failure otherwise */
  public static Outcome of(Event answer) {
    if (answer.type().hasState(EventState.SUCCESS)) {
      return Outcome.success(answer.data());
    }
    return outcomeOf(answer);
  }

  /** @return {@code failure} as the outcome of an operation, unwrapping an {@link OutcomeException} */
  public static Outcome of(Throwable failure) {
    return Outcome.of(failure);
  }
}
