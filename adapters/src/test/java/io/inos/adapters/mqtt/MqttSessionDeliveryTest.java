package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.inos.adapters.bridge.BridgeOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In-flight retransmission with DUP, MQTT over WebSocket, and the Micrometer meters. */
@ExtendWith(VertxExtension.class)
class MqttSessionDeliveryTest {

  @Test
  void anUnacknowledgedQos1MessageIsResentWithDupOnReconnection(Vertx vertx) throws Exception {
    MqttTestServer server = MqttTestServer.start(vertx);
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, "resend-me", false);
      assertEquals(0x20, raw.read()[0]);
      raw.subscribe(1, "sensors/resend", 1);
      assertEquals(0x90, raw.read()[0], "SUBACK");
      Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier("resend-pub").serverHost("127.0.0.1")
        .serverPort(server.port).buildBlocking();
      pub.connect();
      pub.publishWith().topic("sensors/resend").qos(MqttQos.AT_LEAST_ONCE).payload("once".getBytes()).send();
      int[] first = raw.read();
      assertEquals(0x32, first[0], "PUBLISH QoS 1, no DUP");
      // no PUBACK: the connection ends with the message in flight
    }
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, "resend-me", false);
      int[] connack = raw.read();
      assertEquals(0x20, connack[0]);
      assertEquals(1, connack[1], "session present");
      int[] again = raw.read();
      assertNotNull(again);
      assertEquals(0x3A, again[0], "PUBLISH QoS 1 with DUP");
      int packetId = again[1 + 2 + "sensors/resend".length()] << 8 | again[2 + 2 + "sensors/resend".length()];
      raw.puback(packetId);
    }
  }

  @Test
  void mqttOverWebSocketAtSlashMqtt(Vertx vertx) throws Exception {
    MqttTestServer server = MqttTestServer.start(vertx, new MqttAdapterOptions().setHost("127.0.0.1").setPort(0)
      .setWebsocketPort(0).setBridge(new BridgeOptions().setRules(MqttTestServer.rules())));
    int wsPort = server.verticle.actualWebsocketPort();
    assertTrue(wsPort > 0);
    Mqtt5BlockingClient ws = Mqtt5Client.builder().identifier("ws-client").serverHost("127.0.0.1").serverPort(wsPort)
      .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
    ws.connect();
    Mqtt5BlockingClient.Mqtt5Publishes inbox = ws.publishes(MqttGlobalPublishFilter.ALL);
    ws.subscribeWith().topicFilter("sensors/ws/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient tcp = Mqtt5Client.builder().identifier("tcp-client").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    tcp.connect();
    tcp.publishWith().topic("sensors/ws/1").qos(MqttQos.AT_LEAST_ONCE).payload("over-ws".getBytes()).send();
    var got = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals("over-ws", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void metersCountConnectionsMessagesAndDrops(Vertx vertx) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MqttTestServer server = MqttTestServer.start(vertx, new MqttAdapterOptions().setHost("127.0.0.1").setPort(0)
      .setMeterRegistry(registry).setBridge(new BridgeOptions().setRules(MqttTestServer.rules())));
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("metered").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    client.connect();
    Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL);
    client.subscribeWith().topicFilter("sensors/metered").qos(MqttQos.AT_LEAST_ONCE).send();
    client.publishWith().topic("sensors/metered").qos(MqttQos.AT_LEAST_ONCE).payload("m".getBytes()).send();
    inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    try {
      client.publishWith().topic("secret/x").qos(MqttQos.AT_LEAST_ONCE).payload("no".getBytes()).send();
    } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException expected) {
      // refused: counted as a drop
    }
    assertEquals(1.0, registry.get("inos.mqtt.connections").gauge().value());
    assertEquals(1.0, registry.get("inos.mqtt.connections.accepted").counter().count());
    assertEquals(1.0, registry.get("inos.mqtt.messages.in").counter().count());
    assertEquals(1.0, registry.get("inos.mqtt.messages.out").counter().count());
    assertEquals(1.0, registry.get("inos.mqtt.messages.dropped").tag("reason", "denied").counter().count());
  }
}
