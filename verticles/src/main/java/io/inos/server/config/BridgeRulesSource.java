package io.inos.server.config;

import io.inos.adapters.bridge.BridgeRules;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the bridge's permission rules come from ({@code bridge.rules}): JSON written in the configuration itself, or a
 * JSON file the server watches and reloads. Either is checked when the configuration loads, so a malformed rule stops
 * start-up with a message naming the key.
 */
public final class BridgeRulesSource {

  private final JsonObject inline;
  private final Path file;

  private BridgeRulesSource(JsonObject inline, Path file) {
    this.inline = inline;
    this.file = file;
  }

  /**
   * Reads the setting's value: JSON when it starts with <code>{</code>, else a file path.
   *
   * @throws IllegalArgumentException completing the sentence "VALUE ..." when the JSON, the file or a rule is bad
   */
  static BridgeRulesSource parse(String value) {
    if (value.startsWith("{")) {
      return new BridgeRulesSource(check(value, "is not valid JSON"), null);
    }
    Path path = Path.of(value);
    read(path);
    return new BridgeRulesSource(null, path);
  }

  /**
   * Reads a rules file and checks it (off the event loop: it reads the file synchronously).
   *
   * @throws IllegalArgumentException saying what is wrong with the file
   */
  public static JsonObject read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot be read as a rules file (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
    return check(text, "is not a JSON object");
  }

  private static JsonObject check(String text, String notJson) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(notJson + " (" + e.getMessage() + ")");
    }
    try {
      BridgeRules.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("has a bad rule: " + e.getMessage());
    }
    return json;
  }

  /** @return the rules as loaded at start-up */
  public JsonObject rules() {
    return inline != null ? inline.copy() : read(file);
  }

  /** @return the file to watch for changes, when the rules come from one */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  @Override
  public String toString() {
    return inline != null ? inline.encode() : file.toString();
  }
}
