package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.inos.adapters.bridge.BridgeOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code $SYS/broker/…} statistics topics: retained, refreshed every {@code sysIntervalSeconds}, readable by a
 * signed-in client, refused to a guest (SUBACK 0x87), never writable (PUBACK 0x90), and not matched by {@code #}.
 */
@ExtendWith(VertxExtension.class)
class MqttSysTopicsTest {

  private MqttTestServer server;
  private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = MqttTestServer.start(vertx, new MqttAdapterOptions().setHost("127.0.0.1").setPort(0)
      .setSysIntervalSeconds(1)
      .setBridge(new BridgeOptions().setRules(MqttTestServer.rules())));
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    });
  }

  private Mqtt5BlockingClient connect(String id, String token) {
    var builder = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(server.port);
    Mqtt5BlockingClient client = token == null ? builder.buildBlocking()
      : builder.simpleAuth().username("jwt").password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
      .buildBlocking();
    client.connect();
    clients.add(client);
    return client;
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void aSignedInClientReadsTheConnectedClientsAndSeesThemChange() throws Exception {
    Mqtt5BlockingClient reader = connect("sys-reader", server.token("operator"));
    Mqtt5BlockingClient.Mqtt5Publishes inbox = reader.publishes(MqttGlobalPublishFilter.ALL);
    reader.subscribeWith().topicFilter("$SYS/broker/clients/connected").qos(MqttQos.AT_MOST_ONCE).send();
    Mqtt5Publish first = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals("$SYS/broker/clients/connected", first.getTopic().toString());
    assertTrue(first.isRetain(), "the statistic is retained: a new subscriber gets it at once");
    long before = Long.parseLong(text(first));

    connect("sys-other", server.token("someone"));
    // the next figures come each second; wait until one counts the new client
    long seen = before;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (seen < 2 && System.nanoTime() < deadline) {
      Optional<Mqtt5Publish> next = inbox.receive(5, TimeUnit.SECONDS);
      if (next.isPresent()) {
        seen = Long.parseLong(text(next.get()));
      }
    }
    assertTrue(seen >= 2, "the reader and the other client are connected; last figure " + seen);

    reader.subscribeWith().topicFilter("$SYS/broker/messages/+").qos(MqttQos.AT_MOST_ONCE).send();
    Mqtt5Publish messages = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertTrue(messages.getTopic().toString().startsWith("$SYS/broker/messages/"), messages.getTopic().toString());
  }

  @Test
  void aGuestMayNotReadThemNobodyMayWriteThemAndHashDoesNotMatchThem() throws Exception {
    Mqtt5BlockingClient guest = connect("sys-guest", null);
    Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class,
      () -> guest.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_MOST_ONCE).send());
    assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCodes().get(0));

    Mqtt5BlockingClient user = connect("sys-writer", server.token("writer", "admin"));
    Mqtt5PubAckException write = assertThrows(Mqtt5PubAckException.class, () -> user.publishWith()
      .topic("$SYS/broker/clients/connected").qos(MqttQos.AT_LEAST_ONCE).payload("9999".getBytes()).send());
    assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, write.getMqttMessage().getReasonCode());

    Mqtt5BlockingClient.Mqtt5Publishes inbox = user.publishes(MqttGlobalPublishFilter.ALL);
    user.subscribeWith().topicFilter("#").qos(MqttQos.AT_MOST_ONCE).send();
    user.subscribeWith().topicFilter("$SYS/broker/uptime").qos(MqttQos.AT_MOST_ONCE).send();
    // every figure is published each second when it changes (the uptime always does), yet the only messages are the
    // uptime the second subscription asked for: '#' does not match '$' topics (MQTT 4.7.2)
    for (int i = 0; i < 3; i++) {
      Mqtt5Publish p = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertEquals("$SYS/broker/uptime", p.getTopic().toString());
    }
    user.subscribeWith().topicFilter("$SYS/broker/clients/connected").qos(MqttQos.AT_MOST_ONCE).send();
    Mqtt5Publish connected = inbox.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("none"));
    while (!connected.getTopic().toString().equals("$SYS/broker/clients/connected")) {
      connected = inbox.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no connected figure"));
    }
    assertFalse(text(connected).equals("9999"), "the refused write was not taken");
  }
}
