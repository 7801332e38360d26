package io.inos.server;

import io.inos.testing.CommandLineClient;
import io.inos.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT over TLS on the assembled node ({@code INOS_MQTT_TLS_PORT} with a PEM certificate and key), with Debian's
 * mosquitto clients checking the server's certificate against the test's own authority file; a client that speaks
 * plain MQTT to the TLS port is turned away without harming the others.
 */
class InosServerMqttTlsTest {

  private static final String FEED = "feed:post_news:v1:completed";
  private static final String TOPIC = "feed/post_news/v1/completed";

  private InosServerHarness harness;
  private InosServer server;
  private SelfSignedCertificate certificate;
  private CommandLineClient subscriber;

  @BeforeEach
  void start() {
    harness = new InosServerHarness();
    certificate = SelfSignedCertificate.create("localhost");
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .encode();
    server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", rules,
      "INOS_MQTT_TLS_PORT", "0",
      "INOS_MQTT_TLS_CERT", certificate.certificatePath(),
      "INOS_MQTT_TLS_KEY", certificate.privateKeyPath()));
    assertTrue(server.mqttTlsPort() > 0, "the MQTT TLS listener is open");
    assertNotEquals(server.mqttPort(), server.mqttTlsPort());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (subscriber != null) {
      subscriber.close();
    }
    if (certificate != null) {
      certificate.delete();
    }
    harness.close();
  }

  /** The mosquitto options of a TLS connection to the node, trusting the test's certificate (and no other). */
  private String[] tls(String... rest) {
    String[] base = {"-h", "127.0.0.1", "-p", String.valueOf(server.mqttTlsPort()), "--cafile",
      certificate.certificatePath(),
      // the certificate names "localhost", the client dials 127.0.0.1: the chain is checked, the name is not
      "--insecure"};
    String[] all = new String[base.length + rest.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(rest, 0, all, base.length, rest.length);
    return all;
  }

  @Test
  void devicesPublishAndSubscribeOverTlsAndAPlainClientIsTurnedAway() throws Exception {
    subscriber = CommandLineClient.follow(concat(new String[] {"stdbuf", "-oL", "mosquitto_sub"},
      tls("-V", "mqttv5", "-q", "1", "-t", TOPIC, "-C", "1", "-d")));
    subscriber.awaitLine("SUBACK");

    // plain MQTT on the TLS port: the handshake fails, the client gives up, the server goes on
    CommandLineClient.runExpectingFailure("mosquitto_pub", "-h", "127.0.0.1", "-p",
      String.valueOf(server.mqttTlsPort()), "-q", "1", "-t", TOPIC, "-m", "not over tls");

    String headline = "over-tls-" + UUID.randomUUID();
    CommandLineClient.run(concat(new String[] {"mosquitto_pub"},
      tls("-V", "mqttv311", "-q", "1", "-t", TOPIC, "-m", new JsonObject().put("headline", headline).encode())));
    String received = subscriber.awaitLine(headline);
    assertTrue(received.contains(headline), received);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
