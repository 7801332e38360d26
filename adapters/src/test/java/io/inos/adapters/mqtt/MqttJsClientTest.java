package io.inos.adapters.mqtt;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third-party JavaScript client: MQTT.js (npm {@code mqtt}, from {@code e2e/node_modules}, installed by
 * {@code e2e/setup.sh}) runs {@code e2e/mqtt-client-test.mjs} against the adapter deployed alone: MQTT 3.1.1 and 5,
 * QoS 0/1/2 with {@code +} and {@code #}, retained, will, persistent session with messages queued while offline, and
 * a shared subscription. The script prints one JSON line per check; every one must pass.
 */
@ExtendWith(VertxExtension.class)
class MqttJsClientTest {

  private MqttTestServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = MqttTestServer.start(vertx);
  }

  @Test
  void mqttJsPassesEveryCheckOnBothVersions() throws Exception {
    File e2e = new File("../e2e").getCanonicalFile();
    assertTrue(new File(e2e, "node_modules/mqtt").isDirectory(), "run e2e/setup.sh (npm ci) first: " + e2e);
    Process node = new ProcessBuilder("node", "mqtt-client-test.mjs", String.valueOf(server.port), "127.0.0.1")
      .directory(e2e).redirectErrorStream(true).start();
    boolean finished = node.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(finished, "the MQTT.js script did not finish: " + out);
    assertEquals(0, node.exitValue(), out);
    JsonObject summary = new JsonObject(out.substring(out.lastIndexOf('\n') + 1));
    assertEquals(10, summary.getInteger("passed"), out);
    assertEquals(0, summary.getInteger("failed"), out);
  }
}
