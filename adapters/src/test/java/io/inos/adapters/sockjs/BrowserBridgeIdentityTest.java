package io.inos.adapters.sockjs;

import io.inos.adapters.DoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.GuestIds;
import io.inos.adapters.bridge.TokenIssuer;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identity and permissions over real sockets: JWT bearer tokens in frame headers (as the JS client's
 * {@code defaultHeaders} send them) or on the handshake, guests, the scope of {@code user:} and {@code campaign:}
 * addresses, rules with roles, body matches and regexes.
 */
@ExtendWith(VertxExtension.class)
class BrowserBridgeIdentityTest {

  static final String SECRET = "identity-test-secret-of-32-characters-or-more";
  /** The rules of these tests, in their configuration form. */
  static final JsonObject RULES = new JsonObject()
    .put("inboundPermitteds", new JsonArray()
      .add(new JsonObject().put("address", "campaign:create_campaign:v1:requested"))
      .add(new JsonObject().put("address", "campaign:fail:v1:requested")
        .put("match", new JsonObject().put("source", "frontend"))))
    .put("outboundPermitteds", new JsonArray()
      .add(new JsonObject().put("addressRegex", "admin:[a-z]+").put("requiredRole", "admin"))
      .add(new JsonObject().put("addressRegex", "inbox:{user_id}:[a-z]+"))
      .add(new JsonObject().put("addressRegex", "feed:[a-z]+")))
    .put("publicCampaigns", new JsonArray().add("0"))
    .put("publicAddresses", new JsonArray().add("system"));

