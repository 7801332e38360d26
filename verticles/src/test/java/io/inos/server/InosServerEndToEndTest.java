package io.inos.server;

import io.inos.adapters.bridge.GuestIds;
import io.inos.proto.campaign.v1.Campaign;
import io.inos.proto.campaign.v1.CampaignServiceGrpcClient;
import io.inos.proto.campaign.v1.CreateCampaignRequest;
import io.inos.proto.campaign.v1.CreateCampaignResponse;
import io.inos.proto.common.v1.GlobalContext;
import io.inos.proto.common.v1.Metadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.createCampaignBody;
import static io.inos.server.InosServerHarness.globalContext;
import static io.inos.server.InosServerHarness.newCorrelationId;
import static io.inos.server.InosServerHarness.newSlug;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation's acceptance on the assembled server: one {@link InosServer} on a free port with a database it
 * creates itself, its operational endpoints, and a campaign created through each door (REST, the SockJS bridge,
 * gRPC on the same port), each time checked in PostgreSQL and in the ledger.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InosServerEndToEndTest {

  private static final String CREATE_REQUESTED = "campaign:create_campaign:v1:requested";
  private static final List<String> LIFECYCLE = List.of(
    "campaign:create_campaign:v1:requested/requested",
    "campaign:create_campaign:v1:started/started",
    "campaign:create_campaign:v1:success/success");

  private static InosServerHarness harness;
  private static InosServer server;

  @BeforeAll
  static void startServer() {
    harness = new InosServerHarness();
    server = harness.start();
    harness.awaitReady(server);
  }

  @AfterAll
  static void stopServer() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void healthReadinessAndMetrics() {
    HttpResponse<Buffer> health = harness.get(server, "/health");
    assertEquals(200, health.statusCode());
    assertEquals("UP", health.bodyAsJsonObject().getString("status"));

    HttpResponse<Buffer> ready = harness.get(server, "/ready");
    assertEquals(200, ready.statusCode());
    JsonObject report = ready.bodyAsJsonObject();
    assertEquals("UP", report.getString("status"));
    assertEquals(new JsonArray().add(new JsonObject().put("name", "postgresql").put("status", "UP")),
      report.getJsonArray("checks"));

    // a request, so the outcome timer has something to show
    String correlationId = newCorrelationId();
    HttpResponse<Buffer> created = await(harness.postOps(server, "campaign",
      createCampaignBody(newSlug("metrics"), correlationId)));
    assertEquals(200, created.statusCode(), created.bodyAsString());

    HttpResponse<Buffer> metrics = harness.get(server, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.getHeader("Content-Type").startsWith("text/plain"), metrics.getHeader("Content-Type"));
    String text = metrics.bodyAsString();
    for (String family : List.of(
      "jvm_memory_used_bytes", "jvm_threads_live_threads",           // the JVM
      "vertx_eventbus_handlers", "vertx_eventbus_processed_total",  // the Vert.x event bus
      "vertx_http_server_requests_total",                           // the HTTP server
      "inos_outcomes_seconds_count", "inos_ledger_queued")) {       // ours
      assertTrue(text.contains("\n" + family), "/metrics has no " + family);
    }
    assertTrue(text.contains("action=\"create_campaign\""), "the outcome timer names the action");
  }

  @Test
  void createCampaignOverRest() {
    String slug = newSlug("rest");
    String correlationId = newCorrelationId();

    HttpResponse<Buffer> response = await(harness.postOps(server, "campaign",
      createCampaignBody(slug, correlationId)));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(correlationId, response.getHeader("X-Correlation-Id"));
    JsonObject success = response.bodyAsJsonObject();
    assertEquals("campaign:create_campaign:v1:success", success.getString("type"));
    assertEquals(correlationId, success.getString("correlation_id"));
    assertEquals(slug, success.getJsonObject("payload").getJsonObject("data").getJsonObject("campaign")
      .getString("slug"));
    assertStoredWithLifecycle(slug, correlationId);
  }

  @Test
  void createCampaignOverTheSockJsBridge() throws Exception {
    String slug = newSlug("sockjs");
    String correlationId = newCorrelationId();
    String guestId = GuestIds.newGuestId();
    String replyAddress = UUID.randomUUID().toString();
    String userAddress = "user:" + guestId;

    WebSocketClient client = harness.vertx.createWebSocketClient();
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket ws = await(client.connect(server.httpPort(), "127.0.0.1", "/eventbus/websocket"));
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    try {
      JsonObject headers = new JsonObject().put("inos-guest-id", guestId);
      // frames are handled in order: the registration is in place before the request is looked at
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", userAddress)
        .put("headers", headers).encode());
      JsonObject envelope = new JsonObject()
        .put("type", CREATE_REQUESTED)
        .put("correlation_id", correlationId)
        .put("source", "frontend")
        .put("metadata", globalContext(correlationId))
        .put("payload", new JsonObject().put("data", new JsonObject().put("slug", slug).put("title", "Title")));
      ws.writeTextMessage(new JsonObject().put("type", "send").put("address", CREATE_REQUESTED)
        .put("body", envelope).put("replyAddress", replyAddress).put("headers", headers).encode());

      // the reply and the :started delivery travel different paths: either may come first
      JsonObject reply = null;
      JsonObject started = null;
      long deadline = System.nanoTime() + InosServerHarness.STEP_TIMEOUT.toNanos();
      while ((reply == null || started == null) && System.nanoTime() < deadline) {
        JsonObject frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (frame == null) {
          break;
        }
        assertTrue(!"err".equals(frame.getString("type")), "the bridge refused a frame: " + frame);
        if (replyAddress.equals(frame.getString("address"))) {
          reply = frame;
        } else if (userAddress.equals(frame.getString("address"))
          && "campaign:create_campaign:v1:started".equals(frame.getJsonObject("body").getString("type"))) {
          started = frame;
        }
      }
      assertNotNull(reply, "no reply frame");
      assertNotNull(started, "no :started event at " + userAddress);

      assertEquals("rec", reply.getString("type"));
      assertEquals("OK", reply.getJsonObject("headers").getString("inos-outcome"));
      assertEquals(guestId, reply.getJsonObject("headers").getString("inos-guest-id"));
      JsonObject success = reply.getJsonObject("body");
      assertEquals("campaign:create_campaign:v1:success", success.getString("type"));
      assertEquals(correlationId, success.getString("correlation_id"));
      JsonObject campaign = success.getJsonObject("payload").getJsonObject("data").getJsonObject("campaign");
      assertEquals(slug, campaign.getString("slug"));
      assertEquals(guestId, campaign.getString("owner_id"), "the guest is the requesting user");

      assertEquals("rec", started.getString("type"));
      assertEquals(correlationId, started.getJsonObject("body").getString("correlation_id"));
    } finally {
      await(ws.close());
      await(client.close());
    }
    assertStoredWithLifecycle(slug, correlationId);
  }

  @Test
  void createCampaignOverGrpcOnTheSamePort() {
    String slug = newSlug("grpc");
    String correlationId = newCorrelationId();
    GrpcClient grpc = GrpcClient.client(harness.vertx);
    try {
      CampaignServiceGrpcClient campaigns = CampaignServiceGrpcClient.create(grpc,
        SocketAddress.inetSocketAddress(server.httpPort(), "127.0.0.1"));

      CreateCampaignResponse response = await(campaigns.createCampaign(CreateCampaignRequest.newBuilder()
        .setCampaign(Campaign.newBuilder().setSlug(slug).setTitle("Title"))
        .setMetadata(Metadata.newBuilder().setGlobalContext(GlobalContext.newBuilder().setCorrelationId(correlationId)))
        .build()));

      assertEquals(correlationId, response.getCorrelationId());
      assertEquals(slug, response.getCampaign().getSlug());
      assertTrue(response.getCampaign().getId() > 0, "the campaign has its id");
      assertTrue(response.getCampaign().getMasterId() > 0, "the campaign has its master row");
    } finally {
      await(grpc.close());
    }
    assertStoredWithLifecycle(slug, correlationId);
  }

  /** The campaign and its master row are in PostgreSQL, and the ledger holds exactly the request's lifecycle. */
  private static void assertStoredWithLifecycle(String slug, String correlationId) {
    List<Row> rows = harness.campaignRows(slug);
    assertEquals(1, rows.size(), "one campaign row for " + slug);
    assertEquals("campaign", rows.get(0).getString("master_type"));
    assertEquals(slug, rows.get(0).getString("master_name"));

    assertEquals(LIFECYCLE, harness.awaitLedger(server, correlationId, LIFECYCLE.size()));
  }
}
