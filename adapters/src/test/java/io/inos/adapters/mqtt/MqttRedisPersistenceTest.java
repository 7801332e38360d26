package io.inos.adapters.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.adapters.mqtt.impl.RedisTesting;
import io.inos.nexus.Event;
import io.inos.testing.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.mqtt.impl.RedisTesting.await;
import static io.inos.adapters.mqtt.impl.RedisTesting.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retained messages and persistent sessions that survive a restart of the adapter, kept in the machine's Redis: the
 * adapter is undeployed and a new one deployed on the same Redis, as a node that restarts.
 */
@ExtendWith(VertxExtension.class)
class MqttRedisPersistenceTest {

  /** The same signing key on both sides of a restart, as a configured node has. */
  private static final String KEY = "a-test-key-of-at-least-thirty-two-characters";
  private static final String EVENT = "content:create_content:v1:completed";

  private Vertx vertx;
  private RedisTesting redis;
  private String id;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.redis = new RedisTesting(vertx);
    this.id = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void cleanUp() {
    redis.close();
  }

  private MqttAdapterOptions options(String url) {
    return new MqttAdapterOptions().setHost("127.0.0.1").setPort(0).setSysIntervalSeconds(0).setRedisUrl(url)
      .setRedisKeyPrefix(redis.prefix)
      .setBridge(new BridgeOptions().setRules(MqttTestServer.rules()).setTokens(new TokenOptions().setKey(KEY)));
  }

  private MqttTestServer start() throws Exception {
    return MqttTestServer.start(vertx, options(RedisTesting.URL));
  }

  private String sessionKey(String clientId) {
    return redis.prefix + "session:" + clientId;
  }

  private long fields(String clientId) {
    return redis.redis(Request.cmd(Command.HLEN).arg(sessionKey(clientId))).toLong();
  }

  private static Mqtt5BlockingClient v5(String clientId, int port) {
    return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
  }

