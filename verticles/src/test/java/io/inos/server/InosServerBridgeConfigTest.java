package io.inos.server;

import io.inos.adapters.bridge.TokenIssuer;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.nexus.Event;
import io.inos.testing.TestDatabases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The bridge of the assembled server as the configuration sets it: the JWT key, rules from a watched file reloaded
 * without a restart, CORS origins, and the development login — through real HTTP clients.
 */
class InosServerBridgeConfigTest {

  private static final String KEY = "a-configured-key-of-at-least-32-characters";
  private static final String FEED = "feed:post_news:v1:requested";

  private InosServerHarness harness;

  @TempDir
  Path dir;

  @BeforeEach
  void harness() {
    harness = new InosServerHarness();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private HttpResponse<Buffer> postEvent(InosServer server, String type, String bearer) {
    var request = harness.web.post(server.httpPort(), "127.0.0.1", "/api/events");
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return await(request.sendJsonObject(new JsonObject().put("type", type)
      .put("payload", new JsonObject().put("data", new JsonObject().put("title", "hello")))));
  }

  private static String rules(String... inboundRegexes) {
    JsonArray inbound = new JsonArray();
    for (String regex : inboundRegexes) {
      inbound.add(new JsonObject().put("addressRegex", regex));
    }
    return new JsonObject().put("inboundPermitteds", inbound).encode();
  }

  /** Replaces the file in one step, so the watcher never reads half of it. */
  private void writeRules(Path file, String json) throws IOException {
    Path next = dir.resolve("rules.next");
    Files.writeString(next, json);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void tokensSignedWithTheConfiguredKeyAreAcceptedAndOthersRefused() {
    InosServer server = harness.start(TestDatabases.PORT, Map.of("INOS_JWT_KEY", KEY,
      "INOS_BRIDGE_RULES", rules("campaign:[a-z_]+:v1:requested")));
    harness.awaitReady(server);
    String good = TokenIssuer.create(harness.vertx, new TokenOptions().setKey(KEY)).issue("alice", List.of(), List.of());
    String forged = TokenIssuer.create(harness.vertx, new TokenOptions().setKey(KEY.toUpperCase()))
      .issue("alice", List.of(), List.of());

    var signedIn = await(harness.web.post(server.httpPort(), "127.0.0.1", "/api/campaign_ops")
      .putHeader("Authorization", "Bearer " + good)
      .sendJsonObject(InosServerHarness.createCampaignBody(InosServerHarness.newSlug("jwt"),
        InosServerHarness.newCorrelationId())));
    assertEquals(200, signedIn.statusCode(), signedIn.bodyAsString());
    assertEquals("alice", Event.fromJson(signedIn.bodyAsJsonObject()).userId());

    var refused = await(harness.web.post(server.httpPort(), "127.0.0.1", "/api/campaign_ops")
      .putHeader("Authorization", "Bearer " + forged)
      .sendJsonObject(new JsonObject().put("action", "list_campaigns")));
    assertEquals(401, refused.statusCode(), refused.bodyAsString());
    assertEquals("UNAUTHENTICATED", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    // the configured key closes the development login
    assertEquals(404, await(harness.web.post(server.httpPort(), "127.0.0.1", DevLogin.PATH)
      .sendJsonObject(new JsonObject().put("user_id", "alice"))).statusCode());
  }

  @Test
  void rulesFromAFileAreReloadedWhenItChanges() throws IOException {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, rules("campaign:[a-z_]+:v1:requested"));
    InosServer server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", file.toString()));
    harness.awaitReady(server);
    assertEquals(403, postEvent(server, FEED, null).statusCode(), "not permitted by the first rules");

    writeRules(file, rules("campaign:[a-z_]+:v1:requested", "feed:[a-z_]+:v1:requested"));
    awaitUntil("the new rules permit the feed", () -> postEvent(server, FEED, null).statusCode() != 403);

    // a broken file keeps the rules in force; the next good one is taken
    writeRules(file, "{\"inboundPermitteds\": [");
    writeRules(file, rules("campaign:[a-z_]+:v1:requested"));
    awaitUntil("the feed is refused again", () -> postEvent(server, FEED, null).statusCode() == 403);
  }

  @Test
  void developmentLoginIssuesTokensTheBridgeAccepts() {
    InosServer server = harness.start(TestDatabases.PORT, Map.of(
      "INOS_HTTP_CORS_ALLOWED_ORIGINS", "http://app.example"));
    harness.awaitReady(server);
    var login = await(harness.web.post(server.httpPort(), "127.0.0.1", DevLogin.PATH)
      .sendJsonObject(new JsonObject().put("user_id", "bob")));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    String token = login.bodyAsJsonObject().getString("token");
    assertNotNull(token);
    var asBob = await(harness.web.post(server.httpPort(), "127.0.0.1", "/api/campaign_ops")
      .putHeader("Authorization", "Bearer " + token)
      .sendJsonObject(InosServerHarness.createCampaignBody(InosServerHarness.newSlug("dev"),
        InosServerHarness.newCorrelationId())));
    assertEquals(200, asBob.statusCode(), asBob.bodyAsString());
    assertEquals("bob", Event.fromJson(asBob.bodyAsJsonObject()).userId());

    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("user_id", "a b"),
      new JsonObject().put("user_id", "guest_0123456789abcdef0123456789abcdef"))) {
      var refused = await(harness.web.post(server.httpPort(), "127.0.0.1", DevLogin.PATH).sendJsonObject(bad));
      assertEquals(400, refused.statusCode(), bad.encode());
      assertEquals("INVALID_ARGUMENT", refused.bodyAsJsonObject().getString("code"));
    }

    var preflight = await(harness.web.request(io.vertx.core.http.HttpMethod.OPTIONS, server.httpPort(), "127.0.0.1",
        "/api/events")
      .putHeader("Origin", "http://app.example").putHeader("Access-Control-Request-Method", "POST").send());
    assertEquals("http://app.example", preflight.getHeader("Access-Control-Allow-Origin"));
    var stranger = await(harness.web.request(io.vertx.core.http.HttpMethod.OPTIONS, server.httpPort(), "127.0.0.1",
        "/api/events")
      .putHeader("Origin", "http://evil.example").putHeader("Access-Control-Request-Method", "POST").send());
    assertEquals(null, stranger.getHeader("Access-Control-Allow-Origin"));
  }
}
