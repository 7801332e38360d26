package io.inos.adapters.sockjs;

import io.inos.adapters.DoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.BridgeStats;
import io.inos.adapters.bridge.SlowConsumerPolicy;
import io.inos.adapters.bridge.TokenOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.inos.adapters.DoorsServer.await;
import static io.inos.adapters.sockjs.BrowserBridgeIdentityTest.assertErr;
import static io.inos.adapters.sockjs.BrowserBridgeIdentityTest.assertNoRefusalBefore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits of a connection over real sockets: subscriptions, rate, frame size, the bounded outbound queue with
 * both slow-consumer policies, token expiry, and rules reloaded without a restart. Each case ends with the socket
 * (or the others) still served.
 */
@ExtendWith(VertxExtension.class)
class BrowserBridgeLimitsTest {

  private static final String SECRET = "limits-test-secret-of-32-characters-or-more";
  private static final JsonObject FEEDS = new JsonObject()
    .put("publicAddresses", new JsonArray().add("system").add("feed:*"));

  private DoorsServer server;

  private DoorsServer start(Vertx vertx, BrowserBridgeOptions door, BridgeOptions bridge) throws Exception {
    server = DoorsServer.start(vertx, new WebDoorsOptions().setSockJS(door.setPingTimeoutMs(60_000))
      .setBridge(bridge.setTokens(new TokenOptions().setKey(SECRET))));
    return server;
  }

  private Bridge bridge() {
    return server.doors.bridge();
  }

  @Test
  void tenThousandSubscriptionsOnOneSocketAreRefusedPastTheLimit(Vertx vertx) throws Exception {
    start(vertx, new BrowserBridgeOptions(), new BridgeOptions().setRules(FEEDS).setMaxInboundPerSecond(1_000_000));
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    int limit = BridgeOptions.DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION;

    // WHEN
    for (int i = 0; i < 10_000; i++) {
      client.frame("register", "feed:" + i, null);
    }
    // THEN every registration past the limit is refused (a refusal the socket could not take in time is counted in a
    // 'dropped' notice instead, so nothing is held without bound)
    long refused = 0;
    while (refused < 10_000 - limit) {
      JsonObject frame = client.next();
      if ("dropped".equals(frame.getString("body"))) {
        refused += frame.getLong("dropped");
      } else {
        assertErr(frame, "too_many_subscriptions", "more than " + limit + " subscriptions on one connection");
        refused++;
      }
    }
    assertEquals(10_000 - limit, refused);
    assertEquals(limit, bridge().addresses());
    assertEquals(limit, bridge().stats().subscriptions());

    // and the socket keeps working: a slot freed is a slot to take again
    client.frame("unregister", "feed:0", null);
    client.frame("register", "feed:9999", null);
    assertNoRefusalBefore(client, null);
    assertEquals(1, bridge().subscribers("feed:9999"));
    client.close();
  }

  @Test
  void aFloodOverTheRateLimitIsRefusedAndOtherClientsAreUnaffected(Vertx vertx) throws Exception {
    start(vertx, new BrowserBridgeOptions(), new BridgeOptions().setRules(FEEDS));
    BridgeClient flooder = BridgeClient.connect(vertx, server.port());
    BridgeClient other = BridgeClient.connect(vertx, server.port());
    other.frame("register", "system", null);
    assertNoRefusalBefore(other, null);

    // WHEN one client sends ten times its per-second allowance at once
    for (int i = 0; i < 1_000; i++) {
      flooder.frame(i % 2 == 0 ? "register" : "unregister", "system", null);
    }
    // THEN it is refused with rate_limit_exceeded, counted
    JsonObject refused = flooder.next(f -> "rate_limit_exceeded".equals(f.getString("body")));
    assertErr(refused, "rate_limit_exceeded", "more than 100 messages per second");
    assertTrue(bridge().stats().rateLimited() > 0);

    // and the other client is served as before
    JsonObject reply = other.roundTrip((JsonObject) null);
    assertEquals("rec", reply.getString("type"));
    vertx.eventBus().publish("system", new JsonObject().put("still", "here"));
    assertEquals("here", other.nextAt("system").getJsonObject("body").getString("still"));
    // and the flooder's socket is still open: once its bucket refills, it is served again
    assertFalse(flooder.closed.isDone());
    awaitReplyWhenAllowed(flooder);
    flooder.close();
    other.close();
  }

