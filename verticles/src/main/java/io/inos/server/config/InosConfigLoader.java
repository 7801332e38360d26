package io.inos.server.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the {@link InosConfig} from, in rising precedence: the defaults, a JSON config file, and the {@code INOS_*}
 * environment variables.
 *
 * <p>The config file is named by {@code --conf path} (or {@code --conf=path}) on the command line, else by the
 * {@code INOS_CONF} variable. Its keys are the dotted keys of {@link InosSetting}, written flat
 * ({@code {"http.port": 8080}}), nested ({@code {"http": {"port": 8080}}}) or mixed. Because {@code cluster} is both a
 * flag and the parent of {@code cluster.members}, a nested {@code cluster} object carries the flag as
 * {@code enabled}: {@code {"cluster": {"enabled": true, "members": ["a", "b:5701"]}}}.
 *
 * <p>An empty environment variable counts as unset, so {@code INOS_REDIS_URL= cmd} does not fail start-up.
 *
 * <p>Loading reads the file synchronously: call it in {@code main}, before Vert.x starts, never on an event loop.
 */
public final class InosConfigLoader {

  /** The variable naming the config file when {@code --conf} is absent. */
  public static final String CONF_ENV = "INOS_CONF";
  /** The command-line option naming the config file. */
  public static final String CONF_OPTION = "--conf";

  private static final Logger LOG = LoggerFactory.getLogger(InosConfigLoader.class);
  private static final String CLUSTER_ENABLED_ALIAS = "cluster.enabled";

  private InosConfigLoader() {
  }

  /**
   * Loads the configuration for a process.
   *
   * @param args the command line; only {@code --conf} is read, other arguments are ignored
   * @param env  the environment, normally {@code System.getenv()} (tests pass their own)
   * @return the validated configuration
   * @throws InosConfigException naming the key, the variable and the value when something is unusable
   */
  public static InosConfig load(String[] args, Map<String, String> env) {
    Path file = confPath(args);
    if (file == null) {
      String fromEnv = env.get(CONF_ENV);
      file = fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.trim());
    }
    return load(file, env);
  }

  /**
   * Loads the configuration from an optional file and the environment.
   *
   * @param file the JSON config file, or {@code null} for none
   * @param env  the environment
   * @return the validated configuration
   * @throws InosConfigException naming the key, the variable and the value when something is unusable
   */
  public static InosConfig load(Path file, Map<String, String> env) {
    JsonObject fileJson = file == null ? new JsonObject() : readFile(file);
    warnAboutUnknownKeys(fileJson, file);
    Map<InosSetting, Object> values = new EnumMap<>(InosSetting.class);
    for (InosSetting setting : InosSetting.values()) {
      String raw = env.get(setting.env());
      if (raw == null || raw.isBlank()) {
        raw = fileValue(fileJson, setting);
      }
      if (raw == null) {
        raw = setting.defaultValue();
      }
      if (raw != null) {
        values.put(setting, setting.parse(raw));
      }
    }
    checkTogether(values);
    return new InosConfig(values);
  }

  /** Settings that are only usable with others. */
  private static void checkTogether(Map<InosSetting, Object> values) {
    Object tlsPort = values.get(InosSetting.MQTT_TLS_PORT);
    if (tlsPort != null && (Integer) tlsPort >= 0
      && (values.get(InosSetting.MQTT_TLS_CERT) == null || values.get(InosSetting.MQTT_TLS_KEY) == null)) {
      throw new InosConfigException(InosSetting.MQTT_TLS_PORT.env() + " (" + InosSetting.MQTT_TLS_PORT.key() + "): \""
        + tlsPort + "\" needs " + InosSetting.MQTT_TLS_CERT.env() + " and " + InosSetting.MQTT_TLS_KEY.env()
        + " (PEM files of the certificate chain and the private key)");
    }
  }

  /** @return the configuration made of the defaults only */
  public static InosConfig defaults() {
    return load((Path) null, Map.of());
  }

  private static Path confPath(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(CONF_OPTION)) {
        if (i + 1 >= args.length || args[i + 1].isBlank()) {
          throw new InosConfigException(CONF_ENV + " (" + CONF_OPTION + "): a path to a JSON file is required");
        }
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith(CONF_OPTION + "=")) {
        return Path.of(args[i].substring(CONF_OPTION.length() + 1));
      }
    }
    return null;
  }

  private static JsonObject readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InosConfigException(CONF_ENV + " (" + CONF_OPTION + "): \"" + file + "\" cannot be read ("
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new InosConfigException(CONF_ENV + " (" + CONF_OPTION + "): \"" + file
        + "\" is not a JSON object (" + e.getMessage() + ")", e);
    }
  }

  private static String fileValue(JsonObject json, InosSetting setting) {
    Object value = lookup(json, setting.key());
    if (setting == InosSetting.CLUSTER && (value == null || value instanceof JsonObject)) {
      value = lookup(json, CLUSTER_ENABLED_ALIAS); // "cluster": {"enabled": …, "members": …}
    }
    if (value == null) {
      return null;
    }
    if (value instanceof JsonArray array) {
      // a list of names is written as the environment writes it; a list of objects (amqp.bindings) stays JSON
      return array.stream().anyMatch(item -> item instanceof JsonObject || item instanceof JsonArray) ? array.encode()
        : array.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof JsonObject object) {
      return object.encode(); // the parser reports it as an unusable value, naming the key
    }
    return String.valueOf(value);
  }

  /** Finds a dotted key in flat, nested or mixed form: "a.b.c", {"a": {"b.c"}}, {"a": {"b": {"c"}}}, … */
  private static Object lookup(JsonObject json, String key) {
    if (json.containsKey(key)) {
      return json.getValue(key);
    }
    for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
      if (json.getValue(key.substring(0, dot)) instanceof JsonObject child) {
        Object found = lookup(child, key.substring(dot + 1));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** A misspelt key would otherwise be ignored silently, and its default used without anyone noticing. */
  private static void warnAboutUnknownKeys(JsonObject json, Path file) {
    Set<String> known = Stream.concat(Stream.of(InosSetting.values()).map(InosSetting::key),
      Stream.of(CLUSTER_ENABLED_ALIAS)).collect(Collectors.toSet());
    Set<String> unknown = new TreeSet<>();
    collectLeafKeys(json, "", known, unknown);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      LOG.warn("Config file {} has keys that no setting reads (ignored): {}", file, unknown);
    }
  }

  private static void collectLeafKeys(JsonObject json, String prefix, Set<String> known, Set<String> into) {
    json.forEach(entry -> {
      String key = prefix + entry.getKey();
      // a known key whose value is an object (bridge.rules) is a leaf: its inside is the setting's own business
      if (entry.getValue() instanceof JsonObject child && !child.isEmpty() && !known.contains(key)) {
        collectLeafKeys(child, key + ".", known, into);
      } else {
        into.add(key);
      }
    });
  }
}
