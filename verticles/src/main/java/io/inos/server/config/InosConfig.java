package io.inos.server.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server's configuration: immutable, every value already validated and typed.
 *
 * <p>Obtain it from {@link InosConfigLoader}; each getter names the setting it returns in {@link InosSetting}.
 */
public final class InosConfig {

  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@?#]*:)[^@/?#]*@");
  private static final String REDACTED = "***";

  private final Map<InosSetting, Object> values;

  InosConfig(Map<InosSetting, Object> values) {
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
  }

  /** @return {@code http.port}; 0 means any free port */
  public int httpPort() {
    return (Integer) values.get(InosSetting.HTTP_PORT);
  }

  /** @return {@code http.host}, the interface the HTTP server binds */
  public String httpHost() {
    return (String) values.get(InosSetting.HTTP_HOST);
  }

  /** @return {@code http.maxBodyBytes}, the largest request body accepted */
  public long httpMaxBodyBytes() {
    return (Long) values.get(InosSetting.HTTP_MAX_BODY_BYTES);
  }

  /** @return {@code mqtt.port}; 0 means any free port, -1 means the MQTT server is off */
  public int mqttPort() {
    return (Integer) values.get(InosSetting.MQTT_PORT);
  }

  /** @return {@code mqtt.websocketPort}; -1 = MQTT over WebSocket off */
  public int mqttWebsocketPort() {
    return (Integer) values.get(InosSetting.MQTT_WEBSOCKET_PORT);
  }

  /** @return {@code mqtt.redisKeyPrefix}, if set */
  public Optional<String> mqttRedisKeyPrefix() {
    return Optional.ofNullable((String) values.get(InosSetting.MQTT_REDIS_KEY_PREFIX));
  }

  /** @return {@code mqtt.maxSubscriptionsPerSession}, the most topic filters one MQTT session may hold */
  public int mqttMaxSubscriptionsPerSession() {
    return (Integer) values.get(InosSetting.MQTT_MAX_SUBSCRIPTIONS_PER_SESSION);
  }

  /** @return the MQTT-over-TLS port: -1 when off, 0 for any free port */
  public int mqttTlsPort() {
    return (Integer) values.get(InosSetting.MQTT_TLS_PORT);
  }

  /** @return the PEM certificate chain of the MQTT TLS listener, when configured */
  public Optional<String> mqttTlsCert() {
    return Optional.ofNullable((String) values.get(InosSetting.MQTT_TLS_CERT));
  }

  /** @return the PEM private key of the MQTT TLS listener, when configured */
  public Optional<String> mqttTlsKey() {
    return Optional.ofNullable((String) values.get(InosSetting.MQTT_TLS_KEY));
  }

  /** @return whether the MQTT server runs ({@code mqtt.port} is not -1) */
  public boolean mqttEnabled() {
    return mqttPort() >= 0;
  }

  /** @return {@code pg.url}, a {@code postgresql://} URL (see {@link io.inos.server.db.PgUrl}) */
  public String pgUrl() {
    return (String) values.get(InosSetting.PG_URL);
  }

  /** @return {@code pg.poolSize}, the most connections the reactive pool opens */
  public int pgPoolSize() {
    return (Integer) values.get(InosSetting.PG_POOL_SIZE);
  }

  /** @return {@code redis.url}; empty means the Redis extension is off */
  public Optional<String> redisUrl() {
    return Optional.ofNullable((String) values.get(InosSetting.REDIS_URL));
  }

  /** @return {@code amqp.url}; empty means the AMQP adapter is off */
  public Optional<String> amqpUrl() {
    return Optional.ofNullable((String) values.get(InosSetting.AMQP_URL));
  }

  /** @return {@code cluster}: whether to join a Hazelcast cluster */
  public boolean clustered() {
    return (Boolean) values.get(InosSetting.CLUSTER);
  }

  /** @return {@code cluster.members}: {@code host} or {@code host:port} entries, empty when unset */
  @SuppressWarnings("unchecked")
  public List<String> clusterMembers() {
    List<String> members = (List<String>) values.get(InosSetting.CLUSTER_MEMBERS);
    return members == null ? List.of() : members;
  }

  /** @return {@code amqp.bindings}: the AMQP adapter's bindings (empty when unset) */
  public JsonArray amqpBindings() {
    JsonArray bindings = (JsonArray) values.get(InosSetting.AMQP_BINDINGS);
    return bindings == null ? new JsonArray() : bindings.copy();
  }

  /** @return {@code redis.extension}: the Redis extension's options beyond its URL (empty when unset) */
  public JsonObject redisExtension() {
    JsonObject options = (JsonObject) values.get(InosSetting.REDIS_EXTENSION);
    return options == null ? new JsonObject() : options.copy();
  }

  /** @return {@code cluster.name} */
  public String clusterName() {
    return (String) values.get(InosSetting.CLUSTER_NAME);
  }

  /** @return {@code cluster.host}, the interface to bind and announce, if set */
  public Optional<String> clusterHost() {
    return Optional.ofNullable((String) values.get(InosSetting.CLUSTER_HOST));
  }

