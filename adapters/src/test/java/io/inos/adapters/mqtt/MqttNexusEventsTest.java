package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.inos.nexus.Event;
import io.inos.nexus.EventType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nexus events reach every MQTT subscription they match (exact, {@code +}, {@code #} and shared ones) through the
 * node's interest table, as each session may read them, and without an event-bus consumer per subscription.
 */
@ExtendWith(VertxExtension.class)
class MqttNexusEventsTest {

  private static final EventType COMPLETED = EventType.parse("content:create_content:v1:completed");

  private static Mqtt5BlockingClient client(MqttTestServer server, String clientId, String token) {
    Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    if (token == null) {
      c.connect();
    } else {
      c.connectWith().simpleAuth().username("jwt").password(token.getBytes()).applySimpleAuth().send();
    }
    return c;
  }

  private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes inbox) throws InterruptedException {
    return inbox.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message within 20 s"));
  }

  private static String slugOf(Mqtt5Publish p) {
    return Event.fromJson(new JsonObject(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).data()
      .getString("slug");
  }

  private static void publish(MqttTestServer server, String slug) {
    server.bridge().nexus().publish(Event.builder(COMPLETED).data(new JsonObject().put("slug", slug)).build());
  }

  @Test
  void anEventReachesExactWildcardAndSharedSubscriptionsOnceEach(Vertx vertx) throws Exception {
    MqttTestServer server = MqttTestServer.start(vertx);
    String token = server.token("dana");
    Mqtt5BlockingClient exact = client(server, "exact", token);
    Mqtt5BlockingClient plus = client(server, "plus", token);
    Mqtt5BlockingClient hash = client(server, "hash", token);
    Mqtt5BlockingClient shared1 = client(server, "shared-1", token);
    Mqtt5BlockingClient shared2 = client(server, "shared-2", token);
    var exactInbox = exact.publishes(MqttGlobalPublishFilter.ALL);
    var plusInbox = plus.publishes(MqttGlobalPublishFilter.ALL);
    var hashInbox = hash.publishes(MqttGlobalPublishFilter.ALL);
    var shared1Inbox = shared1.publishes(MqttGlobalPublishFilter.ALL);
    var shared2Inbox = shared2.publishes(MqttGlobalPublishFilter.ALL);
    exact.subscribeWith().topicFilter("content/create_content/v1/completed").qos(MqttQos.AT_LEAST_ONCE).send();
    plus.subscribeWith().topicFilter("content/+/v1/completed").qos(MqttQos.AT_LEAST_ONCE).send();
    hash.subscribeWith().topicFilter("content/#").qos(MqttQos.AT_LEAST_ONCE).send();
    shared1.subscribeWith().topicFilter("$share/g/content/create_content/v1/+").qos(MqttQos.AT_LEAST_ONCE).send();
    shared2.subscribeWith().topicFilter("$share/g/content/create_content/v1/+").qos(MqttQos.AT_LEAST_ONCE).send();
    assertEquals(0, server.bridge().subscribers(COMPLETED.toString()),
      "no MQTT subscription is an event-bus consumer of its own");

    for (int i = 0; i < 4; i++) {
      publish(server, "e" + i);
    }
    for (var inbox : List.of(exactInbox, plusInbox, hashInbox)) {
      for (int i = 0; i < 4; i++) {
        Mqtt5Publish p = next(inbox);
        assertEquals("content/create_content/v1/completed", p.getTopic().toString());
        assertEquals("application/json", p.getContentType().orElseThrow().toString());
        assertEquals("e" + i, slugOf(p), "in order, once each");
      }
    }
    // the share group gets each event once, between its two members
    List<String> shared = new ArrayList<>();
    for (int round = 0; shared.size() < 4 && round < 100; round++) {
      Optional<Mqtt5Publish> one = shared1Inbox.receive(100, TimeUnit.MILLISECONDS);
      one.ifPresent(p -> shared.add(slugOf(p)));
      Optional<Mqtt5Publish> two = shared2Inbox.receive(100, TimeUnit.MILLISECONDS);
      two.ifPresent(p -> shared.add(slugOf(p)));
    }
    assertEquals(List.of("e0", "e1", "e2", "e3"), shared.stream().sorted().toList());

    // nothing came twice: the next message of each is the next event
    publish(server, "last");
    for (var inbox : List.of(exactInbox, plusInbox, hashInbox)) {
      assertEquals("last", slugOf(next(inbox)));
    }
    for (Mqtt5BlockingClient c : List.of(exact, plus, hash, shared1, shared2)) {
      c.disconnect();
    }
  }

  @Test
  void aWildcardSubscriptionGetsOnlyTheEventsItsIdentityMayRead(Vertx vertx) throws Exception {
    MqttTestServer server = MqttTestServer.start(vertx);
    Mqtt5BlockingClient dana = client(server, "dana", server.token("dana"));
    Mqtt5BlockingClient admin = client(server, "root", server.token("root", "admin"));
    var danaInbox = dana.publishes(MqttGlobalPublishFilter.ALL);
    var adminInbox = admin.publishes(MqttGlobalPublishFilter.ALL);
    dana.subscribeWith().topicFilter("+/alerts").qos(MqttQos.AT_LEAST_ONCE).send();
    admin.subscribeWith().topicFilter("+/alerts").qos(MqttQos.AT_LEAST_ONCE).send();

    // any event-bus publish at a mapped address, not only an event of a service; "other:alerts" no rule permits
    vertx.eventBus().publish("secret:alerts", new JsonObject().put("n", 1));
    vertx.eventBus().publish("other:alerts", new JsonObject().put("n", 2));
    vertx.eventBus().publish("sensors:alerts", new JsonObject().put("n", 3));

    assertEquals("secret/alerts", next(adminInbox).getTopic().toString(), "secret is for admins");
    assertEquals("sensors/alerts", next(adminInbox).getTopic().toString(), "no rule permits other:alerts");
    Mqtt5Publish first = next(danaInbox);
    assertEquals("sensors/alerts", first.getTopic().toString(), "neither secret nor other reach dana");
    assertEquals(3, new JsonObject(new String(first.getPayloadAsBytes(), StandardCharsets.UTF_8)).getInteger("n"));
    dana.disconnect();
    admin.disconnect();
  }

  @Test
  void aDevicePublishThatIsAnEventReachesAWildcardSubscriberOnceWithItsOwnBytes(Vertx vertx) throws Exception {
    MqttTestServer server = MqttTestServer.start(vertx);
    String token = server.token("dana");
    Mqtt5BlockingClient watcher = client(server, "watcher", token);
    var inbox = watcher.publishes(MqttGlobalPublishFilter.ALL);
    watcher.subscribeWith().topicFilter("content/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient device = client(server, "device", token);
    device.publishWith().topic("content/create_content/v1/completed").qos(MqttQos.AT_LEAST_ONCE)
      .payload("{\"slug\":\"from-device\"}".getBytes()).send();
    Mqtt5Publish got = next(inbox);
    assertEquals("{\"slug\":\"from-device\"}", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8),
      "the device's bytes, not the event envelope made of them");
    publish(server, "after");
    assertEquals("after", slugOf(next(inbox)), "the event made of the device's publish did not come back");
    watcher.disconnect();
    device.disconnect();
  }
}
