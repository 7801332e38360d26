package io.inos.nexus.impl;

import io.inos.nexus.Event;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class DuplicateFilterTest {

  private static final long WINDOW = 1_000;

  private final DuplicateFilter filter = new DuplicateFilter(WINDOW, 3);

  private static Future<Event> answer() {
    return Promise.<Event>promise().future();
  }

  @Test
  void takesAnIdOnceAndHandsDuplicatesTheFirstAnswer() {
    Future<Event> first = answer();
    assertNull(filter.putIfAbsent("a", "t|u", first, 0));
    DuplicateFilter.Seen seen = filter.putIfAbsent("a", "t|u", answer(), 10);
    assertNotNull(seen);
    assertSame(first, seen.answer());
    assertEquals("t|u", seen.fingerprint());
  }

  @Test
  void remembersARunningRequestHoweverLongItRuns() {
    Future<Event> first = answer();
    filter.putIfAbsent("a", "f", first, 0);
    assertSame(first, filter.putIfAbsent("a", "f", answer(), 10 * WINDOW).answer());
  }

  @Test
  void theWindowStartsWhenTheAnswerIsReady() {
    Future<Event> first = answer();
    filter.putIfAbsent("a", "f", first, 0);
    filter.answered("a", 5 * WINDOW);
    assertSame(first, filter.putIfAbsent("a", "f", answer(), 6 * WINDOW - 1).answer());
    assertNull(filter.putIfAbsent("a", "f", answer(), 6 * WINDOW), "forgotten once the window has passed");
  }

  @Test
  void forgetsTheOldestAnswersPastTheCapacityButNoRunningRequest() {
    filter.putIfAbsent("running", "f", answer(), 0);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      filter.putIfAbsent(id, "f", answer(), 1);
      filter.answered(id, 1);
    }
    assertEquals(4, filter.size(), "3 answered and 1 running");
    assertNull(filter.putIfAbsent("a", "f", answer(), 2), "the oldest answer was forgotten");
    assertNotNull(filter.putIfAbsent("d", "f", answer(), 2));
    assertNotNull(filter.putIfAbsent("running", "f", answer(), 2));
  }

  @Test
  void expiredAnswersAreEvictedAsNewIdsArrive() {
    for (String id : new String[] {"a", "b"}) {
      filter.putIfAbsent(id, "f", answer(), 0);
      filter.answered(id, 0);
    }
    filter.putIfAbsent("c", "f", answer(), WINDOW);
    assertEquals(1, filter.size());
  }
}
