package io.inos.ledger;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of the ledger: an event or an outcome, with its lineage (correlation and causation ids) and context.
 *
 * <p>The payload and metadata objects are written some milliseconds after {@link LedgerWriter#append}: the caller
 * must not change them after appending (events are immutable values, so this holds for entries made from events).
 *
 * @param eventId       the event's id; unique in the ledger, so appending the same event twice records it once
 * @param type          canonical event type, e.g. {@code campaign:create:v1:success}
 * @param state         lifecycle state ({@code requested}, {@code started}, {@code success}, {@code failed}), may be null
 * @param correlationId the request this event belongs to, may be null
 * @param causationId   the event that caused this one, may be null
 * @param userId        the acting user, may be null
 * @param campaignId    the campaign, may be null
 * @param source        who emitted it (service, adapter, node), may be null
 * @param payload       the event's payload; {@code null} is recorded as {@code {}}
 * @param metadata      the event's metadata; {@code null} is recorded as {@code {}}
 * @param occurredAt    when the event happened (not when it was written)
 */
public record LedgerEntry(UUID eventId, String type, String state, String correlationId, String causationId,
                          String userId, String campaignId, String source, JsonObject payload, JsonObject metadata,
                          Instant occurredAt) {

  /** Rejects what the table rejects, here at the caller rather than later in a batch that would then fail whole. */
  public LedgerEntry {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurredAt");
    payload = payload == null ? new JsonObject() : payload;
    metadata = metadata == null ? new JsonObject() : metadata;
  }
}
