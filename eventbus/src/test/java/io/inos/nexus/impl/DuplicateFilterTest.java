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

  private final DuplicateFilter filter = new DuplicateFilter(WINDOW, 3, 3);

  private static Future<Event> answer() {
    return Promise.<Event>promise().future();
  }

  private static void answer(DuplicateFilter filter, String id, long nowMs) {
    filter.answered(id, "answer-of-" + id, "OK", nowMs);
  }

  @Test
  void takesAnIdOnceAndHandsDuplicatesTheFirstAnswer() {
    Future<Event> first = answer();
    assertNull(filter.putIfAbsent("a", "t|u", first, 0));
    DuplicateFilter.Seen seen = filter.putIfAbsent("a", "t|u", answer(), 10);
    assertNotNull(seen);
    assertSame(first, seen.answer());
    assertEquals("t|u", seen.fingerprint());
    assertNull(seen.answerId(), "still running");
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
    answer(filter, "a", 5 * WINDOW);
    DuplicateFilter.Seen seen = filter.putIfAbsent("a", "f", answer(), 6 * WINDOW - 1);
    assertSame(first, seen.answer());
    assertEquals("answer-of-a", seen.answerId());
    assertEquals("OK", seen.answerCode());
    assertNull(filter.putIfAbsent("a", "f", answer(), 6 * WINDOW), "forgotten once the window has passed");
  }

  @Test
  void forgetsTheOlderHalfOfTheAnswersPastTheCapacityButNoRunningRequest() {
    DuplicateFilter four = new DuplicateFilter(WINDOW, 4, 4);
    four.putIfAbsent("running", "f", answer(), 0);
    for (String id : new String[] {"a", "b", "c", "d", "e"}) {
      four.putIfAbsent(id, "f", answer(), 1);
      answer(four, id, 1);
    }
    assertEquals(4, four.size(), "3 answered (c, d, e) and 1 running");
    assertNull(four.putIfAbsent("a", "f", answer(), 2), "the older half was forgotten at once");
    assertNull(four.putIfAbsent("b", "f", answer(), 2));
    for (String id : new String[] {"c", "d", "e", "running"}) {
      assertNotNull(four.putIfAbsent(id, "f", answer(), 2), id);
    }
  }

  @Test
  void expiredIdsAreForgottenAndTheirMemoryFreedAGenerationLater() {
    DuplicateFilter ten = new DuplicateFilter(WINDOW, 10, 10);
    for (String id : new String[] {"a", "b"}) {
      ten.putIfAbsent(id, "f", answer(), 0);
      answer(ten, id, 0);
    }
    assertNull(ten.putIfAbsent("a", "f", answer(), WINDOW), "the window has passed");
    answer(ten, "a", WINDOW);
    ten.putIfAbsent("c", "f", answer(), 2 * WINDOW);
    answer(ten, "c", 2 * WINDOW);
    assertEquals(2, ten.size(), "the generation of the first a and b was dropped whole");
  }

  @Test
  void keepsOnlyTheMostRecentAnswersButRemembersEveryIdForItsWindow() {
    DuplicateFilter small = new DuplicateFilter(WINDOW, 10, 2);
    for (String id : new String[] {"a", "b", "c"}) {
      small.putIfAbsent(id, "f", answer(), 0);
      answer(small, id, 0);
    }
    assertEquals(2, small.answersKept());

    DuplicateFilter.Seen oldest = small.putIfAbsent("a", "f", answer(), 1);
    assertNotNull(oldest, "the id is still remembered, so it is not processed again");
    assertNull(oldest.answer(), "its answer is no longer kept");
    assertEquals("answer-of-a", oldest.answerId());
    assertEquals("OK", oldest.answerCode());
    assertNotNull(small.putIfAbsent("c", "f", answer(), 1).answer(), "the most recent answers are kept");
  }

  @Test
  void aCapacityOfNoAnswersStillSharesTheAnswerWhileTheRequestRuns() {
    DuplicateFilter none = new DuplicateFilter(WINDOW, 10, 0);
    Future<Event> first = answer();
    none.putIfAbsent("a", "f", first, 0);
    assertSame(first, none.putIfAbsent("a", "f", answer(), 1).answer());
    answer(none, "a", 2);
    assertEquals(0, none.answersKept());
    assertEquals("answer-of-a", none.putIfAbsent("a", "f", answer(), 3).answerId());
  }
}
