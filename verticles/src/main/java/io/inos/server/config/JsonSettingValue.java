package io.inos.server.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A setting whose value is JSON: written inline (it starts with <code>{</code> or <code>[</code>) or the path of a
 * JSON file, read once when the configuration loads and checked by the component it configures, so a bad value stops
 * start-up with a message naming the key.
 */
final class JsonSettingValue {

  private JsonSettingValue() {
  }

  /**
   * @param value the setting's text
   * @param type  {@code JsonObject.class} or {@code JsonArray.class}
   * @param check throws an {@link IllegalArgumentException} saying what is wrong with the JSON
   * @return the JSON
   * @throws IllegalArgumentException completing the sentence "VALUE ..."
   */
  static <T> T parse(String value, Class<T> type, Consumer<T> check) {
    return value.startsWith("{") || value.startsWith("[") ? parseText(value, type, check)
      : read(Path.of(value), type, check);
  }

  /**
   * Reads a JSON file and checks it (synchronously: at start-up, or on a worker).
   *
   * @throws IllegalArgumentException completing the sentence "VALUE ..."
   */
  static <T> T read(Path file, Class<T> type, Consumer<T> check) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("is neither inline JSON nor a readable JSON file ("
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
    return parseText(text, type, check);
  }

  private static <T> T parseText(String text, Class<T> type, Consumer<T> check) {
    Object json;
    try {
      json = type == JsonArray.class ? new JsonArray(text.trim()) : new JsonObject(text.trim());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("is not a JSON " + (type == JsonArray.class ? "array" : "object") + " ("
        + e.getMessage() + ")");
    }
    T typed = type.cast(json);
    try {
      check.accept(typed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not usable: " + e.getMessage());
    }
    return typed;
  }
}
