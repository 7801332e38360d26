package io.inos.server.config;

import io.inos.adapters.amqp.AmqpAdapterOptions;
import io.inos.adapters.mqtt.MqttAdapterOptions;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.server.db.PgUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every setting the server reads: its config-file key, its environment variable and its default.
 *
 * <p>The environment names are a public contract (scripts and operators rely on them): rename nothing, add new
 * settings in the same style ({@code INOS_} + the key in upper snake case).
 */
public enum InosSetting {

  HTTP_PORT("http.port", "INOS_HTTP_PORT", "8080", Parsers.port(0)),
  HTTP_HOST("http.host", "INOS_HTTP_HOST", "0.0.0.0", Parsers::host),
  HTTP_MAX_BODY_BYTES("http.maxBodyBytes", "INOS_HTTP_MAX_BODY_BYTES", "1048576", Parsers.positiveLong()),
  /** HTTP servers sharing the port, each on its own event loop; 0 = one per event loop. */
  HTTP_INSTANCES("http.instances", "INOS_HTTP_INSTANCES", "0", Parsers.nonNegativeInt()),
  /** Origins allowed by CORS on {@code /api} and {@code /eventbus}, comma-separated, or {@code *}; unset = none. */
  CORS_ALLOWED_ORIGINS("http.cors.allowedOrigins", "INOS_HTTP_CORS_ALLOWED_ORIGINS", null, Parsers::list),
  /**
   * The bridge's permissions: inline JSON ({@code {"inboundPermitteds": […], …}}) or the path of a JSON file, which
   * the server watches and reloads when it changes. Unset = the built-in defaults.
   */
  BRIDGE_RULES("bridge.rules", "INOS_BRIDGE_RULES", null, BridgeRulesSource::parse),
  BRIDGE_ALLOW_GUESTS("bridge.allowGuests", "INOS_BRIDGE_ALLOW_GUESTS", "true", Parsers::bool),
  BRIDGE_MAX_INBOUND_PER_SECOND("bridge.maxInboundPerSecond", "INOS_BRIDGE_MAX_INBOUND_PER_SECOND", "100",
    Parsers.positiveInt()),
  MQTT_PORT("mqtt.port", "INOS_MQTT_PORT", "1883", Parsers.port(-1)),
  /** MQTT over WebSocket (path {@code /mqtt}) on a port of its own; -1 = off, 0 = any free port. */
  MQTT_WEBSOCKET_PORT("mqtt.websocketPort", "INOS_MQTT_WEBSOCKET_PORT", "-1", Parsers.port(-1)),
  /** MQTT over TLS on a port of its own (8883 is its IANA port); -1 = off, 0 = any free port. Needs the two below. */
  MQTT_TLS_PORT("mqtt.tlsPort", "INOS_MQTT_TLS_PORT", "-1", Parsers.port(-1)),
  /** The PEM file of the MQTT TLS listener's certificate chain. */
  MQTT_TLS_CERT("mqtt.tlsCert", "INOS_MQTT_TLS_CERT", null, Parsers::readableFile),
  /** The PEM file of the MQTT TLS listener's private key. */
  MQTT_TLS_KEY("mqtt.tlsKey", "INOS_MQTT_TLS_KEY", null, Parsers::readableFile),
  /**
   * What the MQTT server's Redis keys start with (retained messages, persistent sessions), when {@code redis.url} is
   * set; unset = the Redis extension's key prefix + {@code mqtt:}, and in a cluster + the node's host and cluster port
   * too, since a node restores only its own sessions.
   */
  MQTT_REDIS_KEY_PREFIX("mqtt.redisKeyPrefix", "INOS_MQTT_REDIS_KEY_PREFIX", null, Parsers::text),
  /** Topic filters one MQTT session may hold; a SUBSCRIBE's new filters past it get SUBACK 0x97 (5) / 0x80 (3.1.1). */
  MQTT_MAX_SUBSCRIPTIONS_PER_SESSION("mqtt.maxSubscriptionsPerSession", "INOS_MQTT_MAX_SUBSCRIPTIONS_PER_SESSION",
    String.valueOf(MqttAdapterOptions.DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION), Parsers.positiveInt()),
  PG_URL("pg.url", "INOS_PG_URL", "postgresql://postgres@localhost:5432/inos", Parsers::pgUrl),
  PG_POOL_SIZE("pg.poolSize", "INOS_PG_POOL_SIZE", "8", Parsers.positiveInt()),
  REDIS_URL("redis.url", "INOS_REDIS_URL", null, Parsers.url("redis://host:port", "redis", "rediss")),
  AMQP_URL("amqp.url", "INOS_AMQP_URL", null, Parsers.url("amqp://user:password@host:port", "amqp", "amqps")),
  /** The AMQP adapter's bindings: a JSON array (inline or a file path) of {@code AmqpBinding} objects. */
  AMQP_BINDINGS("amqp.bindings", "INOS_AMQP_BINDINGS", null, value -> JsonSettingValue.parse(value, JsonArray.class,
    bindings -> new AmqpAdapterOptions(new JsonObject().put("bindings", bindings)).validate())),
  /**
   * The Redis extension's options beyond its URL (history scopes, relay, presence, rate limit): a JSON object, inline
   * or a file path; see {@code RedisExtensionOptions}.
   */
  REDIS_EXTENSION("redis.extension", "INOS_REDIS_EXTENSION", null, value -> JsonSettingValue.parse(value,
    JsonObject.class, RedisExtensionOptions::new)),
  CLUSTER("cluster", "INOS_CLUSTER", "false", Parsers::bool),
  CLUSTER_MEMBERS("cluster.members", "INOS_CLUSTER_MEMBERS", null, Parsers::members),
  /** Nodes join only a cluster of their own name. */
  CLUSTER_NAME("cluster.name", "INOS_CLUSTER_NAME", "inos", Parsers::text),
  /** The interface Hazelcast and the event bus bind and announce; unset = Hazelcast's choice. */
  CLUSTER_HOST("cluster.host", "INOS_CLUSTER_HOST", null, Parsers::host),
  /** Hazelcast's member port (the port {@code cluster.members} name). */
  CLUSTER_PORT("cluster.port", "INOS_CLUSTER_PORT", "5701", Parsers.port(1)),
  /** The event bus's own TCP port between nodes; 0 = any free port (announced through Hazelcast). */
  CLUSTER_BUS_PORT("cluster.busPort", "INOS_CLUSTER_BUS_PORT", "0", Parsers.port(0)),
  /** The host other nodes reach this one at, when it differs from {@code cluster.host} (NAT, containers). */
  CLUSTER_PUBLIC_HOST("cluster.publicHost", "INOS_CLUSTER_PUBLIC_HOST", null, Parsers::host),
  /** Kubernetes discovery of the members through this service's endpoints, instead of a member list. */
  CLUSTER_KUBERNETES_SERVICE("cluster.kubernetesService", "INOS_CLUSTER_KUBERNETES_SERVICE", null, Parsers::host),
  /** The user ids who may manage every device through the device service (besides each device's owner). */
  DEVICE_ADMINS("device.admins", "INOS_DEVICE_ADMINS", null, Parsers::list),
  JWT_KEY("jwt.key", "INOS_JWT_KEY", null, Parsers::text),
  REQUEST_TIMEOUT_MS("requestTimeoutMs", "INOS_REQUEST_TIMEOUT_MS", "10000", Parsers.positiveLong()),
  LEDGER_BATCH_SIZE("ledger.batchSize", "INOS_LEDGER_BATCH_SIZE", "256", Parsers.positiveInt()),
  LEDGER_FLUSH_INTERVAL_MS("ledger.flushIntervalMs", "INOS_LEDGER_FLUSH_INTERVAL_MS", "50", Parsers.positiveLong()),
  LEDGER_MAX_QUEUE("ledger.maxQueue", "INOS_LEDGER_MAX_QUEUE", "100000", Parsers.positiveInt()),
  SHUTDOWN_DRAIN_MS("shutdown.drainMs", "INOS_SHUTDOWN_DRAIN_MS", "10000", Parsers.nonNegativeLong()),
  ENVIRONMENT("environment", "INOS_ENVIRONMENT", "development", Parsers::text);

