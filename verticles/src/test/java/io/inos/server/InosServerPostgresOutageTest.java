package io.inos.server;

import io.inos.testing.TcpProxy;
import io.inos.testing.TestDatabases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitUntil;
import static io.inos.server.InosServerHarness.createCampaignBody;
import static io.inos.server.InosServerHarness.newCorrelationId;
import static io.inos.server.InosServerHarness.newSlug;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The assembled server while PostgreSQL is away: at start-up, and in the middle of operation. The server reaches
 * PostgreSQL through a {@link TcpProxy} the test pauses (connections refused, open ones cut) and resumes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InosServerPostgresOutageTest {

  private static InosServerHarness harness;
  private TcpProxy proxy;

  @BeforeAll
  static void createHarness() {
    harness = new InosServerHarness();
  }

  @AfterAll
  static void closeHarness() {
    if (harness != null) {
      harness.close();
    }
  }

  @BeforeEach
  void startProxy() {
    proxy = await(TcpProxy.start(harness.vertx, TestDatabases.HOST, TestDatabases.PORT));
  }

  @AfterEach
  void closeProxy() {
    await(proxy.close());
  }

  @Test
  void startsWithoutPostgresqlAndServesOnceItComes() {
    await(proxy.pause());

    InosServer server = harness.start(proxy.port());

    HttpResponse<Buffer> health = harness.get(server, "/health");
    assertEquals(200, health.statusCode());
    assertEquals("UP", health.bodyAsJsonObject().getString("status"));
    awaitUntil("/ready reports PostgreSQL refusing connections", () -> {
      HttpResponse<Buffer> ready = harness.get(server, "/ready");
      JsonObject check = ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0);
      return ready.statusCode() == 503
        && "DOWN".equals(ready.bodyAsJsonObject().getString("status"))
        && "postgresql".equals(check.getString("name"))
        && "DOWN".equals(check.getString("status"))
        && check.getString("reason", "").startsWith("connection refused");
    });

    String slug = newSlug("early");
    HttpResponse<Buffer> refused = await(harness.postOps(server, "campaign", createCampaignBody(slug,
      newCorrelationId())));
    assertUnavailable(refused);

    await(proxy.resume());
    harness.awaitReady(server);
    JsonObject ready = harness.get(server, "/ready").bodyAsJsonObject();
    assertEquals("UP", ready.getString("status"));
    assertEquals("UP", ready.getJsonArray("checks").getJsonObject(0).getString("status"));

    HttpResponse<Buffer> created = await(harness.postOps(server, "campaign", createCampaignBody(slug,
      newCorrelationId())));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals(1, harness.campaignRows(slug).size());
    await(server.stop());
  }

  @Test
  void losingPostgresqlAnswersUnavailableAndWritesNothing() {
    InosServer server = harness.start(proxy.port());
    harness.awaitReady(server);
    // a first campaign, so the pool holds connections that the outage then cuts
    HttpResponse<Buffer> before = await(harness.postOps(server, "campaign", createCampaignBody(newSlug("before"),
      newCorrelationId())));
    assertEquals(200, before.statusCode(), before.bodyAsString());

    await(proxy.pause());
    String slug = newSlug("lost");
    String refusedCorrelation = newCorrelationId();
    HttpResponse<Buffer> refused = await(harness.postOps(server, "campaign", createCampaignBody(slug,
      refusedCorrelation)));
    assertUnavailable(refused);
    awaitUntil("/ready reports PostgreSQL down", () -> harness.get(server, "/ready").statusCode() == 503);

    await(proxy.resume());
    harness.awaitReady(server);
    assertEquals(0, harness.rowsNamed(slug), "no campaign or master row was written for " + slug);
    // the ledger kept what happened during the outage and wrote it once PostgreSQL came back: nothing is lost
    assertEquals(List.of("campaign:create_campaign:v1:requested/requested", "campaign:create_campaign:v1:started/started",
      "campaign:create_campaign:v1:failed/failed"), harness.awaitLedger(server, refusedCorrelation, 3));
    HttpResponse<Buffer> after = await(harness.postOps(server, "campaign", createCampaignBody(newSlug("after"),
      newCorrelationId())));
    assertEquals(200, after.statusCode(), "the server serves again once PostgreSQL is back: " + after.bodyAsString());
    await(server.stop());
  }

  /** A 503 whose body is the {@code :failed} event with code UNAVAILABLE. */
  private static void assertUnavailable(HttpResponse<Buffer> response) {
    assertEquals(503, response.statusCode(), response.bodyAsString());
    JsonObject failed = response.bodyAsJsonObject();
    assertEquals("campaign:create_campaign:v1:failed", failed.getString("type"));
    JsonObject payload = failed.getJsonObject("payload");
    assertEquals("UNAVAILABLE", payload.getString("code"));
    assertFalse(payload.getString("message", "").isBlank(), "the failure says why");
    assertEquals(failed.getString("correlation_id"), response.getHeader("X-Correlation-Id"));
  }
}