  private Vertx vertx;
  private DoorsServer server;
  private TokenIssuer tokens;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = DoorsServer.start(vertx, new WebDoorsOptions().setSockJS(new BrowserBridgeOptions()
      .setPingTimeoutMs(60_000))
      .setBridge(new BridgeOptions().setRules(RULES).setTokens(new TokenOptions().setKey(SECRET))));
    tokens = bridge().tokenIssuer();
  }

  private Bridge bridge() {
    return server.doors.bridge();
  }

  @Test
  void aSignedInUserReceivesItsOwnAddressAndNoOtherUsers() throws Exception {
    BridgeClient alice = BridgeClient.connect(vertx, server.port());
    JsonObject auth = BridgeClient.bearer(tokens.issue("alice", List.of(), List.of()));

    alice.frame("register", "user:alice", auth);
    assertNoRefusalBefore(alice, auth);
    alice.frame("register", "user:bob", auth);
    // (the barrier request's own :started and :success reach user:alice too, in any order with the refusal)
    assertErr(alice.next(f -> "err".equals(f.getString("type"))), "access_denied", "another user's address");

    server.nexus.publish(userEvent("alice", "hello"));
    JsonObject delivered = alice.next(f -> "user:alice".equals(f.getString("address"))
      && "feed:post:v1:completed".equals(f.getJsonObject("body").getString("type")));
    assertEquals("hello", delivered.getJsonObject("body").getJsonObject("payload").getJsonObject("data")
      .getString("text"));
    // the reply names the user the connection acts as
    JsonObject reply = alice.roundTrip(auth);
    assertEquals("alice", reply.getJsonObject("headers").getString("inos-user-id"));
    assertEquals("alice", Event.fromJson(reply.getJsonObject("body")).userId());
    alice.close();
  }

  @Test
  void twoUsersNeverReceiveEachOthersUserEvents() throws Exception {
    BridgeClient alice = BridgeClient.connect(vertx, server.port());
    BridgeClient bob = BridgeClient.connect(vertx, server.port());
    JsonObject aliceAuth = BridgeClient.bearer(tokens.issue("alice", List.of(), List.of()));
    JsonObject bobAuth = BridgeClient.bearer(tokens.issue("bob", List.of(), List.of()));
    for (String address : new String[] {"user:alice", "system"}) {
      alice.frame("register", address, aliceAuth);
    }
    for (String address : new String[] {"user:bob", "system"}) {
      bob.frame("register", address, bobAuth);
    }
    assertNoRefusalBefore(alice, aliceAuth);
    assertNoRefusalBefore(bob, bobAuth);

    // WHEN each gets three events of its own, then one for everyone: the fence, delivered after them
    for (int i = 0; i < 3; i++) {
      server.nexus.publish(userEvent("alice", "for alice " + i));
      server.nexus.publish(userEvent("bob", "for bob " + i));
    }
    vertx.eventBus().publish("system", new JsonObject().put("fence", true));

    // THEN each saw exactly its own three before the fence, and nothing of the other's
    assertOnlyOwnEvents(alice, "alice");
    assertOnlyOwnEvents(bob, "bob");
    alice.close();
    bob.close();
  }

  @Test
  void campaignScopeComesFromTheTokensCampaignsClaim() throws Exception {
    BridgeClient alice = BridgeClient.connect(vertx, server.port());
    JsonObject auth = BridgeClient.bearer(tokens.issue("alice", List.of(), List.of("c1")));
    alice.frame("register", "campaign:c1", auth);
    alice.frame("register", "campaign:0", auth);
    assertNoRefusalBefore(alice, auth);
    alice.frame("register", "campaign:c2", auth);
    assertErr(alice.next(), "access_denied", "user 'alice' did not join campaign 'c2'");

    BridgeClient guest = BridgeClient.connect(vertx, server.port());
    String guestId = GuestIds.newGuestId();
    guest.register("campaign:0", guestId);
    guest.register("campaign:c1", guestId);
    assertErr(guest.next(), "access_denied", "campaign 'c1' is not public");

    server.nexus.publish(Event.builder("campaign:announce:v1:completed").globalContext("campaign_id", "c1")
      .data(new JsonObject().put("n", 1)).build());
    JsonObject delivered = alice.nextAt("campaign:c1");
    assertEquals("c1", Event.fromJson(delivered.getJsonObject("body")).campaignId());
    alice.close();
    guest.close();
  }

  @Test
  void expiredForgedMalformedAndAbsentTokensAreRefusedAndTheSocketKeepsWorking() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    long now = System.currentTimeMillis() / 1000;
    String expired = tokens.issue(new JsonObject().put("sub", "alice").put("exp", now - 3_600));
    String forged = TokenIssuer.create(vertx, new TokenOptions().setKey("another-key-that-is-32-characters-long"))
      .issue("alice", List.of("admin"), List.of());
    String badExpiry = tokens.issue(new JsonObject().put("sub", "alice").put("exp", "never"));

    client.frame("register", "user:alice", BridgeClient.bearer(expired));
    assertErr(client.next(), "invalid_token", "invalid_token: expired");
    client.frame("register", "user:alice", BridgeClient.bearer(forged));
    assertErr(client.next(), "invalid_token", "invalid_token: the signature does not verify");
    client.frame("register", "user:alice", BridgeClient.bearer("abc.def"));
    assertErr(client.next(), "invalid_token", "invalid_token: malformed");
    client.frame("register", "user:alice", BridgeClient.bearer(badExpiry));
    assertErr(client.next(), "invalid_token", "invalid_token: malformed ('exp'");
    client.frame("register", "user:alice", new JsonObject().put("authorization", "Basic YWxpY2U6c2VjcmV0"));
    assertErr(client.next(), "invalid_token", "must be 'Bearer <token>'");
    // a refused request hears it at its reply address
    client.send(new JsonObject().put("type", "send").put("address", "campaign:create_campaign:v1:requested")
      .put("body", new JsonObject()).put("replyAddress", "r-1").put("headers", BridgeClient.bearer(forged)));
    JsonObject refused = client.nextAt("r-1");
    assertEquals("err", refused.getString("type"));
    assertEquals(16, refused.getInteger("failureCode"));
    assertEquals("UNAUTHENTICATED", refused.getString("failureType"));

    // no token: a guest, refused on the protected addresses
    client.frame("register", "user:alice", null);
    assertErr(client.next(), "access_denied", "another user's address");
    client.frame("register", "admin:audit", null);
    assertErr(client.next(), "access_denied", "needs the role 'admin'");
    // the five bearer tokens refused (the Basic credentials never reached verification)
    assertEquals(5, bridge().stats().invalidTokens());

    // and the socket still works
    JsonObject reply = client.roundTrip((JsonObject) null);
    assertEquals("rec", reply.getString("type"));
    assertTrue(GuestIds.isGuestId(reply.getJsonObject("headers").getString("inos-guest-id")));
    client.close();
  }

  @Test
  void aRoleRuleLetsOnlyItsHoldersIn() throws Exception {
    BridgeClient admin = BridgeClient.connect(vertx, server.port());
    JsonObject adminAuth = BridgeClient.bearer(tokens.issue("root", List.of("admin"), List.of()));
    admin.frame("register", "admin:audit", adminAuth);
    assertNoRefusalBefore(admin, adminAuth);

    BridgeClient alice = BridgeClient.connect(vertx, server.port());
    alice.frame("register", "admin:audit", BridgeClient.bearer(tokens.issue("alice", List.of("editor"), List.of())));
    assertErr(alice.next(), "access_denied", "needs the role 'admin'");

    vertx.eventBus().publish("admin:audit", new JsonObject().put("entry", 1));
    assertEquals(1, admin.nextAt("admin:audit").getJsonObject("body").getInteger("entry"));
    admin.close();
    alice.close();
  }

  @Test
  void aBodyMatchRuleChecksWhatIsSent() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    JsonObject auth = BridgeClient.bearer(tokens.issue("alice", List.of(), List.of()));
    client.send(new JsonObject().put("type", "send").put("address", "campaign:fail:v1:requested")
      .put("body", new JsonObject().put("source", "frontend")).put("replyAddress", "r-match").put("headers", auth));
    JsonObject answered = client.nextAt("r-match");
    assertEquals("rec", answered.getString("type"), "the rule let it through to the service");
    assertEquals("ALREADY_EXISTS", answered.getJsonObject("headers").getString("inos-outcome"));

    client.send(new JsonObject().put("type", "send").put("address", "campaign:fail:v1:requested")
      .put("body", new JsonObject().put("source", "backend")).put("replyAddress", "r-mismatch").put("headers", auth));
    JsonObject refused = client.nextAt("r-mismatch");
    assertErr(refused, "access_denied", "the body does not match the rule");
    assertEquals("PERMISSION_DENIED", refused.getString("failureType"));
    client.close();
  }

  @Test
  void addressesFromClientsAreMatchedLiterallyNeverCompiled() throws Exception {
    BridgeClient alice = BridgeClient.connect(vertx, server.port());
    JsonObject auth = BridgeClient.bearer(tokens.issue("alice", List.of(), List.of()));
    for (String injected : new String[] {"user:.*", "user:alice|user:bob", "feed:.*", "(a+)+$", "campaign:.*",
      "inbox:.*:news", "admin:[a-z]+", "feed:news|admin:audit"}) {
      alice.frame("register", injected, auth);
      assertErr(alice.next(), "access_denied", "not permitted");
    }
    alice.frame("register", "feed:news", auth);
    alice.frame("register", "inbox:alice:news", auth);
    assertNoRefusalBefore(alice, auth);
    alice.frame("register", "inbox:bob:news", auth);
    assertErr(alice.next(), "access_denied", "not permitted");

    // {user_id} in a regex is the user id as it is: a user called "a.*" gets its own inbox and nobody else's
    BridgeClient dotStar = BridgeClient.connect(vertx, server.port());
    JsonObject dotStarAuth = BridgeClient.bearer(tokens.issue("a.*", List.of(), List.of()));
    dotStar.frame("register", "inbox:abc:news", dotStarAuth);
    assertErr(dotStar.next(), "access_denied", "not permitted");
    dotStar.frame("register", "inbox:a.*:news", dotStarAuth);
    dotStar.frame("register", "user:a.*", dotStarAuth);
    assertNoRefusalBefore(dotStar, dotStarAuth);
    alice.close();
    dotStar.close();
  }

  @Test
  void aTokenOnTheHandshakeSignsTheConnectionIn() throws Exception {
    BridgeClient alice = BridgeClient.connect(vertx, server.port(),
      "Bearer " + tokens.issue("alice", List.of(), List.of()));
    alice.frame("register", "user:alice", null);
    assertNoRefusalBefore(alice, null);
    server.nexus.publish(userEvent("alice", "by handshake"));
    assertEquals("user:alice", alice.nextAt("user:alice").getString("address"));
    alice.close();
  }

  @Test
  void signingInLaterRevokesWhatTheGuestHadAndKeepsThePublicRest() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    String guestId = GuestIds.newGuestId();
    client.register("user:" + guestId, guestId);
    client.register("system", guestId);
    JsonObject auth = BridgeClient.bearer(tokens.issue("alice", List.of(), List.of()));
    client.frame("register", "user:alice", auth);
    JsonObject revoked = client.next(f -> "err".equals(f.getString("type")));
    assertErr(revoked, "subscription_revoked", "identity changed");
    assertEquals("user:" + guestId, revoked.getString("address"));
    assertEquals(0, bridge().subscribers("user:" + guestId));
    assertEquals(1, bridge().subscribers("system"));
    assertEquals(1, bridge().subscribers("user:alice"));
    client.close();
  }

  // --- helpers

  static Event userEvent(String user, String text) {
    return Event.builder("feed:post:v1:completed").globalContext("user_id", user)
      .data(new JsonObject().put("text", text)).build();
  }

  /** Sends a request and checks that no frame before its reply was a refusal (frames are handled in order). */
  static void assertNoRefusalBefore(BridgeClient client, JsonObject headers) throws InterruptedException {
    String reply = "barrier-" + System.nanoTime();
    JsonObject frame = new JsonObject().put("type", "send").put("address", "campaign:create_campaign:v1:requested")
      .put("body", new JsonObject()).put("replyAddress", reply);
    if (headers != null) {
      frame.put("headers", headers);
    }
    client.send(frame);
    while (true) {
      JsonObject next = client.next();
      assertFalse("err".equals(next.getString("type")), "refused: " + next.encode());
      if (reply.equals(next.getString("address"))) {
        return;
      }
    }
  }

  private static void assertOnlyOwnEvents(BridgeClient client, String user) throws InterruptedException {
    List<String> texts = new ArrayList<>();
    while (true) {
      JsonObject frame = client.next();
      String address = frame.getString("address");
      if ("system".equals(address)) {
        break;
      }
      assertEquals("user:" + user, address, frame.encode());
      Event event = Event.fromJson(frame.getJsonObject("body"));
      assertEquals(user, event.userId());
      if (event.type().toString().equals("feed:post:v1:completed")) {
        texts.add(event.data().getString("text"));
      }
    }
    assertEquals(List.of("for " + user + " 0", "for " + user + " 1", "for " + user + " 2"), texts);
  }

  static void assertErr(JsonObject frame, String code, String messagePart) {
    assertEquals("err", frame.getString("type"), frame.encode());
    assertEquals(code, frame.getString("body"), frame.encode());
    assertTrue(frame.getString("message").contains(messagePart), frame.encode());
  }
}