  /** Keys that hold a secret; {@link InosConfig#toJson()} never prints their value. */
  static final Set<InosSetting> SECRETS = Set.of(JWT_KEY);

  private final String key;
  private final String env;
  private final String defaultValue;
  private final Parser parser;

  InosSetting(String key, String env, String defaultValue, Parser parser) {
    this.key = key;
    this.env = env;
    this.defaultValue = defaultValue;
    this.parser = parser;
  }

  /** @return the key in the config file, dotted (a nested JSON object is accepted too) */
  public String key() {
    return key;
  }

  /** @return the environment variable that overrides the file and the default */
  public String env() {
    return env;
  }

  /** @return the default in its textual form, or {@code null} when the setting is unset by default */
  public String defaultValue() {
    return defaultValue;
  }

  /**
   * Parses a textual value.
   *
   * @throws InosConfigException naming the variable, the key and the value when it is unusable
   */
  Object parse(String raw) {
    try {
      return parser.parse(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new InosConfigException(env + " (" + key + "): \"" + raw + "\" " + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Parser {
    /** @throws IllegalArgumentException whose message completes the sentence "VALUE ..." */
    Object parse(String value);
  }

  /** The parsers; each failure message completes the sentence {@code "value" ...}. */
  private static final class Parsers {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:]+");
    private static final Pattern MEMBER = Pattern.compile("([A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");

    static Parser port(int min) {
      String range = min < 0 ? "(0-65535, or -1 for off)" : "(" + min + "-65535)";
      return value -> {
        int port = integer(value, "is not a port number " + range);
        if (port < min || port > 65535) {
          throw new IllegalArgumentException("is not a port number " + range);
        }
        return port;
      };
    }

    static Parser positiveInt() {
      return value -> {
        int n = integer(value, "is not a positive integer");
        if (n <= 0) {
          throw new IllegalArgumentException("is not a positive integer");
        }
        return n;
      };
    }

    static Parser nonNegativeInt() {
      return value -> {
        int n = integer(value, "is not a non-negative integer");
        if (n < 0) {
          throw new IllegalArgumentException("is not a non-negative integer");
        }
        return n;
      };
    }

    static Object list(String value) {
      List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      if (items.isEmpty()) {
        throw new IllegalArgumentException("is not a comma-separated list");
      }
      return items;
    }

    static Parser positiveLong() {
      return value -> {
        long n = longValue(value, "is not a positive integer");
        if (n <= 0) {
          throw new IllegalArgumentException("is not a positive integer");
        }
        return n;
      };
    }

    static Parser nonNegativeLong() {
      return value -> {
        long n = longValue(value, "is not a non-negative integer");
        if (n < 0) {
          throw new IllegalArgumentException("is not a non-negative integer");
        }
        return n;
      };
    }

    static Object bool(String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "true": case "yes": case "on": case "1":
          return true;
        case "false": case "no": case "off": case "0":
          return false;
        default:
          throw new IllegalArgumentException("is not a boolean (true or false)");
      }
    }

    static Object host(String value) {
      if (!HOST.matcher(value).matches()) {
        throw new IllegalArgumentException("is not a host name or IP address");
      }
      return value;
    }

    static Object readableFile(String value) {
      if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(value))
        || java.nio.file.Files.isDirectory(java.nio.file.Path.of(value))) {
        throw new IllegalArgumentException("is not a readable file");
      }
      return value;
    }

    static Object text(String value) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("is empty");
      }
      return value;
    }

    static Object pgUrl(String value) {
      try {
        PgUrl.parse(value); // validation only: PgDatabase parses it again when it connects
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
          "is not a valid PostgreSQL URL (expected postgresql://user:password@host:port/database)");
      }
      return value;
    }

    static Parser url(String example, String... schemes) {
      String problem = "is not a valid URL (expected " + example + ")";
      return value -> {
        URI uri;
        try {
          uri = new URI(value);
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException(problem);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !Arrays.asList(schemes).contains(scheme.toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
          throw new IllegalArgumentException(problem);
        }
        return value;
      };
    }

    /**
     * Hazelcast members as {@code host} or {@code host:port}; a port range such as {@code host:5701-5703} is rejected
     * here because it crashes Hazelcast's address picker later, far from the cause.
     */
    static Object members(String value) {
      List<String> members = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      if (members.isEmpty() || !members.stream().allMatch(m -> MEMBER.matcher(m).matches())) {
        throw new IllegalArgumentException("is not a comma-separated list of host or host:port");
      }
      return members;
    }

    private static int integer(String value, String problem) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(problem);
      }
    }

    private static long longValue(String value, String problem) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(problem);
      }
    }
  }
}
