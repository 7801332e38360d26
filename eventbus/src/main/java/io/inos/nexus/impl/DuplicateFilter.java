package io.inos.nexus.impl;

import io.inos.nexus.Event;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers recently seen event ids, so a duplicate is not processed again, and the most recent answers, so a
 * duplicate is answered with the first request's answer.
 *
 * <p>An id is remembered while its request runs, and for the window after its answer is ready (not after it
 * arrived: a slow request must not be forgotten while its duplicates still come). Running requests are all kept
 * (the handler time-out bounds them). Answered ids are kept in two generations: new ones go into the current
 * generation, which becomes the previous one when it is a window old or holds half the capacity, and the previous
 * one is then dropped whole. So nothing is evicted one by one on the request path, and the memory of a generation is
 * freed at once. A lookup checks each id's own expiry, so the window is exact; only when more than
 * {@code capacity / 2} ids are answered within one window are ids forgotten before their window ends (the older
 * generation, at once). At most {@code capacity} answered ids are remembered.
 *
 * <p>Ids are cheap to keep (the id, a fingerprint, the answer's id and code: a few hundred bytes); answers are not
 * (a whole event, a few KB of JSON objects). Under load every answer kept outlives young collections and is copied
 * by each of them, so only the {@code answerCapacity} most recent answers are kept; an older id is still
 * remembered, with what it was answered (event id and code), for the rest of its window.
 *
 * <p>Each entry keeps a fingerprint of its request (type and user), so a different request that reuses an id is
 * told apart from a true duplicate instead of being handed someone else's answer.
 */
final class DuplicateFilter {

  /**
   * What is known of an earlier request with the same id.
   *
   * @param fingerprint the earlier request's fingerprint
   * @param answer      its answer, complete or not; {@code null} once answered and no longer kept
   * @param answerId    the id of the event it was answered with, {@code null} while it runs
   * @param answerCode  the outcome code it was answered with, {@code null} while it runs
   */
  record Seen(Object fingerprint, Future<Event> answer, String answerId, String answerCode) {
  }

  /** One remembered id; changed only under the filter's lock. */
  private static final class Entry {
    final Object fingerprint;
    Future<Event> answer;
    String answerId;
    String answerCode;
    long expiresAtMs = Long.MAX_VALUE;

    Entry(Object fingerprint, Future<Event> answer) {
      this.fingerprint = fingerprint;
      this.answer = answer;
    }

    Seen seen() {
      return new Seen(fingerprint, answer, answerId, answerCode);
    }
  }

  private final long windowMs;
  private final int generationCapacity;
  private final Map<String, Entry> running = new HashMap<>();
  private Map<String, Entry> current;
  private Map<String, Entry> previous = Map.of();
  private long currentSinceMs;
  /** The most recently answered entries, whose answers are kept: a ring, the next slot to reuse at {@link #kept}. */
  private final Entry[] keptAnswers;
  private int kept;

  /**
   * @param windowMs       how long an answered id is remembered
   * @param capacity       the most answered ids remembered
   * @param answerCapacity the most answers kept (the most recent ones); 0 keeps none once sent
   */
  DuplicateFilter(long windowMs, int capacity, int answerCapacity) {
    this.windowMs = windowMs;
    this.generationCapacity = Math.max(1, capacity / 2);
    this.keptAnswers = new Entry[answerCapacity];
    this.current = generation();
  }

  /** A generation's map, sized so it never grows while it fills (at most {@code generationCapacity} ids). */
  private Map<String, Entry> generation() {
    return new HashMap<>((int) (generationCapacity / 0.75f) + 1);
  }

  /**
   * @param nowMs a monotonic clock in milliseconds
   * @return what is known of an earlier request with this id, or {@code null} when the id is new (it is then
   * remembered as running, with {@code answer})
   */
  synchronized Seen putIfAbsent(String id, Object fingerprint, Future<Event> answer, long nowMs) {
    Entry earlier = running.get(id);
    if (earlier == null) {
      earlier = answered(id, nowMs);
    }
    if (earlier != null) {
      return earlier.seen();
    }
    running.put(id, new Entry(fingerprint, answer));
    return null;
  }

  /** @return the answered entry of {@code id} whose window is still open, or {@code null} */
  private Entry answered(String id, long nowMs) {
    Entry e = current.get(id);
    if (e == null) {
      e = previous.get(id);
    }
    return e != null && e.expiresAtMs > nowMs ? e : null;
  }

  /**
   * Moves {@code id}, whose answer is now ready, from running to answered, where its window starts.
   *
   * @param answerId   the id of the answer event
   * @param answerCode the outcome code of the answer
   */
  synchronized void answered(String id, String answerId, String answerCode, long nowMs) {
    Entry done = running.remove(id);
    if (done == null) {
      return;
    }
    done.answerId = answerId;
    done.answerCode = answerCode;
    done.expiresAtMs = nowMs + windowMs;
    if (current.isEmpty()) {
      currentSinceMs = nowMs;
    } else if (current.size() >= generationCapacity || nowMs - currentSinceMs >= windowMs) {
      // everything in the previous generation has expired (it closed a window ago) unless it is being dropped for
      // room; either way it goes whole
      previous = current;
      current = generation();
      currentSinceMs = nowMs;
    }
    current.put(id, done);
    if (keptAnswers.length == 0) {
      done.answer = null;
      return;
    }
    Entry evicted = keptAnswers[kept];
    if (evicted != null) {
      evicted.answer = null;
    }
    keptAnswers[kept] = done;
    kept = (kept + 1) % keptAnswers.length;
  }

  /** @return how many ids are remembered, running or answered (expired ones until their generation is dropped) */
  synchronized int size() {
    return running.size() + current.size() + previous.size();
  }

  /** @return how many answers of answered ids are kept */
  synchronized int answersKept() {
    int n = 0;
    for (Entry e : keptAnswers) {
      if (e != null && e.answer != null) {
        n++;
      }
    }
    return n;
  }
}
