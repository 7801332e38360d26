package io.inos.adapters.http;

import io.inos.adapters.DoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST door against a real server on a free port, with the test campaign service on the Nexus. */
@ExtendWith(VertxExtension.class)
class RestDoorTest {

  private static final long BODY_LIMIT = 4096;

  private DoorsServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    // the open door (embedders' own security in front); SecureRestDoorTest covers the door under the bridge
    server = DoorsServer.start(vertx, new WebDoorsOptions().setRestSecured(false)
      .setRest(new RestDoorOptions().setBodyLimit(BODY_LIMIT).setRequestTimeoutMs(1500)));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  private HttpResponse<Buffer> post(String path, String contentType, String body) throws Exception {
    var request = client.post(server.port(), "127.0.0.1", path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> postJson(String path, JsonObject body) throws Exception {
    return post(path, "application/json", body.encode());
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
  void opsCallAnswersTheSuccessEventAndEchoesTheCorrelationId() throws Exception {
    // WHEN
    HttpResponse<Buffer> response = postJson("/api/campaign_ops", new JsonObject()
      .put("action", "create_campaign").put("slug", "ovasabi_website").put("title", "OVASABI")
      .put("metadata", new JsonObject().put("global_context", new JsonObject()
        .put("correlation_id", "corr-rest-1").put("user_id", "u-1").put("campaign_id", "0"))));
    // THEN
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("corr-rest-1", response.getHeader("X-Correlation-Id"));
    Event answer = Event.fromJson(response.bodyAsJsonObject());
    assertEquals("campaign:create_campaign:v1:success", answer.type().toString());
    assertEquals("corr-rest-1", answer.correlationId());
    assertEquals("u-1", answer.userId());
    JsonObject echo = answer.data().getJsonObject("echo");
    assertEquals(new JsonObject().put("slug", "ovasabi_website").put("title", "OVASABI"), echo);
  }

  @Test
  void opsCallWithoutCorrelationIdGetsOneAndTheHeaderIsUsedWhenGiven() throws Exception {
    HttpResponse<Buffer> generated = postJson("/api/campaign_ops", new JsonObject().put("action", "create_campaign"));
    assertEquals(200, generated.statusCode());
    String id = generated.getHeader("X-Correlation-Id");
    assertNotNull(id);
    assertEquals(id, generated.bodyAsJsonObject().getString("correlation_id"));

    HttpResponse<Buffer> fromHeader = await(client.post(server.port(), "127.0.0.1", "/api/campaign_ops")
      .putHeader("X-Correlation-Id", "corr-from-header")
      .sendJsonObject(new JsonObject().put("action", "create_campaign")));
    assertEquals("corr-from-header", fromHeader.bodyAsJsonObject().getString("correlation_id"));
  }

  @Test
  void aFailedOutcomeAnswersTheFailedEventWithItsCodesHttpStatus() throws Exception {
    HttpResponse<Buffer> response = postJson("/api/campaign_ops", new JsonObject().put("action", "fail")
      .put("slug", "taken"));
    assertEquals(409, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("campaign:fail:v1:failed", body.getString("type"));
    assertEquals("ALREADY_EXISTS", body.getJsonObject("payload").getString("code"));
    assertEquals("campaign 'taken' already exists", body.getJsonObject("payload").getString("message"));
    assertEquals(body.getString("correlation_id"), response.getHeader("X-Correlation-Id"));
  }

  @Test
  void anActionThatNeverAnswersIsADeadlineExceeded() throws Exception {
    HttpResponse<Buffer> response = postJson("/api/campaign_ops", new JsonObject().put("action", "slow"));
    assertEquals(504, response.statusCode(), response.bodyAsString());
  }

  @Test
  void badInputGetsAClearErrorAndTheRightStatus() throws Exception {
    assertError(post("/api/campaign_ops", "application/json", "{\"action\": "), 400, "INVALID_ARGUMENT",
      "malformed JSON");
    assertError(post("/api/campaign_ops", "application/json", "[1, 2]"), 400, "INVALID_ARGUMENT",
      "must be a JSON object, not a JSON array");
    assertError(post("/api/campaign_ops", "application/json", ""), 400, "INVALID_ARGUMENT", "body is empty");
    assertError(postJson("/api/campaign_ops", new JsonObject().put("slug", "x")), 400, "INVALID_ARGUMENT",
      "missing field 'action'");
    assertError(postJson("/api/campaign_ops", new JsonObject().put("action", 42)), 400, "INVALID_ARGUMENT",
      "'action' must be a string");
    assertError(postJson("/api/campaign_ops", new JsonObject().put("action", "Create-Campaign")), 400,
      "INVALID_ARGUMENT", "action 'Create-Campaign' must be lower-case snake_case");
    assertError(postJson("/api/campaign_ops", new JsonObject().put("action", "create_campaign").put("metadata", "x")),
      400, "INVALID_ARGUMENT", "'metadata' must be an object");
    assertError(postJson("/api/Bad-Svc_ops", new JsonObject().put("action", "create_campaign")), 400,
      "INVALID_ARGUMENT", "service 'Bad-Svc' must be lower-case snake_case");
  }

  @Test
  void unknownServiceIs404AndUnknownActionIs501() throws Exception {
    assertError(postJson("/api/nosuch_ops", new JsonObject().put("action", "create_thing")), 404, "NOT_FOUND",
      "no service 'nosuch'");
    assertError(postJson("/api/campaign_ops", new JsonObject().put("action", "explode")), 501, "UNIMPLEMENTED",
      "has no action 'explode'");
  }

  @Test
  void protocolRefusals405And415And413() throws Exception {
    HttpResponse<Buffer> get = await(client.request(HttpMethod.GET, server.port(), "127.0.0.1", "/api/campaign_ops")
      .send());
    assertError(get, 405, "UNIMPLEMENTED", "use POST");
    assertEquals("POST", get.getHeader("Allow"));

    assertError(post("/api/campaign_ops", "text/plain", "{\"action\":\"create_campaign\"}"), 415, "INVALID_ARGUMENT",
      "content type 'text/plain' is not supported");
    assertError(post("/api/campaign_ops", null, "{\"action\":\"create_campaign\"}"), 415, "INVALID_ARGUMENT",
      "no content type");
    assertEquals(200, post("/api/campaign_ops", "application/json; charset=utf-8",
      "{\"action\":\"create_campaign\"}").statusCode());

    String big = new JsonObject().put("action", "create_campaign").put("blob", "x".repeat((int) BODY_LIMIT)).encode();
    assertError(post("/api/campaign_ops", "application/json", big), 413, "RESOURCE_EXHAUSTED",
      "larger than " + BODY_LIMIT + " bytes");

    // the server keeps serving everyone else
    assertEquals(200, postJson("/api/campaign_ops", new JsonObject().put("action", "create_campaign")).statusCode());
  }

  @Test
  void eventsRouteExchangesRequestsAndPublishesTheRest(Vertx vertx) throws Exception {
    // a :requested envelope is exchanged
    JsonObject request = new JsonObject().put("type", "campaign:create_campaign:v1:requested")
      .put("correlation_id", "corr-ev-1").put("payload", new JsonObject().put("data", new JsonObject().put("a", 1)));
    HttpResponse<Buffer> answer = postJson("/api/events", request);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals("campaign:create_campaign:v1:success", answer.bodyAsJsonObject().getString("type"));
    assertEquals("corr-ev-1", answer.getHeader("X-Correlation-Id"));

    // any other envelope is published
    BlockingQueue<Event> seen = new ArrayBlockingQueue<>(4);
    await(vertx.eventBus().<Event>consumer("analytics:track_event:v1:completed", m -> seen.add(m.body())).completion());
    HttpResponse<Buffer> published = postJson("/api/events", new JsonObject()
      .put("type", "analytics:track_event:v1:completed").put("correlation_id", "corr-ev-2"));
    assertEquals(202, published.statusCode(), published.bodyAsString());
    assertEquals(true, published.bodyAsJsonObject().getBoolean("accepted"));
    Event event = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "the published event reached its subscribers");
    assertEquals("corr-ev-2", event.correlationId());
    assertEquals("rest", event.source());

    // an invalid type is a 400 naming the problem
    assertError(postJson("/api/events", new JsonObject().put("type", "content:create")), 400, "INVALID_ARGUMENT",
      "invalid event type");
    assertError(postJson("/api/events", new JsonObject()), 400, "INVALID_ARGUMENT", "'type' is missing");
  }
}
