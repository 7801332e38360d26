package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.inos.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.inos.adapters.mqtt.impl.RedisTesting.await;
import static io.inos.adapters.mqtt.impl.RedisTesting.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retained messages in Redis against the machine's Redis: what one store keeps, the next one (a restarted node)
 * loads, payload, properties and expiry as they were; and while Redis is away the store serves from memory and
 * writes what it missed when Redis is back.
 */
@ExtendWith(VertxExtension.class)
class RedisRetainedStoreTest {

  private RedisTesting redis;
  private final List<MqttRedis> links = new ArrayList<>();

  @BeforeEach
  void prefix(Vertx vertx) {
    redis = new RedisTesting(vertx);
  }

  @AfterEach
  void cleanUp() {
    for (MqttRedis link : links) {
      redis.on(link::close);
    }
    redis.close();
  }

  /** A store as a node that starts makes it: linked, then opened. */
  private RedisRetainedStore open(Vertx vertx, String url, int max) {
    return redis.on(() -> {
      MqttRedis link = new MqttRedis(vertx, url, null);
      links.add(link);
      RedisRetainedStore store = new RedisRetainedStore(link, redis.prefix, max);
      return link.start().compose(v -> store.open()).map(store);
    });
  }

  private static Publication retained(String topic, String payload) {
    return new Publication(topic, Buffer.buffer(payload), 1, true, null, 0, "publisher");
  }

  private Set<String> payloads(RedisRetainedStore store, String filter) {
    return redis.on(() -> store.match(filter)).stream().map(p -> p.topic() + "=" + p.payload())
      .collect(Collectors.toSet());
  }

  private String key() {
    return redis.prefix + "retained";
  }

  @Test
  void aRestartedStoreHasTheMessagesAsTheyWere(Vertx vertx) {
    RedisRetainedStore first = open(vertx, RedisTesting.URL, 100);
    Publication.Properties props = new Publication.Properties(1, "text/plain", "replies/here",
      Buffer.buffer(new byte[] {0, 1, (byte) 0xFF}), List.of(Map.entry("k", "v1"), Map.entry("k", "v2")));
    long expiresAt = System.currentTimeMillis() + 3_600_000;
    redis.on(() -> first.put(new Publication("home/kitchen/temp", Buffer.buffer(new byte[] {(byte) 0xC3, 0x28}), 2,
      true, props, expiresAt, "sensor-1")));
    redis.on(() -> first.put(retained("home/hall/temp", "19")));
    redis.on(() -> first.put(retained("home/hall/temp", "")));
    redis.on(() -> first.put(retained("office/temp", "21")));
    // one connection: the answer of a read sent after the writes comes after them
    awaitUntil("the writes reached Redis", () -> redis.hget(key(), "office/temp") != null);
    assertNull(redis.hget(key(), "home/hall/temp"), "an empty payload removed it from Redis too");

    RedisRetainedStore second = open(vertx, RedisTesting.URL, 100);
    assertEquals(2, second.size());
    List<Publication> found = redis.on(() -> second.match("home/+/temp"));
    assertEquals(1, found.size());
    Publication p = found.get(0);
    assertEquals("home/kitchen/temp", p.topic());
    assertArrayEquals(new byte[] {(byte) 0xC3, 0x28}, p.payload().getBytes());
    assertEquals(2, p.qos());
    assertTrue(p.retain());
    assertEquals(expiresAt, p.expiresAtMillis());
    assertEquals("sensor-1", p.origin());
    assertEquals(props.contentType(), p.properties().contentType());
    assertEquals(props.payloadFormat(), p.properties().payloadFormat());
    assertEquals(props.responseTopic(), p.properties().responseTopic());
    assertEquals(props.correlationData(), p.properties().correlationData());
    assertEquals(props.userProperties(), p.properties().userProperties());
    assertEquals(Set.of("office/temp=21", "home/kitchen/temp=" + p.payload()), payloads(second, "#"));
  }

  @Test
  void anExpiredMessageIsNotLoadedAndLeavesRedis(Vertx vertx) {
    // as a node that stopped leaves them: one message past its expiry, one not
    redis.redis(Request.cmd(Command.HSET).arg(key())
      .arg("soon/gone").arg(PublicationJson.toJson(new Publication("soon/gone", Buffer.buffer("x"), 1, true, null,
        System.currentTimeMillis() - 1, null)).encode())
      .arg("still/here").arg(PublicationJson.toJson(retained("still/here", "y")).encode()));

    RedisRetainedStore store = open(vertx, RedisTesting.URL, 100);
    assertEquals(Set.of("still/here=y"), payloads(store, "#"));
    awaitUntil("the expired message left Redis", () -> redis.hget(key(), "soon/gone") == null);
  }

