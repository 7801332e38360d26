package io.inos.nexus.redis;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.inos.nexus.redis.RedisTesting.await;
import static io.inos.nexus.redis.RedisTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay against the machine's Redis, with a plain Redis client standing in for an original INOS service on the
 * real original channels. Other tests may use those channels too, so each test only counts its own correlation ids.
 */
class RedisRelayTest {

  private Vertx vertx;
  private Redis raw;
  private String prefix;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    raw = Redis.createClient(vertx, RedisTesting.SHARED_URL);
    prefix = RedisTesting.prefix();
  }

  @AfterEach
  void tearDown() {
    raw.close();
    RedisTesting.deleteKeys(vertx, RedisTesting.SHARED_URL, prefix);
    await(vertx.close());
  }

  private RedisExtension cluster(Nexus nexus, String clusterId, boolean fromOriginal) {
    RedisExtension ext = RedisExtension.create(nexus, new RedisExtensionOptions().setUrl(RedisTesting.SHARED_URL)
      .setKeyPrefix(prefix).setClusterId(clusterId).setRelayTypes(List.of("content:*"))
      .setRelayFromOriginal(fromOriginal));
    assertTrue(await(ext.start()).isUp());
    return ext;
  }

  /** The original's envelope: no id, snake_case, published on the per-action channel and on nexus:events. */
  private static JsonObject originalEnvelope(String correlationId) {
    return new JsonObject().put("type", "content:create_content:v1:success").put("correlation_id", correlationId)
      .put("timestamp", "2026-01-05T10:00:00+01:00").put("version", "1.0.0").put("environment", "development")
      .put("source", "backend").put("metadata", new JsonObject().put("global_context", new JsonObject()
        .put("user_id", "u1").put("campaign_id", "0").put("correlation_id", correlationId)))
      .put("payload", new JsonObject().put("data", new JsonObject().put("title", "from the original")));
  }

  private void publishRaw(String channel, JsonObject json) {
    await(raw.send(Request.cmd(Command.PUBLISH).arg(channel).arg(json.encode())));
  }

  @Test
  void anOriginalServicesEventIsTakenInOnce() {
    Nexus nexus = Nexus.create(vertx);
    RedisExtension ext = cluster(nexus, "inos-" + UUID.randomUUID(), true);
    Map<String, List<Event>> received = new ConcurrentHashMap<>();
    await(vertx.eventBus().<Event>consumer("content:create_content:v1:success", m -> received
      .computeIfAbsent(m.body().correlationId(), k -> new CopyOnWriteArrayList<>()).add(m.body())).completion());
    String corr = "orig-" + UUID.randomUUID();
    JsonObject envelope = originalEnvelope(corr);
    // the original publishes on both of its channels
    publishRaw("nexus:events:content:create_content", envelope);
    publishRaw("nexus:events", envelope);
    // then a later event: once it is here, any duplicate of the first would have come before it (one connection)
    String sentinel = "sentinel-" + UUID.randomUUID();
    publishRaw("nexus:events:content:create_content", originalEnvelope(sentinel));
    eventually(vertx, () -> io.vertx.core.Future.succeededFuture(received.containsKey(sentinel)), b -> b);
    assertEquals(1, received.get(corr).size(), "taken in once");
    Event in = received.get(corr).get(0);
    assertEquals("u1", in.userId());
    assertEquals("from the original", in.data().getString("title"));
    assertTrue(ext.relay().duplicatesDropped() >= 1, "the copy on nexus:events was dropped");
    await(ext.close());
  }

  @Test
  void inosEventsAppearOnTheOriginalChannelsInTheOriginalsJson() {
    Nexus nexus = Nexus.create(vertx);
    RedisExtension ext = cluster(nexus, "inos-" + UUID.randomUUID(), false);
    Map<String, List<JsonObject>> byChannel = new ConcurrentHashMap<>();
    RedisConnection sub = await(raw.connect());
    sub.handler(r -> {
      if (r.size() >= 3 && "message".equals(r.get(0).toString())) {
        byChannel.computeIfAbsent(r.get(1).toString(), k -> new CopyOnWriteArrayList<>())
          .add(new JsonObject(r.get(2).toBuffer()));
      }
    });
    await(sub.send(Request.cmd(Command.SUBSCRIBE).arg("nexus:events").arg("nexus:events:content:create_content")));
    String corr = "inos-" + UUID.randomUUID();
    Event e = Event.builder("content:create_content:v1:success").correlationId(corr).globalContext("user_id", "u2")
      .globalContext("campaign_id", "0").data(new JsonObject().put("title", "t")).build();
    nexus.publish(e);
    nexus.publish(Event.builder("user:get_user:v1:success").build()); // not selected: stays local
    eventually(vertx, () -> io.vertx.core.Future.succeededFuture(mine(byChannel, corr)), n -> n == 2);
    for (String channel : List.of("nexus:events", "nexus:events:content:create_content")) {
      JsonObject json = byChannel.get(channel).stream().filter(j -> corr.equals(j.getString("correlation_id")))
        .findFirst().orElseThrow();
      assertEquals("content:create_content:v1:success", json.getString("type"));
      assertEquals(e.id(), json.getString("id"));
      assertEquals("u2", json.getJsonObject("metadata").getJsonObject("global_context").getString("user_id"));
      assertEquals(ext.options().getClusterId(), json.getJsonObject("metadata").getString("relay_origin"));
      assertEquals("t", json.getJsonObject("payload").getJsonObject("data").getString("title"));
      assertEquals("1.0.0", json.getString("version"));
    }
    assertTrue(byChannel.getOrDefault("nexus:events", List.of()).stream()
      .noneMatch(j -> "user:get_user:v1:success".equals(j.getString("type"))
        && ext.options().getClusterId().equals(j.getJsonObject("metadata").getString("relay_origin"))));
    sub.close();
    await(ext.close());
  }

  private static int mine(Map<String, List<JsonObject>> byChannel, String corr) {
    return (int) byChannel.values().stream().flatMap(List::stream)
      .filter(j -> corr.equals(j.getString("correlation_id"))).count();
  }

  @Test
  void twoClustersExchangeEventsOnceAndNeverLoop() {
    Vertx other = Vertx.vertx();
    try {
      Nexus a = Nexus.create(vertx);
      Nexus b = Nexus.create(other);
      RedisExtension extA = cluster(a, "A-" + UUID.randomUUID(), false);
      RedisExtension extB = cluster(b, "B-" + UUID.randomUUID(), false);
      List<Event> onA = new CopyOnWriteArrayList<>();
      List<Event> onB = new CopyOnWriteArrayList<>();
      await(vertx.eventBus().<Event>consumer("content:create_content:v1:success", m -> onA.add(m.body()))
        .completion());
      await(other.eventBus().<Event>consumer("content:create_content:v1:success", m -> onB.add(m.body()))
        .completion());
      Event first = Event.builder("content:create_content:v1:success").build();
      a.publish(first);
      eventually(vertx, () -> io.vertx.core.Future.succeededFuture(onB.size()), n -> n == 1);
      assertEquals(first.id(), onB.get(0).id());
      // B took it in: it must not send it back to A. A later event from B proves A has seen all B sent before it.
      Event fromB = Event.builder("content:create_content:v1:success").build();
      b.publish(fromB);
      eventually(vertx, () -> io.vertx.core.Future.succeededFuture(onA.size()), n -> n == 2);
      assertEquals(List.of(first.id(), fromB.id()), onA.stream().map(Event::id).toList(),
        "A has its own event once (no echo from B) and B's once");
      assertEquals(2, onB.size());
      assertEquals(1, extA.relay().takenIn());
      assertEquals(1, extB.relay().takenIn());
      await(extA.close());
      await(extB.close());
    } finally {
      await(other.close());
    }
  }
}