  @Test
  void anOversizedFrameIsRefusedUnreadAndTheSocketKeepsWorking(Vertx vertx) throws Exception {
    start(vertx, new BrowserBridgeOptions(), new BridgeOptions().setRules(FEEDS));
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    String big = new JsonObject().put("type", "send").put("address", "campaign:create_campaign:v1:requested")
      .put("body", new JsonObject().put("blob", "x".repeat(70 * 1024))).encode();
    client.sendText(big);
    assertErr(client.next(), "frame_too_large", "the limit is 65536");
    assertEquals("rec", client.roundTrip((JsonObject) null).getString("type"));
    client.close();
  }

  @Test
  void aSlowConsumerUnderDropOldestStaysBoundedAndIsToldWhatItLost(Vertx vertx) throws Exception {
    int maxQueued = 50;
    BridgeClient[] clients = slowAndFast(vertx, SlowConsumerPolicy.DROP_OLDEST, maxQueued);
    BridgeClient slow = clients[0];
    BridgeClient fast = clients[1];

    // WHEN the client stops reading while a publisher floods its address
    slow.pause();
    floodUntil(vertx, "feed:flood", () -> bridge().stats().dropped() > 0);

    // THEN the server's queue for it stayed within its bound, and the excess was dropped and counted
    BridgeStats stats = bridge().stats();
    assertTrue(stats.queuedHighWater() <= maxQueued, "high water " + stats.queuedHighWater());
    assertTrue(stats.dropped() > 0);
    assertEquals(0, stats.slowDisconnects());
    // others are served meanwhile
    vertx.eventBus().publish("system", new JsonObject().put("ok", true));
    assertTrue(fast.nextAt("system").getJsonObject("body").getBoolean("ok"));

    // and when it reads again it is told how many deliveries it lost
    slow.resume();
    JsonObject notice = slow.next(f -> "dropped".equals(f.getString("body")));
    assertEquals("err", notice.getString("type"));
    assertTrue(notice.getLong("dropped") > 0, notice.encode());
    assertTrue(notice.getString("message").contains("read too slowly"), notice.encode());
    assertFalse(slow.closed.isDone(), "DROP_OLDEST keeps the connection");
    slow.close();
    fast.close();
  }

  @Test
  void aSlowConsumerUnderDisconnectIsClosed(Vertx vertx) throws Exception {
    BridgeClient[] clients = slowAndFast(vertx, SlowConsumerPolicy.DISCONNECT, 50);
    BridgeClient slow = clients[0];
    BridgeClient fast = clients[1];

    slow.pause();
    floodUntil(vertx, "feed:flood", () -> bridge().stats().slowDisconnects() > 0);

    assertEquals(1, bridge().stats().slowDisconnects());
    assertEquals(0, bridge().stats().sessions() - 1, "only the fast session is left");
    awaitTrue(() -> bridge().subscribers("feed:flood") == 0);
    assertTrue(bridge().stats().queuedHighWater() <= 50);
    vertx.eventBus().publish("system", new JsonObject().put("ok", true));
    assertTrue(fast.nextAt("system").getJsonObject("body").getBoolean("ok"));
    // the client sees the close once it reads again
    slow.resume();
    slow.closed.get(30, TimeUnit.SECONDS);
    fast.close();
  }

