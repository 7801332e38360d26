package io.inos.nexus.redis;

import io.inos.nexus.redis.RedisExtensionOptions.HistoryScope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisExtensionOptionsTest {

  @Test
  void jsonRoundTripKeepsEverySetting() {
    RedisExtensionOptions options = new RedisExtensionOptions().setUrl("redis://cache:6380").setKeyPrefix("eu:")
      .addHistoryScope(new HistoryScope("campaign:*", 500, 60_000)).addHistoryScope(HistoryScope.ofLength("system", 50))
      .setAppendBufferLimit(7).setMaxRecovered(9).setClusterId("eu-1").setRelayTypes(List.of("content:*"))
      .setRelayToOriginal(false).setRelayFromOriginal(true).setRelayBetweenClusters(false)
      .setOriginalChannel("legacy:events").setDedupWindowMs(1234).setPresenceTtlMs(4567).setPermitsPerSecond(2.5)
      .setBurst(10).setReconnectInitialDelayMs(5).setReconnectMaxDelayMs(50).setHealthCheckIntervalMs(77);
    JsonObject json = options.toJson();
    RedisExtensionOptions back = new RedisExtensionOptions(json);
    assertEquals(json, back.toJson());
    assertEquals(List.of(new HistoryScope("campaign:*", 500, 60_000), new HistoryScope("system", 50, 0)),
      back.getHistoryScopes());
    assertEquals("eu-1", back.getClusterId());
    assertEquals(2.5, back.getPermitsPerSecond());
    // and through text, as a config file would
    assertEquals(json, new RedisExtensionOptions(new JsonObject(json.encode())).toJson());
  }

  @Test
  void defaultsAreSafe() {
    RedisExtensionOptions d = new RedisExtensionOptions(new JsonObject());
    assertEquals(RedisExtensionOptions.DEFAULT_URL, d.getUrl());
    assertTrue(d.getRelayTypes().isEmpty(), "nothing is relayed unless chosen");
    assertEquals("nexus:events", d.getOriginalChannel());
  }

  @Test
  void badValuesNameTheirKey() {
    assertMessage("url", new JsonObject().put("url", "http://x"));
    assertMessage("keyPrefix", new JsonObject().put("keyPrefix", ""));
    assertMessage("historyScopes[0].maxLength or historyScopes[0].maxAgeMs",
      new JsonObject().put("historyScopes", new JsonArray().add(new JsonObject().put("pattern", "campaign:*"))));
    assertMessage("historyScopes[1].maxLength", new JsonObject().put("historyScopes", new JsonArray()
      .add(new JsonObject().put("pattern", "a").put("maxLength", 1))
      .add(new JsonObject().put("pattern", "b").put("maxLength", -1))));
    assertMessage("historyScopes[0].pattern", new JsonObject().put("historyScopes", new JsonArray()
      .add(new JsonObject().put("pattern", "a*b").put("maxLength", 1))));
    assertMessage("historyScopes[1].pattern", new JsonObject().put("historyScopes", new JsonArray()
      .add(new JsonObject().put("pattern", "a").put("maxLength", 1))
      .add(new JsonObject().put("pattern", "a").put("maxLength", 2))));
    assertMessage("relay.types[0]", new JsonObject().put("relay", new JsonObject().put("types", new JsonArray().add(3))));
    assertMessage("relay.dedupWindowMs", new JsonObject().put("relay", new JsonObject().put("dedupWindowMs", 0)));
    assertMessage("relay.toOriginal", new JsonObject().put("relay", new JsonObject().put("toOriginal", "yes")));
    assertMessage("presenceTtlMs", new JsonObject().put("presenceTtlMs", 1));
    assertMessage("rateLimit.burst", new JsonObject().put("rateLimit", new JsonObject().put("burst", 0.5)));
    assertMessage("appendBufferLimit", new JsonObject().put("appendBufferLimit", 0));
    assertMessage("reconnect.maxDelayMs", new JsonObject().put("reconnect",
      new JsonObject().put("initialDelayMs", 100).put("maxDelayMs", 10)));
  }

  private static void assertMessage(String key, JsonObject json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RedisExtensionOptions(json));
    assertTrue(e.getMessage().contains(key), "'" + e.getMessage() + "' should name " + key);
  }

  @Test
  void positionsRoundTripAndRejectGarbage() {
    HistoryPosition p = HistoryPosition.parse("1732723200000-3@a1b2");
    assertEquals(new HistoryPosition("1732723200000-3", "a1b2"), p);
    assertEquals("1732723200000-3@a1b2", p.toString());
    assertThrows(IllegalArgumentException.class, () -> HistoryPosition.parse("12-3"));
    assertThrows(IllegalArgumentException.class, () -> HistoryPosition.parse("x@y"));
  }
}
