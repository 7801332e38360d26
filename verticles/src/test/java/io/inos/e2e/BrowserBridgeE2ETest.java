package io.inos.e2e;

import io.inos.graceful.Code;
import io.inos.nexus.Event;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.inos.e2e.InosUnderTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's browser acceptance: Debian's Chromium, headless, driven by playwright-core, loads a page that uses the
 * unmodified {@code @vertx/eventbus-bridge-client.js} over {@code sockjs-client}, against a whole {@link
 * io.inos.server.InosServer} with its PostgreSQL database. The page
 * <ol>
 *   <li>logs in ({@code POST /api/auth/dev-login}, the development login of a node on the generated key) and opens
 *   the event bus at {@code /eventbus} with the bearer token in every frame's headers;</li>
 *   <li>registers {@code user:{user}} and sends {@code campaign:create_campaign:v1:requested} with a reply handler:
 *   the reply is the {@code :success} event with the same correlation id, and the {@code :started} event arrives at
 *   its user address;</li>
 *   <li>registers the new campaign's address {@code campaign:{id}} and receives a feed event that this test
 *   publishes on the Nexus;</li>
 *   <li>is refused an address it may not receive from ({@code user:} of another guest: an {@code err} frame) and one it
 *   may not send to (the reply handler gets PERMISSION_DENIED), and then sends {@code get_campaign} on the same,
 *   still open, connection and gets its reply.</li>
 * </ol>
 * Then the database must hold the campaign, owned by the signed-in user, and the ledger the lifecycles of both requests and
 * nothing of the refused one. The screenshot is {@code e2e/target/bridge-page.png}.
 *
 * <p>Needs {@code e2e/setup.sh} to have run (Chromium and the npm packages): without them the test fails and says so.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserBridgeE2ETest {

  /** The feed event this test publishes at the campaign's address: not a lifecycle, a plain announcement. */
  private static final String FEED_TYPE = "campaign:announce:v1:completed";
  private static final Duration SCRIPT_STEP = Duration.ofSeconds(90);

  @Test
  void aPageWithTheStockClientRequestsSubscribesReceivesAndIsRefusedWithoutLosingItsSocket() throws Exception {
    BrowserTooling tooling = BrowserTooling.require();
    Path screenshot = tooling.targetDir().resolve("bridge-page.png");
    Files.deleteIfExists(screenshot);
    String slug = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    String createCorrelationId = "corr-create-" + UUID.randomUUID();
    String getCorrelationId = "corr-get-" + UUID.randomUUID();
    String feedCorrelationId = "corr-feed-" + UUID.randomUUID();
    String forbiddenCorrelationId = "corr-forbidden-" + UUID.randomUUID();

    // the page and its scripts are served by INOS itself, on the port of /eventbus: one origin, as in production
    try (InosUnderTest inos = new InosUnderTest().start(router ->
      PageServer.mount(router, PageServer.MOUNT, tooling.e2eDir()))) {
      // the login step: the page signs in as this user through INOS's development login, then carries the token
      String user = "alice-" + UUID.randomUUID().toString().substring(0, 8);
      List<String> args = new ArrayList<>(List.of(
        "--page", inos.baseUrl() + PageServer.MOUNT + "index.html",
        "--bus", inos.baseUrl() + "/eventbus",
        "--slug", slug,
        "--create-correlation-id", createCorrelationId,
        "--get-correlation-id", getCorrelationId,
        "--feed-type", FEED_TYPE,
        "--feed-correlation-id", feedCorrelationId,
        "--forbidden-correlation-id", forbiddenCorrelationId,
        "--screenshot", screenshot.toString()));
      args.addAll(List.of("--login", user));

      JsonObject result;
      try (BrowserScript script = BrowserScript.start(tooling, args)) {
        // the page listens at its campaign's address: the feed comes from another client, here the Nexus itself
        JsonObject subscribed = script.awaitEvent("subscribed", SCRIPT_STEP);
        String feedAddress = subscribed.getString("address");
        assertTrue(feedAddress.startsWith("campaign:"), feedAddress);
        Event feed = Event.builder(FEED_TYPE)
          .correlationId(feedCorrelationId)
          .source("e2e-test")
          .globalContext("campaign_id", feedAddress.substring("campaign:".length()))
          .data(new JsonObject().put("headline", "hello, browser").put("sequence", 1))
          .build();
        inos.server().nexus().publish(feed);

        result = script.awaitEvent("result", SCRIPT_STEP);
        script.awaitSuccessfulExit(SCRIPT_STEP);
        assertFeed(result, feed);
      }

      assertIdentity(result, user);
      String campaignId = assertCreated(result, slug, createCorrelationId, user);
      assertRefusedButStillOpen(result, slug, getCorrelationId, user);
      assertEquals("campaign:" + campaignId, result.getJsonObject("feed").getString("address"));
      assertEquals(List.of(), result.getJsonArray("consoleErrors").getList(), "errors in the page's console");
      assertTrue(Files.size(screenshot) > 0, "the screenshot " + screenshot);

      // what the server did with it: the campaign is stored, owned by the guest, and the ledger holds exactly the
      // lifecycles of the two requests the bridge let through
      List<Row> rows = inos.campaignRows(slug);
      assertEquals(1, rows.size(), "one campaign row for " + slug);
      assertEquals(campaignId, String.valueOf(rows.get(0).getLong("id")));
      assertEquals(user, rows.get(0).getString("owner_id"), "the signed-in user is the campaign's owner");
      assertEquals(lifecycle("create_campaign"), inos.awaitLedger(createCorrelationId, 3));
      assertEquals(lifecycle("get_campaign"), inos.awaitLedger(getCorrelationId, 3));
      assertEquals(List.of(), inos.ledgerOf(forbiddenCorrelationId), "the refused send reached the Nexus");
    }
  }

  /** The page signed in: the bridge acts for the user, not for the guest id the page proposed. */
  private static void assertIdentity(JsonObject result, String user) {
    assertTrue(result.getBoolean("loginEnabled"), "the page's login step");
    assertEquals(user, result.getString("userId"));
    assertTrue(result.getString("guestId").matches("guest_[0-9a-f]{32}"), result.getString("guestId"));
    assertEquals("websocket", result.getString("transport"), "SockJS's transport in Chromium");
    assertEquals("user:" + user, result.getString("userAddress"));
  }

  /** The reply is the :success event of the same correlation, and :started arrived at the user's address. */
  private static String assertCreated(JsonObject result, String slug, String correlationId, String user) {
    JsonObject create = result.getJsonObject("create");
    assertEquals("OK", create.getJsonObject("headers").getString("inos-outcome"), create.encode());
    assertEquals(user, create.getJsonObject("headers").getString("inos-user-id"));
    assertNull(create.getJsonObject("headers").getString("inos-guest-id"), "a signed-in user is no guest");
    JsonObject success = create.getJsonObject("body");
    assertEquals("campaign:create_campaign:v1:success", success.getString("type"));
    assertEquals(correlationId, success.getString("correlation_id"));
    JsonObject campaign = success.getJsonObject("payload").getJsonObject("data").getJsonObject("campaign");
    assertEquals(slug, campaign.getString("slug"));
    assertEquals(user, campaign.getString("owner_id"));

    JsonObject started = result.getJsonObject("started");
    assertEquals("campaign:create_campaign:v1:started", started.getString("type"));
    assertEquals(correlationId, started.getString("correlation_id"));
    assertEquals(user, started.getJsonObject("metadata").getJsonObject("global_context").getString("user_id"));
    return String.valueOf(campaign.getValue("id"));
  }

  /** The page received the very event published on the Nexus. */
  private static void assertFeed(JsonObject result, Event published) {
    JsonObject received = result.getJsonObject("feed").getJsonObject("body");
    assertEquals(published.id(), received.getString("id"));
    assertEquals(FEED_TYPE, received.getString("type"));
    assertEquals(published.correlationId(), received.getString("correlation_id"));
    assertEquals(published.data(), received.getJsonObject("payload").getJsonObject("data"));
  }

  /**
   * Both refusals arrived as the client library hands them to the page, and the connection was still open after
   * them: the next request got its reply.
   */
  private static void assertRefusedButStillOpen(JsonObject result, String slug, String correlationId,
                                                String user) {
    JsonObject register = result.getJsonObject("refusedRegister").getJsonObject("frame");
    assertEquals("err", register.getString("type"), register.encode());
    assertEquals("access_denied", register.getString("body"), register.encode());

    JsonObject send = result.getJsonObject("refusedSend");
    assertFalse(send.getBoolean("ok"), send.encode());
    assertEquals(Code.PERMISSION_DENIED.name(), send.getJsonObject("error").getString("failureType"), send.encode());
    assertEquals(Code.PERMISSION_DENIED.grpcStatus(), send.getJsonObject("error").getInteger("failureCode"));

    JsonObject after = result.getJsonObject("afterRefusals");
    assertTrue(after.getBoolean("ok"), after.encode());
    assertEquals("OK", after.getJsonObject("headers").getString("inos-outcome"));
    assertEquals(user, after.getJsonObject("headers").getString("inos-user-id"));
    JsonObject success = after.getJsonObject("body");
    assertEquals("campaign:get_campaign:v1:success", success.getString("type"));
    assertEquals(correlationId, success.getString("correlation_id"));
    assertEquals(slug, success.getJsonObject("payload").getJsonObject("data").getJsonObject("campaign")
      .getString("slug"));

    JsonObject connection = result.getJsonObject("connection");
    assertTrue(connection.getBoolean("open"), connection.encode());
    assertEquals(0, connection.getInteger("closes"), "the socket closed during the scenario");
  }

  private static List<String> lifecycle(String action) {
    String prefix = "campaign:" + action + ":v1:";
    return List.of(prefix + "requested/requested", prefix + "started/started", prefix + "success/success");
  }
}
