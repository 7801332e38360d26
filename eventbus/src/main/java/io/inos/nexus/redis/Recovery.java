package io.inos.nexus.redis;

import io.inos.nexus.Event;

import java.util.List;

/**
 * The answer to a recovery (as Centrifugo's): either every event after the client's position, in order and
 * without duplicates ({@code recovered: true}), or {@code recovered: false} when the history no longer reaches back
 * that far (trimmed, expired, lost with Redis, or a gap left while Redis was down) — the client must then
 * re-read its state another way. In both cases {@link #position()} is where the live flow continues.
 *
 * @param recovered whether {@link #events()} is everything the client missed
 * @param events the missed events, oldest first (empty when not recovered)
 * @param position the last position of the scope's history (the position of the last event returned, or later)
 */
public record Recovery(boolean recovered, List<Entry> events, HistoryPosition position) {

  public Recovery {
    events = List.copyOf(events);
  }

  /** One event of the history and its position. */
  public record Entry(HistoryPosition position, Event event) {
  }
}
