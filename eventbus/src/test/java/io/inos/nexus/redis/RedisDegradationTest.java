package io.inos.nexus.redis;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtensionOptions.HistoryScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.inos.nexus.redis.RedisTesting.await;
import static io.inos.nexus.redis.RedisTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis goes away and comes back: a private redis-server of this test is killed and started again. */
class RedisDegradationTest {

  private Vertx vertx;
  private RedisTesting.PrivateRedis server;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    server = new RedisTesting.PrivateRedis().start();
  }

  @AfterEach
  void tearDown() {
    server.close();
    await(vertx.close());
  }

  @Test
  void theLocalFlowGoesOnWhileRedisIsDownAndTheExtensionResumesWhenItIsBack() {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Nexus nexus = Nexus.create(vertx);
    RedisExtension redis = RedisExtension.create(nexus, new RedisExtensionOptions().setUrl(server.url())
      .setKeyPrefix("t:").addHistoryScope(HistoryScope.ofLength("campaign:*", 1000)).setAppendBufferLimit(5)
      .setClusterId("here").setRelayTypes(List.of("content:*")).setRelayToOriginal(false)
      .setReconnectInitialDelayMs(20).setReconnectMaxDelayMs(200).setHealthCheckIntervalMs(50), metrics);
    List<ExtensionState> changes = new CopyOnWriteArrayList<>();
    redis.onStateChange(changes::add);
    assertTrue(await(redis.start()).isUp());
    assertEquals(1.0, metrics.get("inos.redis.up").gauge().value());
    List<Event> local = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<Event>consumer("campaign:d", m -> local.add(m.body())).completion());

    server.stop();
    ExtensionState down = eventually(vertx, () -> Future.succeededFuture(redis.state()), s -> !s.isUp());
    assertTrue(down.reason() != null && !down.reason().isEmpty(), "DOWN says why");
    assertEquals("DOWN", down.toJson().getString("status"));
    assertEquals(0.0, metrics.get("inos.redis.up").gauge().value());

    // the local flow goes on: 8 events delivered locally, 5 appends wait, 3 are dropped and counted
    List<Event> published = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Event e = Event.builder("content:create_content:v1:success").globalContext("campaign_id", "d")
        .data(new JsonObject().put("n", i)).build();
      published.add(e);
      nexus.publish(e);
    }
    eventually(vertx, () -> Future.succeededFuture(local.size()), n -> n == 8);
    assertEquals(5, redis.history().pendingCount());
    assertEquals(3, redis.history().droppedCount());
    assertEquals(3.0, metrics.get("inos.redis.history.appends").tag("result", "dropped").counter().count());
    assertTrue(redis.relay().droppedWhileDown() >= 8, "the relay is paused");
    Throwable refused = assertThrows(Throwable.class, () -> await(redis.history().recover("campaign:d", null)));
    assertInstanceOf(RedisUnavailableException.class, refused);
    assertFalse(await(redis.rateLimiter().tryAcquire("c")).shared(), "limits are local meanwhile");

    server.start();
    eventually(vertx, () -> Future.succeededFuture(redis.state()), ExtensionState::isUp);
    eventually(vertx, () -> Future.succeededFuture(redis.history().pendingCount()), n -> n == 0);
    assertEquals(1.0, metrics.get("inos.redis.up").gauge().value());
    assertEquals(List.of(ExtensionState.Status.UP, ExtensionState.Status.DOWN, ExtensionState.Status.UP),
      changes.stream().map(ExtensionState::status).toList());

    // the buffered appends are in history, in order, and the loss after them is marked
    HistoryPosition now = await(redis.history().position("campaign:d"));
    Recovery fromStart = await(redis.history().recover("campaign:d", new HistoryPosition("0-0", now.epoch())));
    assertFalse(fromStart.recovered(), "events were lost while Redis was down: the client must be told");
    Recovery afterFirst = await(redis.history().recoverAfterEvent("campaign:d", published.get(0).id()));
    assertFalse(afterFirst.recovered(), "the gap lies after the buffered events");
    // a client that saw the last buffered event before the gap still cannot recover: the gap follows it
    assertFalse(await(redis.history().recoverAfterEvent("campaign:d", published.get(4).id())).recovered());
    // history after the gap works as before
    Event after = Event.builder("content:create_content:v1:success").globalContext("campaign_id", "d").build();
    HistoryPosition gapEnd = await(redis.history().position("campaign:d"));
    nexus.publish(after);
    Recovery resumed = eventually(vertx, () -> redis.history().recover("campaign:d", gapEnd),
      r -> r.events().size() == 1);
    assertTrue(resumed.recovered());
    assertEquals(after.id(), resumed.events().get(0).event().id());
    assertTrue(await(redis.rateLimiter().tryAcquire("c")).shared());

    // the relay subscribed again by itself: another cluster's event is taken in
    Redis raw = Redis.createClient(vertx, server.url());
    eventually(vertx, () -> raw.send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg("t:relay")),
      r -> r.get(1).toLong() == 1);
    List<Event> relayed = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<Event>consumer("content:create_content:v1:success", m -> relayed.add(m.body()))
      .completion());
    String corr = UUID.randomUUID().toString();
    JsonObject fromElsewhere = Event.builder("content:create_content:v1:success").correlationId(corr).build().toJson();
    fromElsewhere.getJsonObject("metadata").put("relay_origin", "elsewhere");
    await(raw.send(Request.cmd(Command.PUBLISH).arg("t:relay").arg(fromElsewhere.encode())));
    eventually(vertx, () -> Future.succeededFuture(relayed.stream().anyMatch(e -> corr.equals(e.correlationId()))),
      b -> b);
    raw.close();
    await(redis.close());
  }

  @Test
  void anExtensionStartedWithoutRedisComesUpWhenRedisDoes() {
    server.stop();
    Nexus nexus = Nexus.create(vertx);
    RedisExtension redis = RedisExtension.create(nexus, new RedisExtensionOptions().setUrl(server.url())
      .setKeyPrefix("t:").addHistoryScope(HistoryScope.ofLength("campaign:*", 100))
      .setReconnectInitialDelayMs(20).setReconnectMaxDelayMs(100));
    ExtensionState state = await(redis.start());
    assertFalse(state.isUp(), "start does not fail: it reports DOWN");
    Event e = Event.builder("content:create_content:v1:success").globalContext("campaign_id", "s").build();
    nexus.publish(e);
    server.start();
    eventually(vertx, () -> Future.succeededFuture(redis.history().pendingCount()), n -> n == 0);
    Recovery r = await(redis.history().recoverAfterEvent("campaign:s", e.id()));
    assertTrue(r.recovered(), "the event published while down was appended once Redis came");
    await(redis.close());
  }
}
