package io.inos.nexus.redis;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.inos.nexus.redis.RedisTesting.await;
import static io.inos.nexus.redis.RedisTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence across two nodes (two Vert.x instances) sharing the machine's Redis. */
class RedisPresenceTest {

  private static final long TTL_MS = 1_000;
  private Vertx vertx1;
  private Vertx vertx2;
  private String prefix;

  @BeforeEach
  void setUp() {
    vertx1 = Vertx.vertx();
    vertx2 = Vertx.vertx();
    prefix = RedisTesting.prefix();
  }

  @AfterEach
  void tearDown() {
    RedisTesting.deleteKeys(vertx1, RedisTesting.SHARED_URL, prefix);
    await(vertx1.close());
    if (vertx2 != null) {
      await(vertx2.close());
    }
  }

  private RedisExtension node(Vertx vertx) {
    RedisExtension ext = RedisExtension.create(Nexus.create(vertx), new RedisExtensionOptions()
      .setUrl(RedisTesting.SHARED_URL).setKeyPrefix(prefix).setPresenceTtlMs(TTL_MS));
    assertTrue(await(ext.start()).isUp());
    return ext;
  }

  @Test
  void joinsAndLeavesAreSeenAndADeadNodesEntriesExpireWithALeave() {
    RedisExtension node1 = node(vertx1);
    RedisExtension node2 = node(vertx2);
    List<Event> campaignEvents = new CopyOnWriteArrayList<>();
    await(vertx1.eventBus().<Event>consumer("campaign:k", m -> campaignEvents.add(m.body())).completion());

    assertTrue(await(node1.presence().join("k", "c1", "u1", new JsonObject().put("protocol", "sockjs"))));
    assertFalse(await(node1.presence().join("k", "c1", "u1", new JsonObject())), "already present");
    assertTrue(await(node2.presence().join("k", "c2", "u2", null)));
    List<PresenceMember> both = await(node1.presence().members("k"));
    assertEquals(List.of("c1", "c2"), both.stream().map(PresenceMember::clientId).sorted().toList());
    PresenceMember c2 = both.stream().filter(m -> m.clientId().equals("c2")).findFirst().orElseThrow();
    assertEquals(node2.nodeId(), c2.nodeId());
    assertEquals("u2", c2.userId());
    // node1's own join reached its campaign address, once
    eventually(vertx1, () -> Future.succeededFuture(campaignEvents.size()), n -> n == 1);
    assertEquals(Presence.JOIN_TYPE, campaignEvents.get(0).type().toString());
    assertEquals("c1", campaignEvents.get(0).data().getString("client_id"));

    // node2 dies: its heartbeat stops, nothing says goodbye
    await(vertx2.close());
    vertx2 = null;
    Event leave = eventually(vertx1, () -> Future.succeededFuture(campaignEvents.stream()
      .filter(e -> e.type().toString().equals(Presence.LEAVE_TYPE)).findFirst().orElse(null)), e -> e != null);
    assertEquals("c2", leave.data().getString("client_id"));
    assertEquals("expired", leave.data().getString("reason"));
    // c1 joined before c2 and outlived it: node1's heartbeat keeps it
    assertEquals(List.of("c1"), await(node1.presence().members("k")).stream().map(PresenceMember::clientId).toList());

    assertTrue(await(node1.presence().leave("k", "c1")));
    assertFalse(await(node1.presence().leave("k", "c1")), "already gone");
    eventually(vertx1, () -> Future.succeededFuture(campaignEvents.stream()
      .filter(e -> e.type().toString().equals(Presence.LEAVE_TYPE)).count()), n -> n == 2);
    assertEquals("left", campaignEvents.get(campaignEvents.size() - 1).data().getString("reason"));
    assertTrue(await(node1.presence().members("k")).isEmpty());
    assertEquals(0, node1.presence().localCount());
    await(node1.close());
  }
}