  private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes inbox) throws InterruptedException {
    return inbox.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message within 20 s"));
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void aPersistentSessionAndTheRetainedMessagesSurviveARestart() throws Exception {
    MqttTestServer first = start();
    String device = "device-" + id;
    Mqtt5BlockingClient client = v5(device, first.port);
    client.connectWith().cleanStart(false).sessionExpiryInterval(3_600).simpleAuth().username("jwt")
      .password(first.token("dana").getBytes()).applySimpleAuth().send();
    client.subscribeWith().topicFilter("sensors/" + id + "/+").qos(MqttQos.AT_LEAST_ONCE).send();
    client.subscribeWith().topicFilter("content/create_content/v1/completed").qos(MqttQos.AT_LEAST_ONCE).send();
    client.disconnect();
    awaitUntil("the offline session expires in Redis with the session", () -> {
      long ttl = redis.pttl(sessionKey(device));
      return ttl > 3_500_000 && ttl <= 3_600_000;
    });

    // while the device is away: two messages for its wildcard subscription, the second with a user property, and
    // a retained one, which it is queued too
    Mqtt5BlockingClient publisher = v5("pub-" + id, first.port);
    publisher.connect();
    publisher.publishWith().topic("sensors/" + id + "/a").qos(MqttQos.AT_LEAST_ONCE).payload("1".getBytes()).send();
    publisher.publishWith().topic("sensors/" + id + "/b").qos(MqttQos.AT_LEAST_ONCE).payload("2".getBytes())
      .userProperties().add("unit", "celsius").applyUserProperties().send();
    publisher.publishWith().topic("sensors/" + id + "/c").qos(MqttQos.AT_LEAST_ONCE).retain(true)
      .payload("3".getBytes()).send();
    publisher.disconnect();
    first.stop();

    MqttTestServer second = start();
    // restored with its identity and both subscriptions before any client comes, and without a bridge
    // subscription of its own: the node's interest table hands the event to the broker
    awaitUntil("the restored subscriptions are active", () -> second.stats().subscriptions() == 2);
    assertEquals(0, second.bridge().subscribers(EVENT), "no event-bus consumer per MQTT subscription");
    second.bridge().nexus().publish(Event.builder(EVENT).data(new JsonObject().put("slug", id)).build());

    Mqtt5BlockingClient newcomer = v5("new-" + id, second.port);
    Mqtt5BlockingClient.Mqtt5Publishes newcomerInbox = newcomer.publishes(MqttGlobalPublishFilter.ALL);
    newcomer.connect();
    newcomer.subscribeWith().topicFilter("sensors/" + id + "/c").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5Publish retained = next(newcomerInbox);
    assertEquals("3", text(retained));
    assertTrue(retained.isRetain(), "delivered as a retained message");

    Mqtt5BlockingClient again = v5(device, second.port);
    Mqtt5BlockingClient.Mqtt5Publishes inbox = again.publishes(MqttGlobalPublishFilter.ALL);
    Mqtt5ConnAck ack = again.connectWith().cleanStart(false).sessionExpiryInterval(3_600).simpleAuth()
      .username("jwt").password(second.token("dana").getBytes()).applySimpleAuth().send();
    assertTrue(ack.isSessionPresent(), "session present");
    assertEquals("1", text(next(inbox)));
    Mqtt5Publish two = next(inbox);
    assertEquals("2", text(two));
    assertEquals("celsius", two.getUserProperties().asList().get(0).getValue().toString());
    Mqtt5Publish three = next(inbox);
    assertEquals("3", text(three));
    assertFalse(three.isRetain(), "a live delivery to a subscription that was there");
    Mqtt5Publish event = next(inbox);
    assertEquals("content/create_content/v1/completed", event.getTopic().toString());
    assertEquals(id, Event.fromJson(new JsonObject(text(event))).data().getString("slug"));

    // the subscription is still active, and nothing came twice: the next message is a new one
    newcomer.publishWith().topic("sensors/" + id + "/d").qos(MqttQos.AT_LEAST_ONCE).payload("4".getBytes()).send();
    assertEquals("4", text(next(inbox)));
    awaitUntil("online again: the session no longer expires in Redis", () -> redis.pttl(sessionKey(device)) == -1);
    awaitUntil("every acknowledged message left Redis", () -> fields(device) == 1);
    again.disconnect();
    newcomer.disconnect();
    second.stop();
  }

  @Test
  void aMessageInFlightIsResentWithItsPacketIdAfterARestart() throws Exception {
    MqttTestServer first = start();
    String device = "raw-" + id;
    int packetId;
    try (RawMqtt raw = new RawMqtt(first.port)) {
      raw.connect(4, device, false);
      assertEquals(0x20, raw.read()[0]);
      raw.subscribe(1, "sensors/" + id, 1);
      assertEquals(0x90, raw.read()[0], "SUBACK");
      Mqtt5BlockingClient pub = v5("pub-" + id, first.port);
      pub.connect();
      pub.publishWith().topic("sensors/" + id).qos(MqttQos.AT_LEAST_ONCE).payload("once".getBytes()).send();
      pub.disconnect();
      int[] publish = raw.read();
      assertEquals(0x32, publish[0], "PUBLISH QoS 1");
      packetId = RawMqtt.packetId(publish);
      // no PUBACK: the node stops with the message in flight
    }
    first.stop();

    MqttTestServer second = start();
    try (RawMqtt raw = new RawMqtt(second.port)) {
      raw.connect(4, device, false);
      int[] connack = raw.read();
      assertEquals(0x20, connack[0]);
      assertEquals(1, connack[1], "session present");
      int[] again = raw.read();
      assertEquals(0x3A, again[0], "PUBLISH QoS 1 with DUP");
      assertEquals(packetId, RawMqtt.packetId(again), "the same packet");
      assertEquals("once", RawMqtt.payload(again));
      raw.puback(packetId);
      awaitUntil("the acknowledged message left Redis", () -> fields(device) == 1);
    }
    second.stop();
  }

  @Test
  void aQos2MessageTakenBeforeARestartIsNotRoutedAgainWhenTheClientResendsIt() throws Exception {
    MqttTestServer first = start();
    String publisher = "q2-" + id;
    try (RawMqtt raw = new RawMqtt(first.port)) {
      raw.connect(4, publisher, false);
      assertEquals(0x20, raw.read()[0]);
      raw.publish("sensors/" + id + "/q2", 2, 7, false, "exactly-once");
      assertEquals(0x50, raw.read()[0], "PUBREC");
      // the PUBCOMP never comes: the node stops first
      awaitUntil("the packet id awaiting release is kept", () -> "1".equals(redis.hget(sessionKey(publisher), "r:7")));
    }
    first.stop();

    MqttTestServer second = start();
    Mqtt5BlockingClient subscriber = v5("sub-" + id, second.port);
    Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL);
    subscriber.connect();
    subscriber.subscribeWith().topicFilter("sensors/" + id + "/q2").qos(MqttQos.EXACTLY_ONCE).send();
    try (RawMqtt raw = new RawMqtt(second.port)) {
      raw.connect(4, publisher, false);
      assertEquals(1, raw.read()[1], "session present");
      // the client did not see PUBREC, as far as it knows: it sends the message again
      raw.publish("sensors/" + id + "/q2", 2, 7, true, "exactly-once");
      assertEquals(0x50, raw.read()[0], "PUBREC");
      raw.pubrel(7);
      assertEquals(0x70, raw.read()[0], "PUBCOMP");
      raw.publish("sensors/" + id + "/q2", 1, 8, false, "marker");
      assertEquals(0x40, raw.read()[0], "PUBACK");
    }
    assertEquals("marker", text(next(inbox)), "the copy sent again was not routed again");
    subscriber.disconnect();
    second.stop();
  }

  @Test
  void onlyPersistentSessionsAreKeptAndACleanStartForgetsTheKeptOne() throws Exception {
    MqttTestServer server = start();
    String clean = "clean-" + id;
    String persistent = "persistent-" + id;
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, clean, true);
      assertEquals(0x20, raw.read()[0]);
      raw.subscribe(1, "sensors/" + id, 1);
      assertEquals(0x90, raw.read()[0]);
    }
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, persistent, false);
      assertEquals(0x20, raw.read()[0]);
    }
    // one connection to Redis, in order: once the second session is there, the first would be too
    awaitUntil("the persistent session is kept", () -> fields(persistent) == 1);
    assertEquals(0, fields(clean), "a clean session is not kept");
    assertEquals(List.of(persistent), members());

    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, persistent, true);
      assertEquals(0, raw.read()[1], "no session present with a clean start");
    }
    awaitUntil("the kept session is forgotten", () -> fields(persistent) == 0 && members().isEmpty());
    server.stop();
  }

  private List<String> members() {
    return redis.redis(Request.cmd(Command.SMEMBERS).arg(redis.prefix + "sessions")).stream()
      .map(Object::toString).toList();
  }

  @Test
  void whileRedisIsAwayTheServerServesFromMemoryAndWritesWhatItMissedWhenBack() throws Exception {
    TcpProxy proxy = await(TcpProxy.start(vertx, "127.0.0.1", 6379));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MqttTestServer first = MqttTestServer.start(vertx, options("redis://127.0.0.1:" + proxy.port())
      .setMeterRegistry(registry));
    String device = "v3-" + id;
    // an MQTT 3.1.1 guest with clean session false
    Mqtt3BlockingClient client = Mqtt3Client.builder().identifier(device).serverHost("127.0.0.1")
      .serverPort(first.port).buildBlocking();
    client.connectWith().cleanSession(false).send();
    client.subscribeWith().topicFilter("sensors/" + id + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
    client.disconnect();
    awaitUntil("the session is kept", () -> redis.pttl(sessionKey(device)) > 0);

    await(proxy.pause());
    awaitUntil("the adapter sees Redis away", () -> registry.get("inos.mqtt.redis.up").gauge().value() == 0);
    Mqtt5BlockingClient live = v5("live-" + id, first.port);
    Mqtt5BlockingClient.Mqtt5Publishes liveInbox = live.publishes(MqttGlobalPublishFilter.ALL);
    live.connect();
    live.subscribeWith().topicFilter("sensors/" + id + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
    live.publishWith().topic("sensors/" + id + "/x").qos(MqttQos.AT_LEAST_ONCE).payload("while-away".getBytes())
      .send();
    assertEquals("while-away", text(next(liveInbox)), "the server still serves");
    assertTrue(registry.get("inos.mqtt.redis.failures").counter().count() > 0, "the missed writes are counted");
    assertEquals(1, fields(device), "Redis did not get the queued message");

    await(proxy.resume());
    awaitUntil("the queued message is written once Redis is back", () -> fields(device) == 2);
    live.disconnect();
    first.stop();

    MqttTestServer second = start();
    Mqtt3BlockingClient again = Mqtt3Client.builder().identifier(device).serverHost("127.0.0.1")
      .serverPort(second.port).buildBlocking();
    try (Mqtt3BlockingClient.Mqtt3Publishes inbox = again.publishes(MqttGlobalPublishFilter.ALL)) {
      assertTrue(again.connectWith().cleanSession(false).send().isSessionPresent(), "session present");
      var got = inbox.receive(20, TimeUnit.SECONDS).orElseThrow();
      assertEquals("while-away", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
    }
    again.disconnect();
    second.stop();
  }

  @Test
  void aSessionWhoseClientWasOnlineWhenTheNodeCrashedIsRestoredAndExpiresFromTheRestart() throws Exception {
    // what a node that crashed leaves: the session's state without the time its client went away
    String device = "crashed-" + id;
    String guest = "guest_" + UUID.randomUUID().toString().replace("-", "");
    JsonObject state = new JsonObject().put("v", 1).put("expiry", 600).put("offline", 0)
      .put("user", guest).put("guest", true).put("roles", new io.vertx.core.json.JsonArray())
      .put("campaigns", new io.vertx.core.json.JsonArray()).put("exp", 0)
      .put("subs", new io.vertx.core.json.JsonArray().add(new JsonObject().put("raw", "sensors/" + id).put("qos", 1)
        .put("noLocal", false).put("rap", false).put("id", 0).put("bridge", true)));
    redis.redis(Request.cmd(Command.HSET).arg(sessionKey(device)).arg("state").arg(state.encode()));
    redis.redis(Request.cmd(Command.SADD).arg(redis.prefix + "sessions").arg(device));

    MqttTestServer server = start();
    assertEquals(1, server.verticle.stats().sessions(), "restored");
    awaitUntil("offline from the restart on: it expires 600 s after it", () -> {
      long ttl = redis.pttl(sessionKey(device));
      return ttl > 500_000 && ttl <= 600_000;
    });
    Mqtt5BlockingClient pub = v5("pub-" + id, server.port);
    pub.connect();
    pub.publishWith().topic("sensors/" + id).qos(MqttQos.AT_LEAST_ONCE).payload("kept".getBytes()).send();
    pub.disconnect();
    try (RawMqtt raw = new RawMqtt(server.port)) {
      raw.connect(4, device, false);
      assertEquals(1, raw.read()[1], "session present");
      int[] publish = raw.read();
      assertEquals("kept", RawMqtt.payload(publish), "its subscription was active");
      raw.puback(RawMqtt.packetId(publish));
    }
    server.stop();
  }

  @Test
  void whenRedisIsAwayAtStartTheSessionsAreRestoredOnceItIsBack() throws Exception {
    MqttTestServer first = start();
    String device = "late-" + id;
    Mqtt3BlockingClient client = Mqtt3Client.builder().identifier(device).serverHost("127.0.0.1")
      .serverPort(first.port).buildBlocking();
    client.connectWith().cleanSession(false).send();
    client.subscribeWith().topicFilter("sensors/" + id).qos(MqttQos.AT_LEAST_ONCE).send();
    client.disconnect();
    Mqtt5BlockingClient pub = v5("pub-" + id, first.port);
    pub.connect();
    pub.publishWith().topic("sensors/" + id).qos(MqttQos.AT_LEAST_ONCE).payload("queued".getBytes()).send();
    pub.disconnect();
    first.stop();

    TcpProxy proxy = await(TcpProxy.start(vertx, "127.0.0.1", 6379));
    await(proxy.pause());
    MqttTestServer second = MqttTestServer.start(vertx, options("redis://127.0.0.1:" + proxy.port()));
    assertEquals(0, second.verticle.stats().sessions(), "started without them, without failing");
    await(proxy.resume());
    awaitUntil("restored once Redis is back", () -> second.verticle.stats().sessions() == 1);

    Mqtt3BlockingClient again = Mqtt3Client.builder().identifier(device).serverHost("127.0.0.1")
      .serverPort(second.port).buildBlocking();
    try (Mqtt3BlockingClient.Mqtt3Publishes inbox = again.publishes(MqttGlobalPublishFilter.ALL)) {
      assertTrue(again.connectWith().cleanSession(false).send().isSessionPresent(), "session present");
      var got = inbox.receive(20, TimeUnit.SECONDS).orElseThrow();
      assertEquals("queued", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));
    }
    again.disconnect();
    second.stop();
  }
}
