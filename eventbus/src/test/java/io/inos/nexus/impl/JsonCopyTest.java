package io.inos.nexus.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonCopyTest {

  @Test
  void copiesDeeplyWhatJsonObjectCopyCopies() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("k", "v");
    List<Object> rawList = new ArrayList<>(List.of(1, "two"));
    JsonObject json = new JsonObject()
      .put("s", "text").put("i", 1).put("d", 2.5).put("b", true).putNull("n")
      .put("o", new JsonObject().put("x", new JsonArray().add(1).add(new JsonObject().put("y", "z"))))
      .put("raw", raw).put("rawList", rawList)
      .put("at", Instant.parse("2026-11-27T16:00:00Z")).put("bytes", new byte[] {1, 2})
      .put("buffer", Buffer.buffer("b"));
    for (int i = 0; i < 20; i++) {
      json.put("f" + i, i);
    }

    JsonObject copy = JsonCopy.of(json);
    assertEquals(json.copy(), copy);
    assertEquals(json, copy);
    assertEquals(List.copyOf(json.fieldNames()), List.copyOf(copy.fieldNames()), "the order is kept");

    copy.getJsonObject("o").getJsonArray("x").getJsonObject(1).put("y", "changed");
    copy.getJsonObject("raw").put("k", "changed");
    copy.getJsonArray("rawList").add(3);
    assertEquals("z", json.getJsonObject("o").getJsonArray("x").getJsonObject(1).getString("y"));
    assertEquals("v", raw.get("k"));
    assertEquals(2, rawList.size());
    assertNotSame(json.getValue("buffer"), copy.getMap().get("buffer"));
  }

  @Test
  void failsOnValuesJsonCannotCopy() {
    JsonObject json = new JsonObject().put("thread", new Object());
    assertThrows(IllegalStateException.class, json::copy);
    assertThrows(IllegalStateException.class, () -> JsonCopy.of(json));
  }
}
