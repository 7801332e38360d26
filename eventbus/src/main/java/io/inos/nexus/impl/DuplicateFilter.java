package io.inos.nexus.impl;

import io.inos.nexus.Event;
import io.vertx.core.Future;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the answers of recently seen event ids, so a duplicate is answered with the first one's outcome
 * instead of being processed again. Bounded in time (the window) and in size (the oldest are forgotten first).
 */
final class DuplicateFilter {

  private final long windowMs;
  private final int capacity;
  private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

  DuplicateFilter(long windowMs, int capacity) {
    this.windowMs = windowMs;
    this.capacity = capacity;
  }

  /**
   * @return the answer of an earlier event with this id, or {@code null} when the id is new (and is now
   * remembered with {@code answer})
   */
  synchronized Future<Event> putIfAbsent(String id, Future<Event> answer, long nowMs) {
    evict(nowMs);
    Seen earlier = seen.get(id);
    if (earlier != null) {
      return earlier.answer;
    }
    seen.put(id, new Seen(answer, nowMs + windowMs));
    return null;
  }

  synchronized int size() {
    return seen.size();
  }

  private void evict(long nowMs) {
    Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Seen s = it.next().getValue();
      if (seen.size() >= capacity || s.expiresAt <= nowMs) {
        it.remove();
      } else {
        break;
      }
    }
  }

  private record Seen(Future<Event> answer, long expiresAt) {
  }
}
