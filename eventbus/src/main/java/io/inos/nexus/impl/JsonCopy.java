package io.inos.nexus.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not API: the deep copy of {@link JsonObject#copy()}, with maps sized for what they will hold.
 *
 * <p>{@code JsonObject.copy()} makes each map with the source's size as its capacity, so a map of 7 fields (the
 * global context) or of 1 (a payload holding {@code data}) grows once more while it is filled. The events of a
 * request copy a dozen maps, on every request. The values copied are the same: strings, numbers, booleans and
 * {@code null} as they are, objects and arrays recursively (raw maps and lists become {@code JsonObject} and
 * {@code JsonArray}), and anything else by Vert.x's own rules (an unknown type fails as {@code copy()} fails).
 */
public final class JsonCopy {

  private JsonCopy() {
  }

  /** @return a deep copy of {@code json}, equal to {@code json.copy()} */
  public static JsonObject of(JsonObject json) {
    return new JsonObject(map(json.getMap()));
  }

  private static Map<String, Object> map(Map<String, Object> source) {
    Map<String, Object> copy = new LinkedHashMap<>(capacity(source.size()));
    for (Map.Entry<String, Object> e : source.entrySet()) {
      copy.put(e.getKey(), value(e.getValue()));
    }
    return copy;
  }

  private static List<Object> list(List<Object> source) {
    List<Object> copy = new ArrayList<>(source.size());
    for (Object value : source) {
      copy.add(value(value));
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Object value(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof JsonObject o) {
      return new JsonObject(map(o.getMap()));
    }
    if (value instanceof JsonArray a) {
      return new JsonArray(list(a.getList()));
    }
    if (value instanceof Map<?, ?> m) {
      return new JsonObject(map((Map<String, Object>) m));
    }
    if (value instanceof List<?> l) {
      return new JsonArray(list((List<Object>) l));
    }
    // the rare rest (Instant, byte[], Buffer, enums, other CharSequences, Shareable): as JsonArray.copy() does
    List<Object> one = new ArrayList<>(1);
    one.add(value);
    return new JsonArray(one).copy().getList().get(0);
  }

  /** The capacity at which a map holds {@code size} entries without growing (load factor 0.75). */
  private static int capacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f) + 1;
  }
}
