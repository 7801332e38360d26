package io.inos.adapters.http;

import io.inos.adapters.bridge.TokenIssuer;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.http.SecureHttpServer.FEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST door under a bridge's identity and inbound permissions, against a real server and a real client. */
@ExtendWith(VertxExtension.class)
class SecureRestDoorTest {

  private SecureHttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = SecureHttpServer.start(vertx);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  private HttpResponse<Buffer> post(String path, String authorization, JsonObject body) throws Exception {
    var request = client.post(server.port(), "127.0.0.1", path).putHeader("Content-Type", "application/json");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(request.sendBuffer(body.toBuffer()));
  }

  private static JsonObject createCampaign(String claimedUser) {
    return new JsonObject().put("action", "create_campaign").put("slug", "s")
      .put("metadata", new JsonObject().put("global_context", new JsonObject().put("user_id", claimedUser)));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getJsonObject("error").getString("code"), body.encode());
    String message = body.getJsonObject("error").getString("message");
    assertTrue(message.contains(messagePart), "message '" + message + "' should mention '" + messagePart + "'");
    assertNotNull(body.getString("correlation_id"));
    assertEquals(body.getString("correlation_id"), response.getHeader("X-Correlation-Id"));
  }

  @Test
  void aSignedInUserActsAsItselfWhateverTheBodyClaims() throws Exception {
    HttpResponse<Buffer> response = post("/api/campaign_ops", "Bearer " + server.token("alice"),
      createCampaign("mallory"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    Event answer = Event.fromJson(response.bodyAsJsonObject());
    // the service saw alice, and so does the outcome's metadata
    assertEquals("alice", answer.data().getString("user_id"));
    assertEquals("alice", answer.userId());
  }

  @Test
  void withoutATokenTheCallerIsAGuestActingAsItself() throws Exception {
    HttpResponse<Buffer> response = post("/api/campaign_ops", null, createCampaign("alice"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String user = Event.fromJson(response.bodyAsJsonObject()).data().getString("user_id");
    assertTrue(user.matches("guest_[0-9a-f]{32}"), user);
  }

  @Test
  void badExpiredOrNonBearerCredentialsAre401() throws Exception {
    String forged = TokenIssuer.create(server.bridge.vertx(), new TokenOptions()
      .setKey("another-key-that-is-at-least-32-characters")).issue("alice", List.of(), List.of());
    assertError(post("/api/campaign_ops", "Bearer " + forged, createCampaign("alice")), 401, "UNAUTHENTICATED",
      "invalid_token");
    assertError(post("/api/events", "Bearer " + server.expiredToken("alice"), new JsonObject().put("type", FEED)),
      401, "UNAUTHENTICATED", "expired");
    assertError(post("/api/events", "Bearer not.a.jwt", new JsonObject().put("type", FEED)), 401,
      "UNAUTHENTICATED", "invalid_token");
    assertError(post("/api/campaign_ops", "Basic YWxpY2U6c2VjcmV0", createCampaign("alice")), 401, "UNAUTHENTICATED",
      "Bearer");
  }

  @Test
  void anEventTheRulesDoNotPermitIs403() throws Exception {
    // the feed needs the editor role; alice has none, a guest neither
    assertError(post("/api/events", "Bearer " + server.token("alice"), new JsonObject().put("type", FEED)), 403,
      "PERMISSION_DENIED", "editor");
    assertError(post("/api/events", null, new JsonObject().put("type", FEED)), 403, "PERMISSION_DENIED", FEED);
    // no inbound rule at all for this service
    assertError(post("/api/billing_ops", "Bearer " + server.token("alice", "editor"),
      new JsonObject().put("action", "charge_card")), 403, "PERMISSION_DENIED", "billing:charge_card:v1:requested");
  }

  @Test
  void aPermittedPublishIsAcceptedAndCarriesTheCallersId(Vertx vertx) throws Exception {
    BlockingQueue<Event> published = new ArrayBlockingQueue<>(4);
    await(vertx.eventBus().<Event>consumer(FEED, msg -> published.add(msg.body())).completion());
    HttpResponse<Buffer> response = post("/api/events", "Bearer " + server.token("alice", "editor"),
      new JsonObject().put("type", FEED).put("metadata", new JsonObject()
        .put("global_context", new JsonObject().put("user_id", "mallory"))));
    assertEquals(202, response.statusCode(), response.bodyAsString());
    Event event = published.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "the event was not published");
    assertEquals("alice", event.userId());
    assertEquals(response.bodyAsJsonObject().getString("id"), event.id());
  }

  @Test
  void invalidInputIsStill400BeforeAnyIdentityIsChecked() throws Exception {
    assertError(post("/api/events", "Bearer " + server.token("alice"), new JsonObject().put("type", "Not A Type")),
      400, "INVALID_ARGUMENT", "type");
  }
}
