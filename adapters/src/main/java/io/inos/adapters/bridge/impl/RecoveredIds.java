package io.inos.adapters.bridge.impl;

import io.inos.nexus.Event;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The ids of the last events a recovery delivered at one address, kept for a while after the address went live:
 * an event read from the history may still have its live delivery on the way (from another node, or queued on the
 * session's event loop behind the read's answer), and that copy must be dropped. Each id is dropped once (an event
 * arrives live at most once); the set ends after {@link #KEEP_NANOS} or when the subscription ends. Only the tail
 * is kept: the events the live flow can still bring are the most recent ones.
 */
final class RecoveredIds {

  static final int MAX_IDS = 1024;
  static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Set<String> ids;
  private final long until;

  private RecoveredIds(Set<String> ids, long until) {
    this.ids = ids;
    this.until = until;
  }

  static RecoveredIds tailOf(List<Event> events) {
    Set<String> ids = new HashSet<>();
    for (int i = Math.max(0, events.size() - MAX_IDS); i < events.size(); i++) {
      ids.add(events.get(i).id());
    }
    return new RecoveredIds(ids, System.nanoTime() + KEEP_NANOS);
  }

  boolean expired(long nowNanos) {
    return nowNanos - until > 0 || ids.isEmpty();
  }

  /** @return whether {@code id} was recovered and not yet seen live (it is forgotten now) */
  boolean take(String id) {
    return ids.remove(id);
  }
}
