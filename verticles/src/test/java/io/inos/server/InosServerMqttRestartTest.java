package io.inos.server;

import io.inos.adapters.mqtt.RawMqtt;
import io.inos.adapters.mqtt.impl.RedisTesting;
import io.inos.server.config.InosConfig;
import io.inos.server.config.InosConfigLoader;
import io.inos.testing.CommandLineClient;
import io.inos.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.inos.server.InosServerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The assembled server with {@code INOS_REDIS_URL}: a device's persistent session and a retained message survive a
 * restart of the server. Debian's mosquitto clients make the session and publish; the device comes back with raw
 * packets, so the test sees the CONNACK's session present flag, each PUBLISH and when it is acknowledged.
 */
class InosServerMqttRestartTest {

  private InosServerHarness harness;
  /** on a Vert.x of its own: it deletes the test's keys once the harness stopped the servers and its Vert.x */
  private Vertx redisVertx;
  private RedisTesting redis;
  private CommandLineClient retainedSubscriber;

  @BeforeEach
  void start() {
    harness = new InosServerHarness();
    redisVertx = Vertx.vertx();
    redis = new RedisTesting(redisVertx);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (retainedSubscriber != null) {
      retainedSubscriber.close();
    }
    try {
      harness.close();
    } finally {
      try {
        redis.close();
      } finally {
        await(redisVertx.close());
      }
    }
  }

  private Map<String, String> env() {
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("addressRegex", "plant:.*")))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("addressRegex", "plant:.*")))
      .encode();
    return Map.of("INOS_REDIS_URL", RedisTesting.URL,
      "INOS_REDIS_EXTENSION", new JsonObject().put("keyPrefix", redis.prefix).encode(),
      "INOS_BRIDGE_RULES", rules);
  }

  private static void publish(InosServer server, String topic, String message, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
      String.valueOf(server.mqttPort()), "-V", "mqttv311", "-q", "1", "-t", topic, "-m", message));
    command.addAll(List.of(options));
    CommandLineClient.run(command.toArray(String[]::new));
  }

  @Test
  void aPersistentSessionAndARetainedMessageSurviveARestart() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "plant/" + id;
    String device = "device-" + id;
    InosServer first = harness.start(TestDatabases.PORT, env());

    // a device with clean session false subscribes at QoS 1, then goes away (-E: exit once subscribed)
    CommandLineClient.run("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(first.mqttPort()),
      "-V", "mqttv311", "-c", "-i", device, "-q", "1", "-t", topic + "/#", "-E");
    // while it is away: three QoS 1 messages, and a retained one
    for (String line : List.of("m1", "m2", "m3")) {
      publish(first, topic + "/line", line);
    }
    publish(first, topic + "/state", "running", "-r");
    await(first.stop());

    InosServer second = harness.start(TestDatabases.PORT, env());
    // a new subscriber gets the retained message
    retainedSubscriber = CommandLineClient.follow("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
      String.valueOf(second.mqttPort()), "-V", "mqttv311", "-q", "1", "-t", topic + "/state", "-C", "1", "-v");
    retainedSubscriber.awaitLine(topic + "/state running");

    // the device comes back with clean session false, and does not subscribe again
    try (RawMqtt raw = new RawMqtt(second.mqttPort())) {
      raw.connect(4, device, false);
      int[] connack = raw.read();
      assertEquals(0x20, connack[0], "CONNACK");
      assertEquals(1, connack[1], "session present");
      List<String> missed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int[] publish = raw.read();
        assertEquals(0x32, publish[0], "PUBLISH QoS 1, not a resend");
        missed.add(RawMqtt.topic(publish) + " " + RawMqtt.payload(publish));
        raw.puback(RawMqtt.packetId(publish));
      }
      assertEquals(List.of(topic + "/line m1", topic + "/line m2", topic + "/line m3", topic + "/state running"),
        missed, "what it missed, in order");

      // its subscription is active, and nothing came twice: the next message is a new one
      publish(second, topic + "/line", "after");
      int[] next = raw.read();
      assertEquals(topic + "/line after", RawMqtt.topic(next) + " " + RawMqtt.payload(next));
      raw.puback(RawMqtt.packetId(next));
    }
  }

  @Test
  void theMqttKeysAreTheExtensionsUnlessSetAndEachClusterNodeHasItsOwn() {
    assertEquals("inos:mqtt:", InosServer.mqttRedisKeyPrefix(config(Map.of()), "inos:", "host-a"));
    assertEquals("mine:", InosServer.mqttRedisKeyPrefix(config(Map.of("INOS_MQTT_REDIS_KEY_PREFIX", "mine:")),
      "inos:", "host-a"));
    assertEquals("inos:mqtt:10.0.0.7:5701:", InosServer.mqttRedisKeyPrefix(config(Map.of("INOS_CLUSTER", "true",
      "INOS_CLUSTER_HOST", "10.0.0.7")), "inos:", "host-a"));
    assertEquals("inos:mqtt:node.example:5702:", InosServer.mqttRedisKeyPrefix(config(Map.of("INOS_CLUSTER", "true",
      "INOS_CLUSTER_HOST", "10.0.0.7", "INOS_CLUSTER_PUBLIC_HOST", "node.example", "INOS_CLUSTER_PORT", "5702")),
      "inos:", "host-a"));
    assertEquals("inos:mqtt:host-a:5701:", InosServer.mqttRedisKeyPrefix(config(Map.of("INOS_CLUSTER", "true")),
      "inos:", "host-a"));
  }

  private static InosConfig config(Map<String, String> env) {
    return InosConfigLoader.load((Path) null, env);
  }
}