  @Test
  void aMessageThatExpiresInMemoryLeavesRedis(Vertx vertx) {
    RedisRetainedStore store = open(vertx, RedisTesting.URL, 100);
    long expiresAt = System.currentTimeMillis() + 50;
    redis.on(() -> store.put(new Publication("short/lived", Buffer.buffer("x"), 1, true, null, expiresAt, null)));
    awaitUntil("written", () -> redis.hget(key(), "short/lived") != null);
    awaitUntil("expired", () -> System.currentTimeMillis() > expiresAt);
    assertEquals(Set.of(), payloads(store, "short/+"));
    awaitUntil("gone from Redis", () -> redis.hget(key(), "short/lived") == null);
  }

  @Test
  void theBoundHoldsAtLoadToo(Vertx vertx) {
    RedisRetainedStore first = open(vertx, RedisTesting.URL, 10);
    for (int i = 0; i < 10; i++) {
      int n = i;
      redis.on(() -> first.put(retained("t/" + n, "v" + n)));
    }
    assertFalse(redis.on(() -> first.put(retained("t/new", "refused"))), "full");
    awaitUntil("all written", () -> redis.hget(key(), "t/9") != null);
    RedisRetainedStore second = open(vertx, RedisTesting.URL, 4);
    assertEquals(4, second.size());
  }

  @Test
  void whileRedisIsAwayItServesFromMemoryAndCatchesUpAfter(Vertx vertx) {
    TcpProxy proxy = await(TcpProxy.start(vertx, "127.0.0.1", 6379));
    String url = "redis://127.0.0.1:" + proxy.port();
    RedisRetainedStore store = open(vertx, url, 100);
    MqttRedis link = links.get(0);
    redis.on(() -> store.put(retained("a/1", "before")));
    awaitUntil("written", () -> "before".equals(payloadInRedis("a/1")));

    await(proxy.pause());
    awaitUntil("the link noticed", () -> !link.isUp());
    assertTrue(redis.on(() -> store.put(retained("a/1", "during"))));
    assertTrue(redis.on(() -> store.put(retained("a/2", "new"))));
    assertEquals(Set.of("a/1=during", "a/2=new"), payloads(store, "a/+"), "memory serves");
    assertTrue(link.failures() > 0, "the failed writes are counted");
    assertEquals("before", payloadInRedis("a/1"));

    await(proxy.resume());
    awaitUntil("the missed writes reached Redis", () -> "during".equals(payloadInRedis("a/1"))
      && "new".equals(payloadInRedis("a/2")));
  }

  @Test
  void whenRedisIsAwayAtStartItLoadsOnceBackUnderTheNewerMessages(Vertx vertx) {
    RedisRetainedStore writer = open(vertx, RedisTesting.URL, 100);
    redis.on(() -> writer.put(retained("b/kept", "stored")));
    redis.on(() -> writer.put(retained("b/changed", "old")));
    awaitUntil("written", () -> redis.hget(key(), "b/changed") != null);

    TcpProxy proxy = await(TcpProxy.start(vertx, "127.0.0.1", 6379));
    await(proxy.pause());
    RedisRetainedStore store = open(vertx, "redis://127.0.0.1:" + proxy.port(), 100);
    assertEquals(0, store.size(), "started empty, without failing");
    redis.on(() -> store.put(retained("b/changed", "newer")));

    await(proxy.resume());
    awaitUntil("loaded once back", () -> store.size() == 2);
    assertEquals(Set.of("b/kept=stored", "b/changed=newer"), payloads(store, "b/#"));
    awaitUntil("the newer message reached Redis", () -> "newer".equals(payloadInRedis("b/changed")));
  }

  private String payloadInRedis(String topic) {
    String json = redis.hget(key(), topic);
    if (json == null) {
      return null;
    }
    Publication p = PublicationJson.fromJson(new io.vertx.core.json.JsonObject(json));
    assertNotNull(p);
    return p.payload().toString();
  }
}
