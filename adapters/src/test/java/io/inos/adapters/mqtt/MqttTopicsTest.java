package io.inos.adapters.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttTopicsTest {

  @Test
  void oneRuleBothWays() {
    assertEquals("campaign:42", MqttTopics.toAddress("campaign/42"));
    assertEquals("campaign/42", MqttTopics.toTopic("campaign:42"));
    assertEquals("content:create_content:v1:completed", MqttTopics.toAddress("content/create_content/v1/completed"));
    assertEquals("content/create_content/v1/completed", MqttTopics.toTopic("content:create_content:v1:completed"));
    assertEquals("a/b", MqttTopics.toTopic(MqttTopics.toAddress("a/b")));
    assertNull(MqttTopics.toTopic("has/slash"), "an address with '/' has no topic");
  }

  @Test
  void topicNamesAndFilters() {
    assertNull(MqttTopics.invalidTopicName("sensors/room1/temp"));
    assertNotNull(MqttTopics.invalidTopicName("a/+"));
    assertNotNull(MqttTopics.invalidTopicName("a/#"));
    assertNotNull(MqttTopics.invalidTopicName("a:b"));
    assertNotNull(MqttTopics.invalidTopicName(""));
    assertNull(MqttTopics.invalidFilter("a/+/c/#"));
    assertNull(MqttTopics.invalidFilter("#"));
    assertNotNull(MqttTopics.invalidFilter("a/b#"));
    assertNotNull(MqttTopics.invalidFilter("a/#/c"));
    assertNotNull(MqttTopics.invalidFilter("a+/b"));
    assertArrayEquals(new String[] {"g", "a/+"}, MqttTopics.splitShared("$share/g/a/+"));
    assertNull(MqttTopics.splitShared("$share/g"));
    assertNull(MqttTopics.splitShared("$share//a"));
  }

  @Test
  void matching() {
    assertTrue(MqttTopics.matches("a/+/c", "a/b/c"));
    assertFalse(MqttTopics.matches("a/+/c", "a/b/d"));
    assertTrue(MqttTopics.matches("a/#", "a"));
    assertTrue(MqttTopics.matches("a/#", "a/b/c"));
    assertTrue(MqttTopics.matches("+", "a"));
    assertFalse(MqttTopics.matches("+", "a/b"));
    assertTrue(MqttTopics.matches("a/+", "a/"));
    assertFalse(MqttTopics.matches("a/+", "a"));
    assertFalse(MqttTopics.matches("#", "$SYS/x"));
    assertFalse(MqttTopics.matches("+/x", "$SYS/x"));
    // an empty last level is a level: "a/b/" has three
    assertFalse(MqttTopics.matches("a/+/b/", "a/x/b"));
    assertTrue(MqttTopics.matches("a/+/b/", "a/x/b/"));
    assertFalse(MqttTopics.matches("a/b", "a/b/"));
    assertTrue(MqttTopics.matches("a/+/#", "a/x"));
    assertFalse(MqttTopics.matches("a/+/#", "a"));
    assertTrue(MqttTopics.matches("$SYS/#", "$SYS/x"));
    assertTrue(MqttTopics.matches("a/b", "a/b"));
    assertFalse(MqttTopics.matches("a/b", "a/bc"));
  }
}
