package io.inos.nexus.impl;

import io.inos.nexus.Event;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the answers of recently seen event ids, so a duplicate is answered with the first one's outcome
 * instead of being processed again.
 *
 * <p>An id is remembered while its request runs, and for the window after its answer is ready (not after it
 * arrived: a slow request must not be forgotten while its duplicates still come). Running requests are all kept
 * (the handler time-out bounds them); of the answered ones at most {@code capacity} are kept, the oldest forgotten
 * first. Answered entries are kept in the order in which they expire, so eviction only looks at the head.
 *
 * <p>Each entry keeps a fingerprint of its request (type and user), so a different request that reuses an id is
 * told apart from a true duplicate instead of being handed someone else's answer.
 */
final class DuplicateFilter {

  /** What is known of an id: the request's fingerprint and its answer (complete or not). */
  record Seen(String fingerprint, Future<Event> answer, long expiresAtMs) {
  }

  private final long windowMs;
  private final int capacity;
  private final Map<String, Seen> running = new HashMap<>();
  private final LinkedHashMap<String, Seen> answered = new LinkedHashMap<>();

  DuplicateFilter(long windowMs, int capacity) {
    this.windowMs = windowMs;
    this.capacity = capacity;
  }

  /**
   * @param nowMs a monotonic clock in milliseconds
   * @return what is known of an earlier request with this id, or {@code null} when the id is new (it is then
   * remembered as running, with {@code answer})
   */
  synchronized Seen putIfAbsent(String id, String fingerprint, Future<Event> answer, long nowMs) {
    evictExpired(nowMs);
    Seen earlier = running.get(id);
    if (earlier == null) {
      earlier = answered.get(id);
    }
    if (earlier != null) {
      return earlier;
    }
    running.put(id, new Seen(fingerprint, answer, Long.MAX_VALUE));
    return null;
  }

  /** Moves {@code id}, whose answer is now ready, from running to answered, where its window starts. */
  synchronized void answered(String id, long nowMs) {
    Seen done = running.remove(id);
    if (done != null) {
      while (answered.size() >= capacity) {
        Iterator<String> oldest = answered.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      answered.put(id, new Seen(done.fingerprint(), done.answer(), nowMs + windowMs));
    }
  }

  /** @return how many ids are remembered, running or answered */
  synchronized int size() {
    return running.size() + answered.size();
  }

  private void evictExpired(long nowMs) {
    Iterator<Seen> it = answered.values().iterator();
    while (it.hasNext() && it.next().expiresAtMs() <= nowMs) {
      it.remove();
    }
  }
}
