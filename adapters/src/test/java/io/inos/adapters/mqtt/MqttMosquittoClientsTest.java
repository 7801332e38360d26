package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debian's mosquitto_pub and mosquitto_sub (Eclipse Mosquitto's clients) against the adapter, MQTT 3.1.1 and 5. */
@ExtendWith(VertxExtension.class)
class MqttMosquittoClientsTest {

  private MqttTestServer server;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = MqttTestServer.start(vertx);
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroy);
  }

  /** A running command whose output lines (stdout and stderr) are collected. */
  private final class Command {
    final Process process;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Command(String... args) throws IOException {
      process = new ProcessBuilder(args).redirectErrorStream(true).start();
      processes.add(process);
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // the process ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    String next(Predicate<String> wanted) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertNotNull(line, "no matching output within 10 s; saw " + seen);
        seen.add(line);
        if (wanted.test(line)) {
          return line;
        }
      }
    }

    int exit() throws InterruptedException {
      assertTrue(process.waitFor(15, TimeUnit.SECONDS), "the command did not end");
      return process.exitValue();
    }
  }

  private String port() {
    return String.valueOf(server.port);
  }

  @Test
  void retainedQos1FromMosquittoPubReachesAWildcardMosquittoSub() throws Exception {
    Command pub = new Command("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv311", "-q", "1", "-r",
      "-t", "sensors/mosq/1", "-m", "hello");
    assertEquals(0, pub.exit());
    Command sub = new Command("mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv311", "-q", "1",
      "-t", "sensors/mosq/#", "-v", "-C", "1", "-W", "10");
    assertEquals("sensors/mosq/1 hello", sub.next(line -> line.startsWith("sensors/")));
    assertEquals(0, sub.exit());
  }

  @Test
  void mqtt5Qos2FromMosquittoPubReachesAJavaClient() throws Exception {
    Mqtt5BlockingClient java = Mqtt5Client.builder().identifier("java-sub").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    java.connect();
    Mqtt5BlockingClient.Mqtt5Publishes inbox = java.publishes(MqttGlobalPublishFilter.ALL);
    java.subscribeWith().topicFilter("sensors/+/qos2").qos(MqttQos.EXACTLY_ONCE).send();
    Command pub = new Command("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv5", "-q", "2",
      "-t", "sensors/m5/qos2", "-m", "exactly-once", "-D", "publish", "user-property", "origin", "mosquitto");
    assertEquals(0, pub.exit());
    var got = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals("exactly-once", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
    assertEquals(MqttQos.EXACTLY_ONCE, got.getQos());
    assertEquals("mosquitto", got.getUserProperties().asList().get(0).getValue().toString());
  }

  @Test
  void aNexusEventReachesMosquittoSubSignedInWithAToken() throws Exception {
    // line-buffered, so that the debug line of the SUBACK comes when it happens
    Command sub = new Command("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv5", "-q", "1",
      "-u", "jwt", "-P", server.token("erin"), "-t", "content/create_content/v1/completed", "-C", "1", "-W", "10");
    sub.next(line -> line.contains("SUBACK"));
    server.bridge().nexus().publish(Event.builder("content:create_content:v1:completed")
      .data(new JsonObject().put("slug", "from-nexus")).build());
    String json = sub.next(line -> line.startsWith("{"));
    Event event = Event.fromJson(new JsonObject(json));
    assertEquals("from-nexus", event.data().getString("slug"));
    assertEquals(0, sub.exit());
  }

  @Test
  void aBadTokenIsRefusedToMosquittoPub() throws Exception {
    Command v311 = new Command("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv311",
      "-u", "jwt", "-P", "not-a-token", "-t", "sensors/x", "-m", "x");
    assertTrue(v311.next(line -> line.toLowerCase().contains("connection error")
      || line.toLowerCase().contains("bad user")).toLowerCase().contains("bad user"));
    assertNotEquals(0, v311.exit());
    Command v5 = new Command("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv5",
      "-u", "jwt", "-P", "not-a-token", "-t", "sensors/x", "-m", "x");
    assertTrue(v5.next(line -> line.toLowerCase().contains("connection error")
      || line.toLowerCase().contains("bad user")).toLowerCase().contains("bad user"));
    assertNotEquals(0, v5.exit());
  }
}
