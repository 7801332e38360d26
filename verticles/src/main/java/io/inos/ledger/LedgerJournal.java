package io.inos.ledger;

import io.inos.nexus.Event;
import io.inos.nexus.EventJournal;
import io.inos.nexus.EventState;

import java.util.UUID;

/**
 * The Nexus journal backed by the ledger: every lifecycle event becomes a {@link LedgerEntry}, queued on the
 * {@link LedgerWriter} and written in batches off the request path.
 */
public final class LedgerJournal implements EventJournal {

  private final LedgerWriter writer;

  public LedgerJournal(LedgerWriter writer) {
    this.writer = writer;
  }

  @Override
  public void record(Event event) {
    EventState state = event.type().state();
    writer.append(new LedgerEntry(eventId(event.id()), event.type().toString(), state == null ? null : state.wire(),
      event.correlationId(), event.causationId(), event.userId(), event.campaignId(), event.source(),
      event.payload(), event.metadata(), event.timestamp()));
  }

  /**
   * Ledger ids are UUIDs; an id a client chose in another form is mapped to a stable name-based UUID, so the
   * same id always lands on the same row (which keeps retried batches idempotent).
   */
  static UUID eventId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException notAUuid) {
      return UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
