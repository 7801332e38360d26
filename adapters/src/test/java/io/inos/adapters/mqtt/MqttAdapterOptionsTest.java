package io.inos.adapters.mqtt;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttAdapterOptionsTest {

  @Test
  void jsonRoundTripKeepsEveryValue() {
    MqttAdapterOptions options = new MqttAdapterOptions().setHost("127.0.0.1").setPort(0).setWebsocketPort(9001)
      .setMaxMessageSize(4096).setMaxClientIdLength(64).setMaxKeepAliveSeconds(120).setMaxInflight(7)
      .setMaxQueuedMessages(50).setMaxSubscriptionsPerSession(5).setTopicAliasMaximum(3).setMaxSessionExpirySeconds(600)
      .setTimeoutOnConnectSeconds(4)
      .setSysIntervalSeconds(3).setMaxRetainedMessages(99).setRedisUrl("redis://127.0.0.1:6379")
      .setRedisKeyPrefix("node-1:mqtt:");
    JsonObject json = options.toJson();
    MqttAdapterOptions read = new MqttAdapterOptions(json);
    assertEquals(json, read.toJson());
    assertEquals(9001, read.getWebsocketPort());
    assertEquals(7, read.getMaxInflight());
    assertEquals(5, read.getMaxSubscriptionsPerSession());
    assertEquals(3, read.getSysIntervalSeconds());
    assertEquals(99, read.getMaxRetainedMessages());
    assertEquals("redis://127.0.0.1:6379", read.getRedisUrl());
    assertEquals("node-1:mqtt:", read.getRedisKeyPrefix());
    MqttAdapterOptions defaults = new MqttAdapterOptions(new JsonObject());
    assertEquals(MqttAdapterOptions.DEFAULT_PORT, defaults.getPort());
    assertEquals(100, defaults.getMaxSubscriptionsPerSession());
    assertEquals(null, defaults.getRedisUrl(), "memory only unless a Redis is named");
    assertEquals(MqttAdapterOptions.DEFAULT_REDIS_KEY_PREFIX, defaults.getRedisKeyPrefix());
  }

  @Test
  void badValuesNameTheirKey() {
    assertKey("port", new JsonObject().put("port", 70_000));
    assertKey("port", new JsonObject().put("port", "eighty"));
    assertKey("websocketPort", new JsonObject().put("websocketPort", -2));
    assertKey("maxMessageSize", new JsonObject().put("maxMessageSize", 10));
    assertKey("maxKeepAliveSeconds", new JsonObject().put("maxKeepAliveSeconds", 0));
    assertKey("maxKeepAliveSeconds", new JsonObject().put("maxKeepAliveSeconds", 70_000));
    assertKey("maxInflight", new JsonObject().put("maxInflight", 0));
    assertKey("maxQueuedMessages", new JsonObject().put("maxQueuedMessages", -1));
    assertKey("maxSubscriptionsPerSession", new JsonObject().put("maxSubscriptionsPerSession", 0));
    assertKey("topicAliasMaximum", new JsonObject().put("topicAliasMaximum", 65_536));
    assertKey("maxClientIdLength", new JsonObject().put("maxClientIdLength", 5));
    assertKey("sysIntervalSeconds", new JsonObject().put("sysIntervalSeconds", -1));
    assertKey("host", new JsonObject().put("host", ""));
    assertKey("maxRetainedMessages", new JsonObject().put("maxRetainedMessages", 0));
    assertKey("redisUrl", new JsonObject().put("redisUrl", "localhost:6379"));
    assertKey("redisKeyPrefix", new JsonObject().put("redisKeyPrefix", ""));
    assertKey("bridge", new JsonObject().put("bridge", "nope"));
    assertKey("maxInboundPerSecond", new JsonObject().put("bridge", new JsonObject().put("maxInboundPerSecond", 0)));
  }

  private static void assertKey(String key, JsonObject json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MqttAdapterOptions(json));
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }
}
