package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed packets written by hand ({@link RawMqtt}): each is answered as MQTT 3.1.1 / 5 say (or as close as
 * vertx-mqtt lets us, as each test documents), and a bystander client on the same server keeps working.
 */
@ExtendWith(VertxExtension.class)
class MqttMalformedPacketTest {

  private MqttTestServer server;
  private Mqtt5BlockingClient bystander;
  private Mqtt5BlockingClient.Mqtt5Publishes bystanderInbox;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = MqttTestServer.start(vertx);
    bystander = Mqtt5Client.builder().identifier("bystander").serverHost("127.0.0.1").serverPort(server.port)
      .buildBlocking();
    bystander.connect();
    bystanderInbox = bystander.publishes(MqttGlobalPublishFilter.ALL);
    bystander.subscribeWith().topicFilter("sensors/bystander").qos(MqttQos.AT_LEAST_ONCE).send();
  }

  private void bystanderStillWorks(String mark) throws Exception {
    bystander.publishWith().topic("sensors/bystander").qos(MqttQos.AT_LEAST_ONCE).payload(mark.getBytes()).send();
    var got = bystanderInbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals(mark, new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
    assertTrue(bystander.getState().isConnected());
  }

  /** MQTT 3.1.1 has no DISCONNECT from the server: the connection is closed; MQTT 5 sends DISCONNECT 0x81 first. */
  private static void endsAsMalformed(RawMqtt raw, int level, String what) throws Exception {
    if (level == 5) {
      int[] disconnect = raw.read();
      assertNotNull(disconnect, what + ": a DISCONNECT before the close");
      assertEquals(0xE0, disconnect[0], what + ": DISCONNECT");
      assertEquals(0x81, disconnect[1], what + ": Malformed Packet");
    }
    assertTrue(raw.closedByServer(), what + ": the connection is closed");
  }

  @Test
  void aRemainingLengthOfFiveBytesIsMalformed() throws Exception {
    for (int level : new int[] {4, 5}) {
      try (RawMqtt raw = new RawMqtt(server.port)) {
        raw.connect(level, "bad-length-" + level);
        assertEquals(0x20, raw.read()[0]);
        // a remaining length has at most four bytes (MQTT 2.2.3 / 1.5.5): the decoder fails on the fifth
        raw.writeRaw((byte) 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F, (byte) 0, (byte) 1);
        endsAsMalformed(raw, level, "remaining length, level " + level);
      }
    }
    bystanderStillWorks("after-bad-length");
  }

  @Test
  void invalidUtf8InATopicIsMalformed() throws Exception {
    byte[] badTopic = {'s', 'e', 'n', 's', 'o', 'r', 's', '/', (byte) 0xC3, (byte) 0x28};
    for (int level : new int[] {4, 5}) {
      try (RawMqtt raw = new RawMqtt(server.port)) {
        raw.connect(level, "bad-utf8-" + level);
        assertEquals(0x20, raw.read()[0]);
        raw.publishRawTopic(level, badTopic, new byte[] {1});
        endsAsMalformed(raw, level, "UTF-8 of a PUBLISH topic, level " + level);
      }
    }
    bystanderStillWorks("after-bad-utf8");
  }

  /**
   * MQTT 5 (3.1.2.2) lets a server answer an unsupported protocol level with CONNACK 0x84 or, as vertx-mqtt does
   * (its decoder knows levels 3, 4 and 5 only), with the 3.1.1 form CONNACK 0x01 "unacceptable protocol version",
   * which every client version reads; then the connection is closed.
   */
  @Test
  void protocolLevel6GetsConnack0x01() throws Exception {
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(6, "level-6");
      assertArrayEquals(new int[] {0x20, 0x00, 0x01}, raw.read(), "CONNACK, no session, 0x01");
      assertTrue(raw.closedByServer());
    }
    bystanderStillWorks("after-level-6");
  }

  /**
   * A second CONNECT is a protocol violation (3.1.1: 3.1.0-2, 5: 3.1.0-2, Protocol Error): vertx-mqtt closes the
   * connection, without a DISCONNECT in MQTT 5 (which the specification allows: the server MAY send one).
   */
  @Test
  void aSecondConnectClosesTheConnection() throws Exception {
    for (int level : new int[] {4, 5}) {
      try (RawMqtt raw = new RawMqtt(server.port)) {
        raw.connect(level, "twice-" + level);
        assertEquals(0x20, raw.read()[0]);
        raw.connect(level, "twice-" + level);
        assertTrue(raw.closedByServer(), "second CONNECT, level " + level);
      }
    }
    bystanderStillWorks("after-second-connect");
  }

  /** QoS 3 in a SUBSCRIBE is malformed (3.1.1: 3.8.3-4 close; 5: 3.8.3.1 Malformed Packet). */
  @Test
  void subscribeWithQos3IsMalformed() throws Exception {
    for (int level : new int[] {4, 5}) {
      try (RawMqtt raw = new RawMqtt(server.port)) {
        raw.connect(level, "qos3-" + level);
        assertEquals(0x20, raw.read()[0]);
        raw.subscribe(level, 1, "sensors/x", 3);
        endsAsMalformed(raw, level, "SUBSCRIBE QoS 3, level " + level);
      }
    }
    bystanderStillWorks("after-qos3");
  }
}
