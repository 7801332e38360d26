package io.inos.nexus.redis;

import java.util.Objects;

/**
 * A position in the history of one scope: the Redis Stream entry id of an event plus the epoch of the stream.
 *
 * <p>Why the stream id, not the event id: the stream id is given by Redis when the event is appended, so it is
 * strictly increasing in the order the history holds the events, whichever node appended them, and "everything
 * after X" is one range read. Event ids are UUIDv7 made on each node's clock: they sort by time only as well as the
 * clocks agree, so they cannot be the cursor. (A client that only knows the last event id it saw can still
 * recover: {@link EventHistory#recoverAfterEvent}.)
 *
 * <p>The epoch is a random name given to a stream when it is created; it changes when the stream is lost (Redis
 * restarted without persistence, or an idle stream expired) and made again, so a position from the old stream is
 * recognised as such and answered {@code recovered: false} instead of silently skipping what was lost.
 *
 * <p>Text form ({@link #toString()}, {@link #parse}): {@code {offset}@{epoch}}, e.g. {@code 1732723200000-0@a1b2c3d4};
 * clients treat it as opaque.
 *
 * @param offset the stream entry id {@code {ms}-{seq}}; {@code 0-0} for "before the first entry"
 * @param epoch the stream's epoch
 */
public record HistoryPosition(String offset, String epoch) {

  public HistoryPosition {
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(epoch, "epoch");
    if (!offset.matches("\\d{1,20}-\\d{1,20}")) {
      throw new IllegalArgumentException("a history offset is {ms}-{seq}, not '" + offset + "'");
    }
    if (epoch.isEmpty() || epoch.contains("@")) {
      throw new IllegalArgumentException("a history epoch must be a non-empty name without '@', not '" + epoch + "'");
    }
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not {@code {offset}@{epoch}}; the message says why
   */
  public static HistoryPosition parse(String text) {
    int at = text == null ? -1 : text.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("a history position is {offset}@{epoch}, not '" + text + "'");
    }
    return new HistoryPosition(text.substring(0, at), text.substring(at + 1));
  }

  @Override
  public String toString() {
    return offset + "@" + epoch;
  }
}
