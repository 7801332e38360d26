package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.MqttTopics;
import io.inos.adapters.mqtt.Publication;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The topic tree of retained messages: the same answers as {@link MqttTopics#matches}, bounded, expiring. */
class InMemoryRetainedStoreTest {

  static Publication retained(String topic, String payload, long expiresAt) {
    return new Publication(topic, Buffer.buffer(payload), 1, true, null, expiresAt, null);
  }

  private static Set<String> topics(List<Publication> found) {
    return found.stream().map(Publication::topic).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyFilterFindsWhatMqttTopicsMatches() {
    Random random = new Random(42);
    String[] words = {"a", "b", "c", "", "$SYS", "sensors"};
    List<String> topics = new ArrayList<>();
    InMemoryRetainedStore store = new InMemoryRetainedStore(10_000);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder topic = new StringBuilder(words[random.nextInt(words.length)]);
      for (int level = random.nextInt(4); level > 0; level--) {
        topic.append('/').append(words[random.nextInt(words.length)]);
      }
      if (MqttTopics.invalidTopicName(topic.toString()) == null) {
        topics.add(topic.toString());
        store.keep(retained(topic.toString(), "x", 0));
      }
    }
    String[] filterWords = {"a", "b", "", "+", "$SYS", "sensors"};
    for (int i = 0; i < 2_000; i++) {
      StringBuilder filter = new StringBuilder(filterWords[random.nextInt(filterWords.length)]);
      for (int level = random.nextInt(4); level > 0; level--) {
        filter.append('/').append(filterWords[random.nextInt(filterWords.length)]);
      }
      if (random.nextInt(3) == 0) {
        filter.append(filter.length() == 0 ? "#" : "/#");
      }
      String f = filter.toString();
      if (MqttTopics.invalidFilter(f) != null) {
        continue;
      }
      Set<String> expected = topics.stream().filter(t -> MqttTopics.matches(f, t))
        .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, topics(store.match(f).result()), "filter " + f);
    }
    assertEquals(new TreeSet<>(topics).size(), store.size());
  }

  @Test
  void anEmptyPayloadClearsAndTheBoundRefusesOnlyNewTopics() {
    InMemoryRetainedStore store = new InMemoryRetainedStore(2);
    assertTrue(store.keep(retained("a/b", "1", 0)));
    assertTrue(store.keep(retained("a/c", "2", 0)));
    assertFalse(store.keep(retained("a/d", "3", 0)), "full: a new topic is refused");
    assertTrue(store.keep(retained("a/b", "4", 0)), "full: a known topic is replaced");
    assertEquals("4", store.get("a/b").payload().toString());
    assertTrue(store.keep(retained("a/b", "", 0)), "an empty payload clears");
    assertNull(store.get("a/b"));
    assertEquals(1, store.size());
    assertTrue(store.keep(retained("a/d", "3", 0)), "room again");
    assertEquals(Set.of("a/c", "a/d"), topics(store.match("a/#").result()));
    assertEquals(Set.of("a/c", "a/d"), topics(store.match("#").result()));
  }

  @Test
  void anExpiredMessageIsNotMatchedAndLeaves() {
    List<String> expired = new ArrayList<>();
    InMemoryRetainedStore store = new InMemoryRetainedStore(10, expired::add);
    store.keep(retained("x/old", "gone", System.currentTimeMillis() - 1));
    store.keep(retained("x/new", "here", System.currentTimeMillis() + 60_000));
    assertEquals(Set.of("x/new"), topics(store.match("x/+").result()));
    assertEquals(List.of("x/old"), expired);
    assertEquals(1, store.size());
    assertNull(store.get("x/old"));
  }
}
