package io.inos.server;

import io.inos.nexus.Event;
import io.inos.testing.SseClient;
import io.inos.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.inos.server.InosServerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery through the assembled server with {@code INOS_REDIS_URL}: the history is in Redis, so an SSE client
 * recovers what it missed across a restart of the server, and is told {@code recovered: false} for a position the
 * history no longer holds.
 */
class InosServerRecoveryTest {

  private InosServerHarness harness;
  private String prefix;

  @BeforeEach
  void harness() {
    harness = new InosServerHarness();
    prefix = "inos-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  @AfterEach
  void close() throws Exception {
    try {
      deleteKeys();
    } finally {
      harness.close();
    }
  }

  private Map<String, String> redisSettings() {
    return Map.of("INOS_REDIS_URL", "redis://127.0.0.1:6379", "INOS_REDIS_EXTENSION", new JsonObject()
      .put("keyPrefix", prefix)
      .put("historyScopes", new JsonArray()
        .add(new JsonObject().put("pattern", "campaign:trim*").put("maxLength", 5))
        .add(new JsonObject().put("pattern", "campaign:*").put("maxLength", 1000)))
      .encode());
  }

  private static Event campaignEvent(String campaign, int n) {
    return Event.builder("content:create_content:v1:success").source("test").globalContext("campaign_id", campaign)
      .data(new JsonObject().put("n", n)).build();
  }

  @Test
  void anSseClientRecoversAcrossARestartOfTheServer() throws Exception {
    String campaign = "restart" + UUID.randomUUID().toString().substring(0, 8);
    String address = "campaign:" + campaign;
    InosServer first = harness.start(TestDatabases.PORT, redisSettings());
    SseClient stream = await(SseClient.open(harness.vertx, first.httpPort(), address, null));
    assertEquals("open", stream.next().event());
    Event seen = campaignEvent(campaign, 0);
    first.nexus().publish(seen);
    assertEquals(seen.id(), stream.next().id());
    List<Event> missed = new ArrayList<>();
    Event beforeStop = campaignEvent(campaign, 1);
    first.nexus().publish(beforeStop);
    missed.add(beforeStop);
    await(first.stop());

    InosServer second = harness.start(TestDatabases.PORT, redisSettings());
    for (int i = 2; i <= 3; i++) {
      Event e = campaignEvent(campaign, i);
      second.nexus().publish(e);
      missed.add(e);
    }
    SseClient again = await(SseClient.open(harness.vertx, second.httpPort(), address, seen.id()));
    assertEquals("open", again.next().event());
    SseClient.Frame recovery = again.next();
    assertEquals("recovery", recovery.event());
    JsonObject data = new JsonObject(recovery.data());
    assertTrue(data.getBoolean("recovered"), recovery.data());
    assertEquals(missed.size(), data.getInteger("count"));
    for (Event e : missed) {
      SseClient.Frame frame = again.next();
      assertEquals(address, frame.event());
      assertEquals(e.id(), frame.id(), "the missed events in order: the first server's, then the second's");
    }
    Event live = campaignEvent(campaign, 4);
    second.nexus().publish(live);
    assertEquals(live.id(), again.next().id());
  }

  @Test
  void aTrimmedPositionIsToldRecoveredFalse() throws Exception {
    String campaign = "trim" + UUID.randomUUID().toString().substring(0, 8);
    String address = "campaign:" + campaign;
    InosServer server = harness.start(TestDatabases.PORT, redisSettings());
    Event old = campaignEvent(campaign, 0);
    server.nexus().publish(old);
    // 5 kept; Redis trims whole stream nodes of 100 entries, so 300 more push the first one out
    for (int i = 1; i <= 300; i++) {
      server.nexus().publish(campaignEvent(campaign, i));
    }
    await(server.redis().history().settled());
    assertFalse(await(server.redis().history().recoverAfterEvent(address, old.id())).recovered());
    SseClient stream = await(SseClient.open(harness.vertx, server.httpPort(), address, old.id()));
    assertEquals("open", stream.next().event());
    SseClient.Frame recovery = stream.next();
    assertEquals("recovery", recovery.event());
    assertFalse(new JsonObject(recovery.data()).getBoolean("recovered"), recovery.data());
    Event live = campaignEvent(campaign, 301);
    server.nexus().publish(live);
    assertEquals(live.id(), stream.next().id());
  }

  private void deleteKeys() {
    Redis client = Redis.createClient(harness.vertx, "redis://127.0.0.1:6379");
    try {
      String cursor = "0";
      do {
        Response r = await(client.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
          .arg("COUNT").arg(1000)));
        cursor = r.get(0).toString();
        for (Response key : r.get(1)) {
          await(client.send(Request.cmd(Command.DEL).arg(key.toString())));
        }
      } while (!cursor.equals("0"));
    } finally {
      client.close();
    }
  }
}