  @Test
  void reloadingTheRulesDropsSubscriptionsNoLongerPermitted(Vertx vertx) throws Exception {
    start(vertx, new BrowserBridgeOptions(), new BridgeOptions().setRules(FEEDS));
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    client.frame("register", "feed:news", null);
    client.frame("register", "system", null);
    assertNoRefusalBefore(client, null);

    // a bad configuration is refused with its key named, and the rules in force stay
    Exception bad = assertThrows(Exception.class, () -> await(bridge().reloadRules(new JsonObject()
      .put("publicAdresses", new JsonArray()))));
    assertTrue(bad.getCause().getMessage().contains("'publicAdresses' is not a rules key"), bad.toString());
    assertEquals(1, bridge().subscribers("feed:news"));

    // WHEN the feeds stop being public
    await(bridge().reloadRules(new JsonObject().put("publicAddresses", new JsonArray().add("system"))));

    // THEN the subscription is dropped with a notice at its address, and the others stay
    JsonObject revoked = client.next();
    assertErr(revoked, "subscription_revoked", "the rules changed");
    assertEquals("feed:news", revoked.getString("address"));
    assertEquals("PERMISSION_DENIED", revoked.getString("failureType"));
    assertEquals(0, bridge().subscribers("feed:news"));
    assertEquals(0, bridge().addresses() - 1, "only the consumer of 'system' is left");
    client.frame("register", "feed:news", null);
    assertErr(client.next(), "access_denied", "not permitted");
    vertx.eventBus().publish("system", new JsonObject().put("after", "reload"));
    assertEquals("reload", client.nextAt("system").getJsonObject("body").getString("after"));
    client.close();
  }

  @Test
  void aTokenThatExpiresTakesItsSubscriptionsWithIt(Vertx vertx) throws Exception {
    start(vertx, new BrowserBridgeOptions(), new BridgeOptions().setRules(FEEDS).setExpiryCheckMs(100)
      .setTokens(new TokenOptions().setKey(SECRET).setLeewaySeconds(0)));
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    long soon = System.currentTimeMillis() / 1000 + 2;
    JsonObject auth = BridgeClient.bearer(bridge().tokenIssuer().issue(new JsonObject().put("sub", "alice")
      .put("exp", soon)));
    client.frame("register", "user:alice", auth);
    assertNoRefusalBefore(client, auth);

    JsonObject revoked = client.next(f -> "subscription_revoked".equals(f.getString("body")));
    assertEquals("user:alice", revoked.getString("address"));
    assertTrue(revoked.getString("message").contains("the token expired"), revoked.encode());
    assertEquals(0, bridge().subscribers("user:alice"));
    client.frame("register", "user:alice", null);
    assertErr(client.next(f -> "err".equals(f.getString("type"))), "invalid_token", "invalid_token: expired");
    client.close();
  }

  // --- helpers

  /**
   * A server with small write queues and this policy, a client at {@code feed:flood} (to be made slow) and one at
   * {@code system}.
   */
  private BridgeClient[] slowAndFast(Vertx vertx, SlowConsumerPolicy policy, int maxQueued) throws Exception {
    start(vertx, new BrowserBridgeOptions().setWriteQueueMaxSize(8 * 1024), new BridgeOptions().setRules(FEEDS)
      .setMaxQueuedMessages(maxQueued).setSlowConsumerPolicy(policy));
    BridgeClient slow = BridgeClient.connect(vertx, server.port());
    BridgeClient fast = BridgeClient.connect(vertx, server.port());
    slow.frame("register", "feed:flood", null);
    fast.frame("register", "system", null);
    assertNoRefusalBefore(slow, null);
    assertNoRefusalBefore(fast, null);
    return new BridgeClient[] {slow, fast};
  }

  /** Publishes 2 KB events in batches until {@code done}, within a minute. */
  private static void floodUntil(Vertx vertx, String address, BooleanSupplier done) throws InterruptedException {
    JsonObject event = new JsonObject().put("blob", "y".repeat(2_048));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "the flood never filled the queue");
      for (int i = 0; i < 200; i++) {
        vertx.eventBus().publish(address, event);
      }
      Thread.sleep(10);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
  }

  /** Sends requests until one is answered rather than rate-limited, within 10 s. */
  private static void awaitReplyWhenAllowed(BridgeClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<JsonObject> ignored = client.drainReceived();
      assertTrue(ignored.stream().allMatch(f -> f.getString("type") != null));
      JsonObject reply = client.roundTrip((JsonObject) null);
      if ("rec".equals(reply.getString("type"))) {
        return;
      }
      assertErr(reply, "rate_limit_exceeded", "messages per second");
      Thread.sleep(20);
    }
    throw new AssertionError("never served again after the flood");
  }
}
