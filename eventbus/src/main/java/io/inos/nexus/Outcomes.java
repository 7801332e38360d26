package io.inos.nexus;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeContext;
import io.inos.graceful.OutcomeException;
import io.inos.graceful.Timestamps;
import io.inos.nexus.impl.Handover;
import io.inos.nexus.impl.JsonCopy;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Between outcomes and lifecycle events: the {@code :started}, {@code :success} and {@code :failed} events of a
 * request, and the outcome a {@code :failed} event carries.
 *
 * <p>A started payload is {@code {"data": {}, "action", "started_at", "original_event_id"}}; a success payload is
 * {@code {"data": result, "action", "completed_at", "original_event_id"}}; a failure payload is
 * {@code {"data": request data, "error": outcome, "code", "message", "correlation_id", "service", "action",
 * "actor", "failed_at", "original_event_id"}}, as in the original INOS.
 */
public final class Outcomes {

  static {
    Handover.install(new Handover() {
      @Override
      protected Event outcomeEvent(Event requested, OutcomeContext ctx, JsonObject result, String source) {
        Outcome outcome = ctx.outcome();
        return outcome.isSuccess()
          ? successEvent(requested, ctx.outcomeEventId(), result == null ? outcome.result() : result,
              ctx.snapshotMetadata(), false, ctx.completedAt(), ctx.completedAtText(), source)
          : Outcomes.outcomeEvent(requested, ctx, source);
      }
    });
  }

  private Outcomes() {
  }

  /**
   * @param startedAt when the host started the request; the event's timestamp and its {@code started_at}
   * @return the {@code :started} event of {@code requested}
   */
  public static Event startedEvent(Event requested, Instant startedAt, String source) {
    JsonObject payload = new JsonObject()
      .put("data", new JsonObject())
      .put("action", requested.type().action())
      .put("started_at", Timestamps.format(startedAt))
      .put("original_event_id", requested.id());
    return requested.next(EventState.STARTED).timestamp(startedAt).source(source).adoptPayload(payload).build();
  }

  /** @return the {@code :success} event answering {@code requested} */
  public static Event successEvent(Event requested, String id, JsonObject result, JsonObject metadata, String source) {
    Instant now = Instant.now();
    return successEvent(requested, id, result == null ? new JsonObject() : JsonCopy.of(result), JsonCopy.of(metadata),
      true, now, Timestamps.format(now), source);
  }

  /** @return the {@code :failed} event answering {@code requested} */
  public static Event failedEvent(Event requested, String id, Outcome outcome, JsonObject metadata, String source) {
    Instant now = Instant.now();
    return failedEvent(requested, id, outcome, JsonCopy.of(metadata), true, now, Timestamps.format(now), source);
  }

  /** @return the {@code :failed} event answering {@code requested}, made by an edge (no service answered) */
  public static Event failedEvent(Event requested, Outcome outcome, String source) {
    Instant now = Instant.now();
    return failedEvent(requested, null, outcome, requested.metadataView(), false, now, Timestamps.format(now), source);
  }

  /**
   * The outcome event of a pipeline run: {@code :success} or {@code :failed} by the context's outcome, with the
   * context's outcome event id, its metadata as the hooks before have left it ({@link
   * OutcomeContext#snapshotMetadata()}: later changes through the context do not reach the event) and its
   * completion time as the event's timestamp and its {@code completed_at} or {@code failed_at}.
   */
  public static Event outcomeEvent(Event requested, OutcomeContext ctx, String source) {
    Outcome outcome = ctx.outcome();
    return outcome.isSuccess()
      ? successEvent(requested, ctx.outcomeEventId(), outcome.result(), ctx.snapshotMetadata(), false,
          ctx.completedAt(), ctx.completedAtText(), source)
      : failedEvent(requested, ctx.outcomeEventId(), outcome, ctx.snapshotMetadata(), false, ctx.completedAt(),
          ctx.completedAtText(), source);
  }

  /**
   * {@code result} is taken as it is (made for this event); so is {@code metadata}, which the event may complete
   * when {@code owned}, and otherwise leaves as it is (it is shared with someone who keeps it unchanged).
   */
  private static Event successEvent(Event requested, String id, JsonObject result, JsonObject metadata,
                                    boolean owned, Instant at, String atText, String source) {
    JsonObject payload = new JsonObject()
      .put("data", result)
      .put("action", requested.type().action())
      .put("completed_at", atText)
      .put("original_event_id", requested.id());
    return withMetadata(requested.next(EventState.SUCCESS), metadata, owned).id(id).timestamp(at).source(source)
      .adoptPayload(payload).build();
  }

  /** {@code metadata} is taken as for a success; the request's data is shared, never changed. */
  private static Event failedEvent(Event requested, String id, Outcome outcome, JsonObject metadata, boolean owned,
                                   Instant at, String atText, String source) {
    JsonObject data = requested.dataView();
    JsonObject payload = new JsonObject()
      .put("data", data == null ? new JsonObject() : data)
      .put("error", outcome.toJson())
      .put("code", outcome.code().name())
      .put("message", outcome.message())
      .put("correlation_id", requested.correlationId())
      .put("service", requested.type().service())
      .put("action", requested.type().action())
      .put("actor", requested.userId())
      .put("failed_at", atText)
      .put("original_event_id", requested.id());
    return withMetadata(requested.next(EventState.FAILED), metadata, owned).id(id).timestamp(at).source(source)
      .adoptPayload(payload).build();
  }

  private static Event.Builder withMetadata(Event.Builder builder, JsonObject metadata, boolean owned) {
    return owned ? builder.adoptMetadata(metadata) : builder.shareMetadata(metadata);
  }

  /** @return the failure a {@code :failed} event carries ({@link Code#UNKNOWN} when it carries none) */
  public static Outcome outcomeOf(Event failed) {
    Object error = failed.payloadView().getValue("error");
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
