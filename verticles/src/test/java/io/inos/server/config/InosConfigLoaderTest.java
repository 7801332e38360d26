package io.inos.server.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InosConfigLoaderTest {

  private static final String[] NO_ARGS = {};

  @TempDir
  Path dir;

  @Test
  void defaults() {
    InosConfig config = InosConfigLoader.load(NO_ARGS, Map.of());

    assertEquals(8080, config.httpPort());
    assertEquals("0.0.0.0", config.httpHost());
    assertEquals(1_048_576L, config.httpMaxBodyBytes());
    assertEquals(1883, config.mqttPort());
    assertTrue(config.mqttEnabled());
    assertEquals(100, config.mqttMaxSubscriptionsPerSession());
    assertEquals("postgresql://postgres@localhost:5432/inos", config.pgUrl());
    assertEquals(8, config.pgPoolSize());
    assertEquals(Optional.empty(), config.redisUrl());
    assertEquals(Optional.empty(), config.amqpUrl());
    assertFalse(config.clustered());
    assertEquals(List.of(), config.clusterMembers());
    assertEquals(Optional.empty(), config.jwtKey());
    assertEquals(10_000L, config.requestTimeoutMs());
    assertEquals(256, config.ledgerBatchSize());
    assertEquals(50L, config.ledgerFlushIntervalMs());
    assertEquals(100_000, config.ledgerMaxQueue());
    assertEquals(10_000L, config.shutdownDrainMs());
    assertEquals("development", config.environment());
    assertTrue(config.isDevelopment());
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
    // GIVEN a file (nested and flat keys mixed) and an environment that overrides part of it
    Path file = write("""
      {
        "http": {"port": 9000, "host": "127.0.0.1"},
        "pg.poolSize": 3,
        "ledger": {"batchSize": 64, "flushIntervalMs": 20},
        "cluster": {"enabled": true, "members": ["10.0.0.1", "10.0.0.2:5702"]},
        "redis.url": "redis://localhost:6379",
        "environment": "staging"
      }
      """);
    Map<String, String> env = Map.of(
      "INOS_HTTP_PORT", "9100",
      "INOS_LEDGER_BATCH_SIZE", "128",
      "INOS_MQTT_PORT", "-1",
      "INOS_MQTT_MAX_SUBSCRIPTIONS_PER_SESSION", "20",
      "INOS_JWT_KEY", "secret-key");

    // WHEN
    InosConfig config = InosConfigLoader.load(new String[] {"--conf", file.toString()}, env);

    // THEN environment > file > defaults
    assertEquals(9100, config.httpPort());
    assertEquals("127.0.0.1", config.httpHost());
    assertEquals(3, config.pgPoolSize());
    assertEquals(128, config.ledgerBatchSize());
    assertEquals(20L, config.ledgerFlushIntervalMs());
    assertEquals(100_000, config.ledgerMaxQueue());
    assertTrue(config.clustered());
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5702"), config.clusterMembers());
    assertEquals(Optional.of("redis://localhost:6379"), config.redisUrl());
    assertEquals(-1, config.mqttPort());
    assertFalse(config.mqttEnabled());
    assertEquals(20, config.mqttMaxSubscriptionsPerSession());
    assertEquals(Optional.of("secret-key"), config.jwtKey());
    assertEquals("staging", config.environment());
    assertFalse(config.isDevelopment());
  }

  @Test
  void configFileFromEnvironmentVariableAndFlatClusterFlag() throws IOException {
    Path file = write("{\"cluster\": true, \"cluster.members\": \"a, b:5701\", \"http.port\": \"0\"}");

    InosConfig config = InosConfigLoader.load(NO_ARGS, Map.of("INOS_CONF", file.toString()));

    assertTrue(config.clustered());
    assertEquals(List.of("a", "b:5701"), config.clusterMembers());
    assertEquals(0, config.httpPort());
  }

  @Test
  void commandLineBeatsConfEnvironmentVariable() throws IOException {
    Path fromArgs = write("{\"http.port\": 1111}");
    Path fromEnv = write("{\"http.port\": 2222}");

    InosConfig config = InosConfigLoader.load(new String[] {"--conf=" + fromArgs}, Map.of("INOS_CONF",
      fromEnv.toString()));

    assertEquals(1111, config.httpPort());
  }

  @Test
  void deviceAdminsAreACommaSeparatedListOfUserIds() {
    assertEquals(List.of(), InosConfigLoader.load(NO_ARGS, Map.of()).deviceAdmins());
    assertEquals(List.of("root", "ops-1"),
      InosConfigLoader.load(NO_ARGS, Map.of("INOS_DEVICE_ADMINS", " root , ops-1 ")).deviceAdmins());
  }

  @Test
  void emptyEnvironmentVariableCountsAsUnset() {
    InosConfig config = InosConfigLoader.load(NO_ARGS, Map.of("INOS_REDIS_URL", "", "INOS_HTTP_PORT", " "));

    assertEquals(Optional.empty(), config.redisUrl());
    assertEquals(8080, config.httpPort());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
    "INOS_HTTP_PORT|abc|INOS_HTTP_PORT (http.port): \"abc\" is not a port number (0-65535)",
    "INOS_HTTP_PORT|70000|INOS_HTTP_PORT (http.port): \"70000\" is not a port number (0-65535)",
    "INOS_HTTP_PORT|-1|INOS_HTTP_PORT (http.port): \"-1\" is not a port number (0-65535)",
    "INOS_MQTT_PORT|-2|INOS_MQTT_PORT (mqtt.port): \"-2\" is not a port number (0-65535, or -1 for off)",
    "INOS_HTTP_HOST|not a host|INOS_HTTP_HOST (http.host): \"not a host\" is not a host name or IP address",
    "INOS_HTTP_MAX_BODY_BYTES|1MB|INOS_HTTP_MAX_BODY_BYTES (http.maxBodyBytes): \"1MB\" is not a positive integer",
    "INOS_PG_URL|mysql://localhost/inos|INOS_PG_URL (pg.url): \"mysql://localhost/inos\" is not a valid PostgreSQL URL"
      + " (expected postgresql://user:password@host:port/database)",
    "INOS_PG_URL|postgresql://localhost:99999/inos|INOS_PG_URL (pg.url): \"postgresql://localhost:99999/inos\" is not"
      + " a valid PostgreSQL URL (expected postgresql://user:password@host:port/database)",
    "INOS_PG_POOL_SIZE|0|INOS_PG_POOL_SIZE (pg.poolSize): \"0\" is not a positive integer",
    "INOS_REDIS_URL|localhost:6379|INOS_REDIS_URL (redis.url): \"localhost:6379\" is not a valid URL"
      + " (expected redis://host:port)",
    "INOS_AMQP_URL|http://broker|INOS_AMQP_URL (amqp.url): \"http://broker\" is not a valid URL"
      + " (expected amqp://user:password@host:port)",
    "INOS_CLUSTER|maybe|INOS_CLUSTER (cluster): \"maybe\" is not a boolean (true or false)",
    "INOS_CLUSTER_MEMBERS|host:5701-5703|INOS_CLUSTER_MEMBERS (cluster.members): \"host:5701-5703\" is not a"
      + " comma-separated list of host or host:port",
    "INOS_REQUEST_TIMEOUT_MS|soon|INOS_REQUEST_TIMEOUT_MS (requestTimeoutMs): \"soon\" is not a positive integer",
    "INOS_LEDGER_BATCH_SIZE|-5|INOS_LEDGER_BATCH_SIZE (ledger.batchSize): \"-5\" is not a positive integer",
    "INOS_LEDGER_FLUSH_INTERVAL_MS|0|INOS_LEDGER_FLUSH_INTERVAL_MS (ledger.flushIntervalMs): \"0\" is not a positive"
      + " integer",
    "INOS_LEDGER_MAX_QUEUE|many|INOS_LEDGER_MAX_QUEUE (ledger.maxQueue): \"many\" is not a positive integer",
    "INOS_SHUTDOWN_DRAIN_MS|-1|INOS_SHUTDOWN_DRAIN_MS (shutdown.drainMs): \"-1\" is not a non-negative integer",
    "INOS_CLUSTER_PORT|0|INOS_CLUSTER_PORT (cluster.port): \"0\" is not a port number (1-65535)",
    "INOS_CLUSTER_HOST|a host|INOS_CLUSTER_HOST (cluster.host): \"a host\" is not a host name or IP address",
    "INOS_HTTP_INSTANCES|-1|INOS_HTTP_INSTANCES (http.instances): \"-1\" is not a non-negative integer",
    "INOS_BRIDGE_ALLOW_GUESTS|sometimes|INOS_BRIDGE_ALLOW_GUESTS (bridge.allowGuests): \"sometimes\" is not a boolean"
      + " (true or false)",
    "INOS_BRIDGE_MAX_INBOUND_PER_SECOND|0|INOS_BRIDGE_MAX_INBOUND_PER_SECOND (bridge.maxInboundPerSecond): \"0\" is"
      + " not a positive integer",
    "INOS_MQTT_TLS_PORT|0|INOS_MQTT_TLS_PORT (mqtt.tlsPort): \"0\" needs INOS_MQTT_TLS_CERT and INOS_MQTT_TLS_KEY"
      + " (PEM files of the certificate chain and the private key)",
    "INOS_MQTT_TLS_CERT|/no/such/cert.pem|INOS_MQTT_TLS_CERT (mqtt.tlsCert): \"/no/such/cert.pem\" is not a readable"
      + " file",
    "INOS_MQTT_MAX_SUBSCRIPTIONS_PER_SESSION|0|INOS_MQTT_MAX_SUBSCRIPTIONS_PER_SESSION"
      + " (mqtt.maxSubscriptionsPerSession): \"0\" is not a positive integer",
    "INOS_HTTP_CORS_ALLOWED_ORIGINS|' , '|INOS_HTTP_CORS_ALLOWED_ORIGINS (http.cors.allowedOrigins): \" , \" is not a"
      + " comma-separated list",
  })
  void badEnvironmentValueNamesVariableKeyAndValue(String variable, String value, String message) {
    InosConfigException e = assertThrows(InosConfigException.class,
      () -> InosConfigLoader.load(NO_ARGS, Map.of(variable, value)));

    assertEquals(message, e.getMessage());
  }

  @Test
  void badBridgeRulesStopStartUpNamingTheKey() throws IOException {
    for (String value : List.of("{\"inboundPermitteds\": [", "{\"inboundPermitteds\": \"x\"}",
      "{\"outboundPermitteds\": [{\"addressRegex\": \"([\"}]}", "/no/such/rules.json")) {
      InosConfigException e = assertThrows(InosConfigException.class,
        () -> InosConfigLoader.load(NO_ARGS, Map.of("INOS_BRIDGE_RULES", value)), value);
      assertTrue(e.getMessage().startsWith("INOS_BRIDGE_RULES (bridge.rules): \"" + value + "\" "), e.getMessage());
    }
    // nested in the file as an object, with the rules' own keys inside it
    Path file = write("{\"bridge\": {\"rules\": {\"inboundPermitteds\": [{\"address\": \"a:b:v1:requested\"}]},"
      + " \"allowGuests\": false}}");
    InosConfig config = InosConfigLoader.load(new String[] {"--conf", file.toString()}, Map.of());
    assertEquals("a:b:v1:requested", config.bridgeRules().orElseThrow().rules()
      .getJsonArray("inboundPermitteds").getJsonObject(0).getString("address"));
    assertFalse(config.bridgeAllowGuests());
  }

  @Test
  void badFileValueNamesVariableKeyAndValue() throws IOException {
    Path file = write("{\"http\": {\"port\": \"eighty\"}}");

    InosConfigException e = assertThrows(InosConfigException.class,
      () -> InosConfigLoader.load(new String[] {"--conf", file.toString()}, Map.of()));

    assertEquals("INOS_HTTP_PORT (http.port): \"eighty\" is not a port number (0-65535)", e.getMessage());
  }

  @Test
  void missingConfigFile() {
    Path missing = dir.resolve("missing.json");

    InosConfigException e = assertThrows(InosConfigException.class,
      () -> InosConfigLoader.load(new String[] {"--conf", missing.toString()}, Map.of()));

    assertTrue(e.getMessage().startsWith("INOS_CONF (--conf): \"" + missing + "\" cannot be read"), e.getMessage());
  }

  @Test
  void invalidJsonConfigFile() throws IOException {
    Path file = write("{\"http\": ");

    InosConfigException e = assertThrows(InosConfigException.class,
      () -> InosConfigLoader.load(NO_ARGS, Map.of("INOS_CONF", file.toString())));

    assertTrue(e.getMessage().startsWith("INOS_CONF (--conf): \"" + file + "\" is not a JSON object"),
      e.getMessage());
  }

  @Test
  void confOptionWithoutPath() {
    InosConfigException e = assertThrows(InosConfigException.class,
      () -> InosConfigLoader.load(new String[] {"--conf"}, Map.of()));

    assertEquals("INOS_CONF (--conf): a path to a JSON file is required", e.getMessage());
  }

  @Test
  void toJsonRedactsSecrets() {
    InosConfig config = InosConfigLoader.load(NO_ARGS, Map.of(
      "INOS_JWT_KEY", "top-secret",
      "INOS_PG_URL", "postgresql://inos:pg-secret@db.example:5432/inos",
      "INOS_AMQP_URL", "amqp://guest:amqp-secret@localhost:5672"));

    JsonObject json = config.toJson();

    assertEquals("***", json.getString("jwt.key"));
    assertEquals("postgresql://inos:***@db.example:5432/inos", json.getString("pg.url"));
    assertEquals("amqp://guest:***@localhost:5672", json.getString("amqp.url"));
    assertEquals(8080, json.getInteger("http.port"));
    String text = json.encode();
    assertFalse(text.contains("secret"), text);
  }

  @Test
  void environmentNamesFollowTheKeys() {
    // the names are a public contract: INOS_ + the key in upper snake case
    for (InosSetting setting : InosSetting.values()) {
      String expected = "INOS_" + setting.key().replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_')
        .toUpperCase();
      assertEquals(expected, setting.env(), setting.key());
    }
  }

  private Path write(String json) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "inos", ".json"), json);
  }
}
