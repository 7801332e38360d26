package io.inos.server;

import io.inos.testing.FreePorts;
import io.inos.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Redis extension in the assembled server: {@code /ready} reports it, and a node whose Redis is away still
 * serves ({@code DEGRADED}, 200) from its local bus.
 */
class InosServerRedisTest {

  private InosServerHarness harness;

  @BeforeEach
  void harness() {
    harness = new InosServerHarness();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private JsonObject redisCheck(JsonObject ready) {
    return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(c -> "redis".equals(c.getString("name"))).findFirst().orElseThrow();
  }

  @Test
  void readyReportsRedisUp() {
    InosServer server = harness.start(TestDatabases.PORT, Map.of("INOS_REDIS_URL", "redis://127.0.0.1:6379",
      "INOS_REDIS_EXTENSION", new JsonObject().put("keyPrefix", "inos-test-" + UUID.randomUUID() + ":").encode()));
    awaitUntil("ready and Redis up", () -> {
      var ready = harness.get(server, "/ready");
      return ready.statusCode() == 200 && "UP".equals(ready.bodyAsJsonObject().getString("status"));
    });
    assertEquals("UP", redisCheck(harness.get(server, "/ready").bodyAsJsonObject()).getString("status"));
  }

  @Test
  void withoutItsRedisTheNodeServesDegraded() {
    int closedPort = FreePorts.belowEphemeralRange();
    InosServer server = harness.start(TestDatabases.PORT, Map.of("INOS_REDIS_URL", "redis://127.0.0.1:" + closedPort));
    awaitUntil("PostgreSQL up, Redis down", () -> {
      var ready = harness.get(server, "/ready");
      return ready.statusCode() == 200 && "DEGRADED".equals(ready.bodyAsJsonObject().getString("status"));
    });
    JsonObject redis = redisCheck(harness.get(server, "/ready").bodyAsJsonObject());
    assertEquals("DOWN", redis.getString("status"));
    assertEquals(false, redis.getBoolean("critical"));
    // and it serves
    var created = InosServerHarness.await(harness.postOps(server, "campaign",
      InosServerHarness.createCampaignBody(InosServerHarness.newSlug("degraded"), InosServerHarness.newCorrelationId())));
    assertEquals(200, created.statusCode(), created.bodyAsString());
  }
}
