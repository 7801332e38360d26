package io.inos.adapters.http;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.SlowConsumerPolicy;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.http.SecureHttpServer.FEED;
import static io.inos.adapters.http.SecureHttpServer.SECRET_FEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-Sent Events at /api/events/stream on a shared bridge, read by a raw HTTP client that parses the lines. */
@ExtendWith(VertxExtension.class)
class EventStreamTest {

  private SecureHttpServer server;
  private HttpClient http;
  private WebClient web;

  private void start(Vertx vertx, BridgeOptions bridge, EventStreamOptions stream) throws Exception {
    server = SecureHttpServer.start(vertx, bridge, stream, new CorsOptions());
    http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(16));
    web = WebClient.create(vertx);
  }

  private void start(Vertx vertx) throws Exception {
    start(vertx, new BridgeOptions(), new EventStreamOptions());
  }

  @AfterEach
  void stop() throws Exception {
    if (http != null) {
      await(http.close());
      web.close();
    }
  }

  private SseStream stream(String query, String authorization) throws Exception {
    return await(SseStream.open(http, server.port(), "/api/events/stream?" + query, authorization));
  }

  /** A stream the door must refuse: a plain HTTP answer, read whole. */
  private HttpResponse<Buffer> refused(String query, String authorization) throws Exception {
    var request = web.get(server.port(), "127.0.0.1", "/api/events/stream?" + query)
      .putHeader("Accept", "text/event-stream");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(request.send());
  }

  private static String q(String address) {
    return URLEncoder.encode(address, StandardCharsets.UTF_8);
  }

  private static Event userEvent(String user, String marker) {
    return Event.builder(EventType.of("notification", "send_notice", 1, EventState.COMPLETED))
      .globalContext("user_id", user).data(new JsonObject().put("marker", marker)).build();
  }

  @Test
  void aPermittedFeedPublishedByAnotherClientReachesTheStream(Vertx vertx) throws Exception {
    start(vertx);
    // GIVEN bob (no role) streams the public feed
    SseStream bob = stream("address=" + q(FEED), "Bearer " + server.token("bob"));
    assertEquals(200, bob.status, bob.errorBody);
    assertTrue(bob.contentType.startsWith("text/event-stream"), bob.contentType);
    JsonObject open = bob.nextEvent("open").json();
    assertEquals("bob", open.getString("user_id"));
    assertEquals(FEED, open.getJsonArray("addresses").getString(0));
    // WHEN alice, an editor, publishes on it through the REST door, claiming to be mallory
    HttpResponse<Buffer> posted = await(web.post(server.port(), "127.0.0.1", "/api/events")
      .putHeader("Content-Type", "application/json")
      .putHeader("Authorization", "Bearer " + server.token("alice", "editor"))
      .sendJsonObject(new JsonObject().put("type", FEED)
        .put("metadata", new JsonObject().put("global_context", new JsonObject().put("user_id", "mallory")))
        .put("payload", new JsonObject().put("data", new JsonObject().put("headline", "hello")))));
    assertEquals(202, posted.statusCode(), posted.bodyAsString());
    // THEN bob receives it, as alice, with the event's id in the id: line
    SseStream.Frame frame = bob.nextEvent(FEED);
    Event received = Event.fromJson(frame.json());
    assertEquals(posted.bodyAsJsonObject().getString("id"), frame.id());
    assertEquals(received.id(), frame.id());
    assertEquals("alice", received.userId());
    assertEquals("hello", received.data().getString("headline"));
    await(bob.close());
  }

  @Test
  void twoUsersStreamsOfTheirOwnAddressesAreIsolated(Vertx vertx) throws Exception {
    start(vertx);
    SseStream alice = stream("address=user:alice", "Bearer " + server.token("alice"));
    SseStream bob = stream("addresses=user:bob", "Bearer " + server.token("bob"));
    assertEquals(200, alice.status, alice.errorBody);
    assertEquals(200, bob.status, bob.errorBody);
    // WHEN each user's address gets a secret, then a last marker
    server.nexus.publish(userEvent("alice", "alice-secret"));
    server.nexus.publish(userEvent("bob", "bob-secret"));
    server.nexus.publish(userEvent("alice", "alice-end"));
    server.nexus.publish(userEvent("bob", "bob-end"));
    // THEN each stream holds only its own, up to its last marker
    assertOnlyOwn(alice, "alice");
    assertOnlyOwn(bob, "bob");
    await(alice.close());
    await(bob.close());
  }

  private static void assertOnlyOwn(SseStream stream, String user) throws Exception {
    while (true) {
      SseStream.Frame frame = stream.next(f -> f.event() != null && f.event().startsWith("user:"));
      assertEquals("user:" + user, frame.event());
      Event event = Event.fromJson(frame.json());
      assertEquals(user, event.userId());
      String marker = event.data().getString("marker");
      assertTrue(marker.startsWith(user + "-"), marker);
      if (marker.equals(user + "-end")) {
        return;
      }
    }
  }

  @Test
  void aForbiddenAddressIsRefused403BeforeTheStreamStartsNamingTheAddress(Vertx vertx) throws Exception {
    start(vertx);
    String bob = "Bearer " + server.token("bob");
    HttpResponse<Buffer> other = refused("address=user:bob&address=user:alice", bob);
    assertError(other, 403, "PERMISSION_DENIED", "user:alice");
    assertTrue(other.bodyAsString().contains("another user"), other.bodyAsString());
    assertError(refused("addresses=" + q(FEED + "," + SECRET_FEED), bob), 403, "PERMISSION_DENIED", SECRET_FEED);
    // a client-sent pattern is matched as the literal string it is
    assertError(refused("address=" + q("user:.*"), bob), 403, "PERMISSION_DENIED", "user:.*");
    // nothing was left subscribed by the refused streams
    assertEquals(0, server.bridge.subscribers("user:bob"));
    assertEquals(0, server.bridge.subscribers(FEED));
    assertEquals(0, server.bridge.stats().sessions());
  }

  @Test
  void badExpiredOrMissingAddressesAreRefusedWithTheErrorBody(Vertx vertx) throws Exception {
    start(vertx);
    String forged = SecureHttpServer.SECRET.replace('a', 'b');
    String forgedToken = io.inos.adapters.bridge.TokenIssuer.create(vertx,
      new io.inos.adapters.bridge.TokenOptions().setKey(forged)).issue("alice", java.util.List.of(), java.util.List.of());
    assertError(refused("address=user:alice", "Bearer " + forgedToken), 401, "UNAUTHENTICATED", "invalid_token");
    assertError(refused("address=user:alice", "Bearer " + server.expiredToken("alice")), 401, "UNAUTHENTICATED",
      "expired");
    // EventSource's way: the token in the query
    assertError(refused("address=user:alice&access_token=" + server.expiredToken("alice"), null), 401,
      "UNAUTHENTICATED", "expired");
    assertError(refused("address=user:alice", "Basic YWxpY2U6c2VjcmV0"), 401, "UNAUTHENTICATED", "Bearer");
    assertError(refused("other=1", null), 400, "INVALID_ARGUMENT", "at least one address");
    assertError(refused("addresses=" + q("a,,b"), null), 400, "INVALID_ARGUMENT", "empty");
    assertError(refused("address=" + q("feed:x\nevent: forged"), null), 400, "INVALID_ARGUMENT", "line break");
    assertEquals(0, server.bridge.stats().sessions());
  }

  @Test
  void theQueryTokenSignsInAnEventSourceAndKeepAlivesFlow(Vertx vertx) throws Exception {
    start(vertx, new BridgeOptions(), new EventStreamOptions().setKeepAliveMs(100));
    SseStream alice = stream("address=user:alice&access_token=" + server.token("alice"), null);
    assertEquals(200, alice.status, alice.errorBody);
    assertEquals("alice", alice.nextEvent("open").json().getString("user_id"));
    assertEquals("keep-alive", alice.next(f -> f.comment() != null).comment());
    server.nexus.publish(userEvent("alice", "after-keep-alive"));
    assertEquals("after-keep-alive", Event.fromJson(alice.nextEvent("user:alice").json()).data().getString("marker"));
    await(alice.close());
  }

  @Test
  void aGuestStreamsPublicAddressesAndItsOwn(Vertx vertx) throws Exception {
    start(vertx);
    SseStream guest = stream("address=system", null);
    assertEquals(200, guest.status, guest.errorBody);
    JsonObject open = guest.nextEvent("open").json();
    assertTrue(open.getBoolean("guest"));
    assertTrue(open.getString("user_id").startsWith("guest_"), open.encode());
    await(guest.close());
  }

  @Test
  void aClientThatLeavesIsUnsubscribedAndItsSessionClosed(Vertx vertx) throws Exception {
    start(vertx);
    SseStream alice = stream("address=user:alice&address=" + q(FEED), "Bearer " + server.token("alice"));
    assertEquals(200, alice.status, alice.errorBody);
    alice.nextEvent("open");
    assertEquals(1, server.bridge.subscribers("user:alice"));
    assertEquals(1, server.bridge.stats().sessions());
    // WHEN the client drops the connection
    await(alice.close());
    // THEN the server notices, unsubscribes both addresses and closes the session
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((server.bridge.subscribers("user:alice") > 0 || server.bridge.subscribers(FEED) > 0
      || server.bridge.stats().sessions() > 0) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20); // polling with a deadline
    }
    assertEquals(0, server.bridge.subscribers("user:alice"));
    assertEquals(0, server.bridge.subscribers(FEED));
    assertEquals(0, server.bridge.addresses());
    assertEquals(0, server.bridge.stats().sessions());
  }

  @Test
  void aSlowReaderUnderDropOldestIsToldHowManyWereDropped(Vertx vertx) throws Exception {
    start(vertx, new BridgeOptions().setMaxQueuedMessages(4).setSlowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST),
      new EventStreamOptions().setWriteQueueMaxSize(16 * 1024));
    SseStream alice = stream("address=user:alice", "Bearer " + server.token("alice"));
    assertEquals(200, alice.status, alice.errorBody);
    alice.nextEvent("open");
    // WHEN the client stops reading and a burst larger than every buffer arrives (loopback socket buffers can
    // absorb several MiB, so the burst is far larger than that)
    alice.pause();
    burst("alice");
    alice.resume();
    // THEN it receives a dropped event with the count, and the stream goes on
    SseStream.Frame dropped = alice.nextEvent("dropped");
    assertTrue(dropped.json().getLong("count") > 0, dropped.data());
    assertNull(dropped.id());
    assertFalse(server.bridge.stats().dropped() == 0);
    server.nexus.publish(userEvent("alice", "after-drop"));
    alice.next(f -> "user:alice".equals(f.event()) && f.data().contains("after-drop"));
    await(alice.close());
  }

  @Test
  void aSlowReaderUnderDisconnectIsToldWhyAndTheStreamEnds(Vertx vertx) throws Exception {
    start(vertx, new BridgeOptions().setMaxQueuedMessages(4).setSlowConsumerPolicy(SlowConsumerPolicy.DISCONNECT),
      new EventStreamOptions().setWriteQueueMaxSize(16 * 1024));
    SseStream alice = stream("address=user:alice", "Bearer " + server.token("alice"));
    assertEquals(200, alice.status, alice.errorBody);
    alice.nextEvent("open");
    alice.pause();
    burst("alice");
    alice.resume();
    SseStream.Frame closed = alice.nextEvent("closed");
    assertEquals("slow_consumer", closed.json().getString("code"));
    assertEquals(1, server.bridge.stats().slowDisconnects());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.bridge.stats().sessions() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20); // polling with a deadline
    }
    assertEquals(0, server.bridge.stats().sessions());
    assertEquals(0, server.bridge.subscribers("user:alice"));
  }

  /** More than loopback socket buffers absorb (several MiB), at the user's address. */
  private void burst(String user) {
    String filler = "x".repeat(64 * 1024);
    for (int i = 0; i < 600; i++) {
      server.nexus.publish(Event.builder(EventType.of("notification", "send_notice", 1, EventState.COMPLETED))
        .globalContext("user_id", user).data(new JsonObject().put("marker", "m" + i).put("filler", filler)).build());
    }
  }

  @Test
  void aReloadThatRevokesTheLastAddressTellsTheClientAndEndsTheStream(Vertx vertx) throws Exception {
    start(vertx);
    SseStream bob = stream("address=" + q(FEED), "Bearer " + server.token("bob"));
    assertEquals(200, bob.status, bob.errorBody);
    bob.nextEvent("open");
    // WHEN the rules no longer let anyone read the feed
    await(server.bridge.reloadRules(SecureHttpServer.RULES.copy().put("outboundPermitteds", new JsonArray())));
    // THEN the client is told, and the stream ends
    SseStream.Frame revoked = bob.nextEvent("subscription_revoked");
    assertEquals(FEED, revoked.json().getString("address"));
    await(bob.ended());
    assertEquals(0, server.bridge.subscribers(FEED));
  }

  @Test
  void optionsRoundTripAndRefuseAWriteQueueBoundThatWouldStall() {
    EventStreamOptions options = new EventStreamOptions().setKeepAliveMs(500).setAllowQueryToken(false)
      .setWriteQueueMaxSize(4096).setPath("/sse").setRetryMs(0);
    assertEquals(options.toJson(), new EventStreamOptions(options.toJson()).toJson());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
      () -> new EventStreamOptions().setWriteQueueMaxSize(1));
    assertTrue(e.getMessage().contains("at least 1024"), e.getMessage());
  }

  @Test
  void theQueryTokenIsIgnoredWhenTurnedOff(Vertx vertx) throws Exception {
    start(vertx, new BridgeOptions(), new EventStreamOptions().setAllowQueryToken(false));
    // the token is not read, so the caller is a guest, who may not read alice's address
    assertError(refused("address=user:alice&access_token=" + server.token("alice"), null), 403, "PERMISSION_DENIED", "user:alice");
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getJsonObject("error").getString("code"), body.encode());
    String message = body.getJsonObject("error").getString("message");
    assertTrue(message.contains(messagePart), "message '" + message + "' should mention '" + messagePart + "'");
    assertEquals(body.getString("correlation_id"), response.getHeader("X-Correlation-Id"));
  }
}
