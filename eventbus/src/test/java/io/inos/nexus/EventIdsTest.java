package io.inos.nexus;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {

  @Test
  void idsAreVersion7UuidsThatStartWithTheTime() {
    long before = System.currentTimeMillis();
    UUID id = EventIds.nextUuid();
    long after = System.currentTimeMillis();

    assertEquals(7, id.version());
    assertEquals(2, id.variant(), "the IETF variant");
    long millis = id.getMostSignificantBits() >>> 16;
    assertTrue(millis >= before && millis <= after, () -> millis + " not in [" + before + ", " + after + "]");
    assertEquals(id, UUID.fromString(id.toString()));
  }

  @Test
  void idsAreUniqueAndTextIsTheUsualForm() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = EventIds.next();
      assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
      assertTrue(seen.add(id), "a repeated id: " + id);
    }
  }

  @Test
  void idsOfLaterMillisecondsSortLater() {
    String first = EventIds.next();
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() == start) {
      Thread.onSpinWait(); // the next millisecond, a few microseconds away
    }
    assertTrue(EventIds.next().compareTo(first) > 0);
  }
}
