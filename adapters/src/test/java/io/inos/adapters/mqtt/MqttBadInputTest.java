package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.inos.adapters.bridge.BridgeOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, each answered as the specification says, while another client on the same server keeps working (each
 * test ends by proving it).
 */
@ExtendWith(VertxExtension.class)
class MqttBadInputTest {

  private static final int MAX_PACKET = 1_024;

  private MqttTestServer server;
  private Mqtt5BlockingClient bystander;
  private Mqtt5BlockingClient.Mqtt5Publishes bystanderInbox;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = MqttTestServer.start(vertx, new MqttAdapterOptions().setHost("127.0.0.1").setPort(0)
      .setMaxMessageSize(MAX_PACKET)
      .setBridge(new BridgeOptions().setRules(MqttTestServer.rules()).setMaxInboundPerSecond(10)));
    bystander = Mqtt5Client.builder().identifier("bystander").serverHost("127.0.0.1").serverPort(server.port)
      .buildBlocking();
    bystander.connect();
    bystanderInbox = bystander.publishes(MqttGlobalPublishFilter.ALL);
    bystander.subscribeWith().topicFilter("sensors/bystander").qos(MqttQos.AT_LEAST_ONCE).send();
  }

  /** The bystander still publishes and receives. */
  private void bystanderStillWorks(String mark) throws Exception {
    bystander.publishWith().topic("sensors/bystander").qos(MqttQos.AT_LEAST_ONCE).payload(mark.getBytes()).send();
    var got = bystanderInbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals(mark, new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
    assertTrue(bystander.getState().isConnected());
  }

  @Test
  void aBadProtocolLevelGetsConnack0x01() throws Exception {
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(9, "bad-level");
      int[] connack = raw.read();
      assertNotNull(connack);
      assertArrayEquals(new int[] {0x20, 0x00, 0x01}, connack, "CONNACK, no session, 0x01 unacceptable protocol");
      assertTrue(raw.closedByServer());
    }
    bystanderStillWorks("after-bad-level");
  }

  @Test
  void aWildcardInAPublishTopicEndsTheConnectionWithDisconnect0x90() throws Exception {
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(5, "wild");
      assertEquals(0x20, raw.read()[0]);
      raw.publish(5, "sensors/+", 3);
      int[] disconnect = raw.read();
      assertNotNull(disconnect);
      assertEquals(0xE0, disconnect[0], "DISCONNECT");
      assertEquals(0x90, disconnect[1], "Topic Name invalid");
      assertTrue(raw.closedByServer());
    }
    bystanderStillWorks("after-wildcard");
  }

  @Test
  void anOversizedPacketEndsTheConnection() throws Exception {
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(5, "big-5");
      assertEquals(0x20, raw.read()[0]);
      raw.publish(5, "sensors/big", 4 * MAX_PACKET);
      int[] disconnect = raw.read();
      assertNotNull(disconnect);
      assertEquals(0xE0, disconnect[0], "DISCONNECT");
      assertEquals(0x95, disconnect[1], "Packet too large");
      assertTrue(raw.closedByServer());
    }
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, "big-3");
      assertEquals(0x20, raw.read()[0]);
      raw.publish(4, "sensors/big", 4 * MAX_PACKET);
      assertTrue(raw.closedByServer(), "MQTT 3.1.1 has no DISCONNECT from the server: the connection is closed");
    }
    bystanderStillWorks("after-oversized");
  }

  @Test
  void anInvalidTopicGetsPuback0x90() throws Exception {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("colon").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    client.connect();
    Mqtt5PubAckException refused = org.junit.jupiter.api.Assertions.assertThrows(Mqtt5PubAckException.class,
      () -> client.publishWith().topic("sensors/a:b").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send());
    assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, refused.getMqttMessage().getReasonCode());
    assertTrue(client.getState().isConnected());
    bystanderStillWorks("after-invalid-topic");
  }

  @Test
  void aFloodOverTheRateLimitGetsQuotaExceededAndOthersKeepWorking() throws Exception {
    Mqtt5BlockingClient flooder = Mqtt5Client.builder().identifier("flooder").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    flooder.connect();
    int refused = 0;
    for (int i = 0; i < 40; i++) {
      try {
        flooder.publishWith().topic("sensors/flood").qos(MqttQos.AT_LEAST_ONCE).payload(("f" + i).getBytes()).send();
      } catch (Mqtt5PubAckException e) {
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, e.getMqttMessage().getReasonCode());
        refused++;
      }
    }
    assertTrue(refused > 0, "the bridge allows 10 a second, 40 were sent at once");
    assertTrue(flooder.getState().isConnected(), "a refused publish does not end the connection");
    assertTrue(server.verticle.stats().dropped() >= refused);
    bystanderStillWorks("after-flood");
  }
}
