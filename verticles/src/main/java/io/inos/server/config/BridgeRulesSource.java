package io.inos.server.config;

import io.inos.adapters.bridge.BridgeRules;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the bridge's permission rules come from ({@code bridge.rules}): JSON written in the configuration itself, or a
 * JSON file the server watches and reloads. Either is checked when the configuration loads, so a malformed rule stops
 * start-up with a message naming the key.
 */
public final class BridgeRulesSource {

  /** The rules as read when the configuration loaded: the server starts with these, the watcher takes over. */
  private final JsonObject rules;
  private final Path file;

  private BridgeRulesSource(JsonObject rules, Path file) {
    this.rules = rules;
    this.file = file;
  }

  /**
   * Reads the setting's value: JSON when it starts with <code>{</code>, else a file path.
   *
   * @throws IllegalArgumentException completing the sentence "VALUE ..." when the JSON, the file or a rule is bad
   */
  static BridgeRulesSource parse(String value) {
    JsonObject rules = JsonSettingValue.parse(value, JsonObject.class, BridgeRules::fromJson);
    return new BridgeRulesSource(rules, value.startsWith("{") ? null : Path.of(value));
  }

  /**
   * Reads a rules file and checks it (off the event loop: it reads the file synchronously).
   *
   * @throws IllegalArgumentException saying what is wrong with the file
   */
  public static JsonObject read(Path file) {
    return JsonSettingValue.read(file, JsonObject.class, BridgeRules::fromJson);
  }

  /** @return the rules as loaded with the configuration (no file is read again here) */
  public JsonObject rules() {
    return rules.copy();
  }

  /** @return the file to watch for changes, when the rules come from one */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  @Override
  public String toString() {
    return file == null ? rules.encode() : file.toString();
  }
}
