package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT adapter deployed alone into a plain Vert.x application, driven by the HiveMQ MQTT client (3.1.1 and 5): a
 * third-party implementation of the protocol.
 */
@ExtendWith(VertxExtension.class)
class MqttAdapterVerticleTest {

  private Vertx vertx;
  private MqttTestServer server;
  private final List<Object> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = MqttTestServer.start(vertx);
  }

  private Mqtt5BlockingClient v5(String id) {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    clients.add(client);
    return client;
  }

  private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
    Optional<Mqtt5Publish> message = publishes.receive(10, TimeUnit.SECONDS);
    assertTrue(message.isPresent(), "no message within 10 s");
    return message.get();
  }

  private static String text(Mqtt5Publish publish) {
    return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void mqtt5QosZeroOneTwoWithPropertiesThroughAWildcard() throws Exception {
    Mqtt5BlockingClient sub = v5("sub-1");
    sub.connectWith().simpleAuth().username("jwt").password(server.token("bob").getBytes()).applySimpleAuth().send();
    Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
    sub.subscribeWith().topicFilter("sensors/+/temp").qos(MqttQos.EXACTLY_ONCE).send();
    Mqtt5BlockingClient pub = v5("pub-1");
    pub.connect();
    for (MqttQos qos : MqttQos.values()) {
      pub.publishWith().topic("sensors/room" + qos.getCode() + "/temp").qos(qos)
        .payload(("21." + qos.getCode()).getBytes())
        .contentType("text/plain").responseTopic("sensors/replies").correlationData("c-1".getBytes())
        .userProperties().add("unit", "celsius").applyUserProperties()
        .messageExpiryInterval(600)
        .send();
    }
    for (MqttQos qos : MqttQos.values()) {
      Mqtt5Publish got = next(publishes);
      assertEquals("sensors/room" + qos.getCode() + "/temp", got.getTopic().toString());
      assertEquals("21." + qos.getCode(), text(got));
      assertEquals(qos, got.getQos(), "min(published, granted) QoS");
      assertEquals("text/plain", got.getContentType().orElseThrow().toString());
      assertEquals("sensors/replies", got.getResponseTopic().orElseThrow().toString());
      assertEquals("c-1", StandardCharsets.UTF_8.decode(got.getCorrelationData().orElseThrow()).toString());
      assertEquals("celsius", got.getUserProperties().asList().get(0).getValue().toString());
      assertTrue(got.getMessageExpiryInterval().orElseThrow() <= 600);
    }
    assertTrue(server.verticle.stats().messagesIn() >= 3);
  }

  @Test
  void mqtt311ExactSubscriptionAtQos1() throws Exception {
    Mqtt3BlockingClient sub = Mqtt3Client.builder().identifier("v3-sub").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    sub.connect();
    Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
    sub.subscribeWith().topicFilter("sensors/room9/humidity").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt3BlockingClient pub = Mqtt3Client.builder().identifier("v3-pub").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    pub.connect();
    pub.publishWith().topic("sensors/room9/humidity").qos(MqttQos.AT_LEAST_ONCE).payload("55".getBytes()).send();
    var got = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals("55", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
    assertEquals(MqttQos.AT_LEAST_ONCE, got.getQos());
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void aNexusEventReachesAnExactSubscriberAndADevicePublishBecomesAnEvent() throws Exception {
    Mqtt5BlockingClient device = v5("device-1");
    device.connectWith().simpleAuth().username("jwt").password(server.token("carol").getBytes()).applySimpleAuth()
      .send();
    Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL);
    device.subscribeWith().topicFilter("content/create_content/v1/completed").qos(MqttQos.AT_LEAST_ONCE).send();
    server.bridge().nexus().publish(Event.builder("content:create_content:v1:completed")
      .data(new JsonObject().put("slug", "hello")).build());
    Mqtt5Publish got = next(publishes);
    assertEquals("content/create_content/v1/completed", got.getTopic().toString());
    assertEquals("application/json", got.getContentType().orElseThrow().toString());
    Event event = Event.fromJson(new JsonObject(text(got)));
    assertEquals("content:create_content:v1:completed", event.type().toString());
    assertEquals("hello", event.data().getString("slug"));

    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    await(vertx.eventBus().consumer("content:upload_content:v1:completed", m -> events.add(m.body())).completion());
    device.publishWith().topic("content/upload_content/v1/completed").qos(MqttQos.AT_LEAST_ONCE)
      .payload("{\"size\": 3}".getBytes()).send();
    Object body = events.poll(10, TimeUnit.SECONDS);
    Event fromDevice = body instanceof Event e ? e : Event.fromJson((JsonObject) body);
    assertEquals(3, fromDevice.data().getInteger("size"), "a plain JSON object is the event's data");
    assertEquals("carol", fromDevice.userId());
    JsonObject mqtt = fromDevice.metadata().getJsonObject("mqtt");
    assertEquals("content/upload_content/v1/completed", mqtt.getString("topic"));
    assertEquals("device-1", mqtt.getString("client_id"));
  }

  @Test
  void wrongCredentialsAreRefusedInConnack() throws Exception {
    Mqtt5ConnAckException v5 = assertThrows(Mqtt5ConnAckException.class, () -> v5("bad-5").connectWith()
      .simpleAuth().username("jwt").password("not-a-token".getBytes()).applySimpleAuth().send());
    assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, v5.getMqttMessage().getReasonCode());
    Mqtt3BlockingClient client3 = Mqtt3Client.builder().identifier("bad-3").serverHost("127.0.0.1")
      .serverPort(server.port).buildBlocking();
    Mqtt3ConnAckException v3 = assertThrows(Mqtt3ConnAckException.class, () -> client3.connectWith().simpleAuth()
      .username("jwt").password("not-a-token".getBytes()).applySimpleAuth().send());
    assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, v3.getMqttMessage().getReturnCode());
    assertEquals(2, server.verticle.stats().connectionsRefused());

    MqttTestServer membersOnly = MqttTestServer.start(vertx, new MqttAdapterOptions().setHost("127.0.0.1").setPort(0)
      .setBridge(new BridgeOptions().setAllowGuests(false)));
    Mqtt5ConnAckException guest = assertThrows(Mqtt5ConnAckException.class, () -> Mqtt5Client.builder()
      .identifier("guest").serverHost("127.0.0.1").serverPort(membersOnly.port).buildBlocking().connect());
    assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, guest.getMqttMessage().getReasonCode());
  }

  @Test
  void forbiddenSubscribeAndPublishGetFailureCodes() throws Exception {
    Mqtt5BlockingClient bob = v5("bob-1");
    bob.connectWith().simpleAuth().username("jwt").password(server.token("bob").getBytes()).applySimpleAuth().send();
    Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class,
      () -> bob.subscribeWith().topicFilter("secret/plans").qos(MqttQos.AT_LEAST_ONCE).send());
    assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCodes().get(0));
    Mqtt5PubAckException puback = assertThrows(Mqtt5PubAckException.class, () -> bob.publishWith()
      .topic("secret/plans").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send());
    assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, puback.getMqttMessage().getReasonCode());

    Mqtt5BlockingClient admin = v5("admin-1");
    admin.connectWith().simpleAuth().username("jwt").password(server.token("ann", "admin").getBytes())
      .applySimpleAuth().send();
    assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, admin.subscribeWith().topicFilter("secret/plans")
      .qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0));
    // the connection that was refused keeps working
    Mqtt5BlockingClient.Mqtt5Publishes publishes = bob.publishes(MqttGlobalPublishFilter.ALL);
    bob.subscribeWith().topicFilter("sensors/ok").qos(MqttQos.AT_LEAST_ONCE).send();
    bob.publishWith().topic("sensors/ok").qos(MqttQos.AT_LEAST_ONCE).payload("fine".getBytes()).send();
    assertEquals("fine", text(next(publishes)));
  }

  @Test
  void aPersistentSessionKeepsWhatArrivesWhileOffline() throws Exception {
    Mqtt5BlockingClient device = v5("persistent-1");
    String token = server.token("dave");
    device.connectWith().cleanStart(true).sessionExpiryInterval(300).simpleAuth().username("jwt")
      .password(token.getBytes()).applySimpleAuth().send();
    device.subscribeWith().topicFilter("sensors/queued/+").qos(MqttQos.AT_LEAST_ONCE).send();
    device.disconnect();
    Mqtt5BlockingClient pub = v5("persistent-pub");
    pub.connect();
    for (int i = 0; i < 3; i++) {
      pub.publishWith().topic("sensors/queued/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(("m" + i).getBytes()).send();
    }
    Mqtt5BlockingClient again = v5("persistent-1");
    Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5ConnAck ack = again.connectWith().cleanStart(false).sessionExpiryInterval(300).simpleAuth().username("jwt")
      .password(token.getBytes()).applySimpleAuth().send();
    assertTrue(ack.isSessionPresent());
    for (int i = 0; i < 3; i++) {
      assertEquals("m" + i, text(next(publishes)));
    }
  }

  @Test
  void aSecondConnectionWithTheSameClientIdTakesOverAndTheWillIsPublished() throws Exception {
    Mqtt5BlockingClient watcher = v5("watcher");
    watcher.connect();
    Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL);
    watcher.subscribeWith().topicFilter("sensors/status/#").qos(MqttQos.AT_LEAST_ONCE).send();

    CompletableFuture<Throwable> firstGone = new CompletableFuture<>();
    Mqtt5BlockingClient first = Mqtt5Client.builder().identifier("twin").serverHost("127.0.0.1")
      .serverPort(server.port).addDisconnectedListener(ctx -> firstGone.complete(ctx.getCause())).buildBlocking();
    first.connectWith().willPublish().topic("sensors/status/twin").payload("offline".getBytes())
      .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish().send();
    Mqtt5BlockingClient second = v5("twin");
    second.connect();
    Throwable cause = firstGone.get(10, TimeUnit.SECONDS);
    assertTrue(cause instanceof Mqtt5DisconnectException, String.valueOf(cause));
    assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER,
      ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
    assertTrue(second.getState().isConnected());
    Mqtt5Publish will = next(publishes);
    assertEquals("sensors/status/twin", will.getTopic().toString());
    assertEquals("offline", text(will));
  }

  @Test
  void retainedMessagesReachNewSubscribersAndAnEmptyPayloadClearsThem() throws Exception {
    Mqtt5BlockingClient pub = v5("retainer");
    pub.connect();
    pub.publishWith().topic("sensors/ret/a").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("A".getBytes()).send();
    pub.publishWith().topic("sensors/ret/b").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("B".getBytes()).send();
    pub.publishWith().topic("sensors/ret/a").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[0]).send();
    Mqtt5BlockingClient sub = v5("late");
    sub.connect();
    Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
    sub.subscribeWith().topicFilter("sensors/ret/+").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5Publish got = next(publishes);
    assertEquals("sensors/ret/b", got.getTopic().toString());
    assertTrue(got.isRetain());
    assertEquals(1, server.verticle.stats().retained());
  }

  @Test
  void aSharedSubscriptionSplitsMessagesRoundRobin() throws Exception {
    Mqtt5BlockingClient a = v5("share-a");
    Mqtt5BlockingClient b = v5("share-b");
    a.connect();
    b.connect();
    Mqtt5BlockingClient.Mqtt5Publishes pa = a.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5BlockingClient.Mqtt5Publishes pb = b.publishes(MqttGlobalPublishFilter.ALL);
    a.subscribeWith().topicFilter("$share/workers/sensors/jobs").qos(MqttQos.AT_LEAST_ONCE).send();
    b.subscribeWith().topicFilter("$share/workers/sensors/jobs").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient pub = v5("share-pub");
    pub.connect();
    for (int i = 0; i < 4; i++) {
      pub.publishWith().topic("sensors/jobs").qos(MqttQos.AT_LEAST_ONCE).payload(("j" + i).getBytes()).send();
    }
    List<String> got = new ArrayList<>();
    got.add(text(next(pa)));
    got.add(text(next(pa)));
    got.add(text(next(pb)));
    got.add(text(next(pb)));
    got.sort(String::compareTo);
    assertEquals(List.of("j0", "j1", "j2", "j3"), got, "each job once, two each");
  }
}