  /** @return {@code cluster.port}, Hazelcast's member port */
  public int clusterPort() {
    return (Integer) values.get(InosSetting.CLUSTER_PORT);
  }

  /** @return {@code cluster.busPort}, the event bus's port between nodes; 0 = any free */
  public int clusterBusPort() {
    return (Integer) values.get(InosSetting.CLUSTER_BUS_PORT);
  }

  /** @return {@code cluster.publicHost}, if set */
  public Optional<String> clusterPublicHost() {
    return Optional.ofNullable((String) values.get(InosSetting.CLUSTER_PUBLIC_HOST));
  }

  /** @return {@code cluster.kubernetesService}, if set */
  public Optional<String> clusterKubernetesService() {
    return Optional.ofNullable((String) values.get(InosSetting.CLUSTER_KUBERNETES_SERVICE));
  }

  /** @return {@code jwt.key}; empty means a development key is generated (with a warning) */
  public Optional<String> jwtKey() {
    return Optional.ofNullable((String) values.get(InosSetting.JWT_KEY));
  }

  /** @return {@code requestTimeoutMs}, how long a request may wait for its outcome */
  public long requestTimeoutMs() {
    return (Long) values.get(InosSetting.REQUEST_TIMEOUT_MS);
  }

  /** @return {@code http.instances}; 0 = one HTTP server per event loop */
  public int httpInstances() {
    return (Integer) values.get(InosSetting.HTTP_INSTANCES);
  }

  /** @return {@code http.cors.allowedOrigins}; empty = CORS off */
  @SuppressWarnings("unchecked")
  public List<String> corsAllowedOrigins() {
    List<String> origins = (List<String>) values.get(InosSetting.CORS_ALLOWED_ORIGINS);
    return origins == null ? List.of() : origins;
  }

  /** @return {@code device.admins}: the users who may manage every device; empty when unset */
  @SuppressWarnings("unchecked")
  public List<String> deviceAdmins() {
    List<String> admins = (List<String>) values.get(InosSetting.DEVICE_ADMINS);
    return admins == null ? List.of() : admins;
  }

  /** @return {@code bridge.rules}: where the bridge's permissions come from, if configured */
  public Optional<BridgeRulesSource> bridgeRules() {
    return Optional.ofNullable((BridgeRulesSource) values.get(InosSetting.BRIDGE_RULES));
  }

  /** @return {@code bridge.allowGuests}: whether clients without a token get a guest identity */
  public boolean bridgeAllowGuests() {
    return (Boolean) values.get(InosSetting.BRIDGE_ALLOW_GUESTS);
  }

  /** @return {@code bridge.maxInboundPerSecond}: frames a connection may send per second */
  public int bridgeMaxInboundPerSecond() {
    return (Integer) values.get(InosSetting.BRIDGE_MAX_INBOUND_PER_SECOND);
  }

  /** @return {@code ledger.batchSize}, the most entries written in one round trip */
  public int ledgerBatchSize() {
    return (Integer) values.get(InosSetting.LEDGER_BATCH_SIZE);
  }

  /** @return {@code ledger.flushIntervalMs}, the longest an entry waits for a batch to fill */
  public long ledgerFlushIntervalMs() {
    return (Long) values.get(InosSetting.LEDGER_FLUSH_INTERVAL_MS);
  }

  /** @return {@code ledger.maxQueue}, the most entries held while the database is slow or away */
  public int ledgerMaxQueue() {
    return (Integer) values.get(InosSetting.LEDGER_MAX_QUEUE);
  }

  /** @return {@code shutdown.drainMs}, how long shutdown waits for in-flight work and the ledger */
  public long shutdownDrainMs() {
    return (Long) values.get(InosSetting.SHUTDOWN_DRAIN_MS);
  }

  /** @return {@code environment}, e.g. "development" or "production" */
  public String environment() {
    return (String) values.get(InosSetting.ENVIRONMENT);
  }

  /** @return whether {@code environment} is "development" (development keys and defaults are allowed) */
  public boolean isDevelopment() {
    return "development".equalsIgnoreCase(environment());
  }

  /**
   * The configuration for logging at start-up: dotted keys, secrets replaced by {@code ***} (the JWT key and any
   * password inside a URL). Unset settings are absent.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach((setting, value) -> {
      if (InosSetting.SECRETS.contains(setting)) {
        json.put(setting.key(), REDACTED);
      } else if (value instanceof String s) {
        json.put(setting.key(), URL_PASSWORD.matcher(s).replaceFirst("$1" + REDACTED + "@"));
      } else if (value instanceof JsonObject || value instanceof JsonArray) {
        // may hold passwords (a broker URI in a binding): shown by size, not content
        json.put(setting.key(), "(JSON, " + value.toString().length() + " characters)");
      } else if (value instanceof BridgeRulesSource rules) {
        json.put(setting.key(), rules.toString());
      } else if (value instanceof List<?> list) {
        json.put(setting.key(), new JsonArray(List.copyOf(list)));
      } else {
        json.put(setting.key(), value);
      }
    });
    return json;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
