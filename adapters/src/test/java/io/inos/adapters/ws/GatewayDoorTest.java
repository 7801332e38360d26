package io.inos.adapters.ws;

import com.github.luben.zstd.Zstd;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.GuestIds;
import io.inos.adapters.bridge.TokenIssuer;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original INOS gateway at /ws/{campaign}/{user}, with real sockets, the reference zstd and the test service. */
@ExtendWith(VertxExtension.class)
class GatewayDoorTest {

  private static final String CREATE = "campaign:create_campaign:v1:requested";
  private static final String CREATED = "campaign:create_campaign:v1:success";

  private Vertx vertx;
  private WsServer server;
  private TokenIssuer tokens;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = WsServer.start(vertx, new BridgeOptions().setRequestTimeoutMs(2_000), new GatewayDoorOptions());
    tokens = server.bridge.tokenIssuer();
  }

  private GatewayClient connect(String uri) throws Exception {
    return GatewayClient.connect(vertx, server.port(), uri);
  }

  private static JsonObject create(String correlationId, JsonObject data) {
    return new JsonObject().put("type", CREATE).put("correlation_id", correlationId)
      .put("payload", new JsonObject().put("data", data));
  }

  @Test
  void aRequestIsAnsweredWithItsOutcomeAndCorrelationId() throws Exception {
    GatewayClient client = connect("/ws");
    client.send(create("corr-ws-1", new JsonObject().put("slug", "ovasabi")));
    GatewayClient.Frame answer = client.nextOfType(CREATED);
    Event success = Event.fromJson(answer.envelope());
    assertEquals("corr-ws-1", success.correlationId());
    assertTrue(GuestIds.isGuestId(success.userId()), "a connection without a user is a guest: " + success.userId());
    assertEquals("ovasabi", success.data().getJsonObject("echo").getString("slug"));
    // /ws is campaign 0; its lifecycle events reach the guest's own address, never the :requested one
    assertTrue(client.drainReceived().stream().noneMatch(f -> f.type().endsWith(":requested")));
    client.close();
  }

  @Test
  void aCampaignBroadcastReachesItsUsersOnlyAndUserAddressesStayApart() throws Exception {
    String alice = GuestIds.newGuestId();
    String bob = GuestIds.newGuestId();
    GatewayClient a = connect("/ws/c1/" + alice);
    GatewayClient b = connect("/ws/c1/" + bob);
    GatewayClient c = connect("/ws/c2/");
    server.nexus.publish(Event.builder("feed:post_news:v1:success").globalContext("campaign_id", "c1")
      .data(new JsonObject().put("n", 1)).build());
    assertEquals(1, a.nextOfType("feed:post_news:v1:success").envelope().getJsonObject("payload")
      .getJsonObject("data").getInteger("n"));
    assertEquals(1, b.nextOfType("feed:post_news:v1:success").envelope().getJsonObject("payload")
      .getJsonObject("data").getInteger("n"));
    // user: isolation: an event for alice reaches alice, not bob
    server.nexus.publish(Event.builder("feed:post_news:v1:success").globalContext("user_id", alice)
      .data(new JsonObject().put("n", 2)).build());
    server.nexus.publish(Event.builder("feed:post_news:v1:success").globalContext("user_id", bob)
      .data(new JsonObject().put("n", 3)).build());
    assertEquals(2, a.nextOfType("feed:post_news:v1:success").envelope().getJsonObject("payload")
      .getJsonObject("data").getInteger("n"));
    assertEquals(3, b.nextOfType("feed:post_news:v1:success").envelope().getJsonObject("payload")
      .getJsonObject("data").getInteger("n"));
    // the other campaign got none of the above, only its own
    server.nexus.publish(Event.builder("feed:post_news:v1:success").globalContext("campaign_id", "c2")
      .data(new JsonObject().put("n", 4)).build());
    GatewayClient.Frame own = c.nextOfType("feed:post_news:v1:success");
    assertEquals(4, own.envelope().getJsonObject("payload").getJsonObject("data").getInteger("n"),
      "campaign c2 receives nothing of c1 or of the users");
    assertTrue(c.drainReceived().isEmpty());
    assertTrue(a.drainReceived().stream().noneMatch(f -> f.type().startsWith("feed:")), "alice got bob's event");
    a.close();
    b.close();
    c.close();
  }

  @Test
  void everyErrorIsAnErrorFrameAndTheSocketStaysOpen() throws Exception {
    GatewayClient client = connect("/ws/0");
    client.sendText("{not json");
    assertError(client.next(), "error:parse_error", "parse_error");
    client.sendText("[1, 2]");
    assertError(client.next(), "error:validation_error", "validation_error");
    client.send(new JsonObject().put("type", CREATE).put("correlation_id", "corr-bad").put("payload", "text"));
    GatewayClient.Frame bad = client.next();
    assertError(bad, "error:validation_error", "validation_error");
    assertEquals("corr-bad", bad.envelope().getString("correlation_id"), "the error names the refused frame");
    client.send(new JsonObject().put("type", "Not A Type!"));
    assertError(client.next(), "error:invalid_event_type", "invalid_event_type");
    // a publish the rules do not permit is a validation error naming the bridge's reason
    client.send(new JsonObject().put("type", "content:create_content:v1:success"));
    GatewayClient.Frame denied = client.next();
    assertError(denied, "error:validation_error", "access_denied");

    // a flood over 100 frames per second
    for (int i = 0; i < 300; i++) {
      client.sendText("{not json");
    }
    client.next(f -> f.type().equals("error:rate_limit_exceeded"));
    // the socket still serves: once the bucket refills, a request is answered
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      client.drainReceived();
      client.send(create("corr-after", new JsonObject()));
      GatewayClient.Frame f = client.next(x -> "corr-after".equals(x.envelope().getString("correlation_id"))
        && !x.type().endsWith(":started"));
      if (f.type().equals(CREATED)) {
        break;
      }
      assertEquals("error:rate_limit_exceeded", f.type());
      assertTrue(System.currentTimeMillis() < deadline, "the rate limit never let a request through");
    }
    assertFalse(client.closed.isDone());
    client.close();
  }

  private static void assertError(GatewayClient.Frame frame, String type, String code) {
    assertEquals(type, frame.type(), frame.envelope().encode());
    JsonObject payload = frame.envelope().getJsonObject("payload");
    assertEquals(code, payload.getString("code"));
    assertTrue(payload.getString("message") != null && !payload.getString("message").isEmpty());
  }

  @Test
  void largeFramesTravelAsZstdBothWaysAndABombIsRefused() throws Exception {
    GatewayClient client = connect("/ws/0");
    // a small answer is text
    client.send(create("corr-small", new JsonObject()));
    GatewayClient.Frame small = client.nextOfType(CREATED);
    assertEquals(small.envelope().encode().length() >= 512, small.compressed());

    // a request compressed by the reference zstd is accepted; its answer (over 512 bytes) comes back compressed
    String big = "x".repeat(4_000);
    client.sendBinary(GatewayClient.compress(create("corr-zstd", new JsonObject().put("slug", big)).encode()));
    GatewayClient.Frame answer = client.nextOfType(CREATED);
    assertTrue(answer.compressed(), "an answer of 512 bytes or more is a binary zstd: frame");
    assertEquals("corr-zstd", answer.envelope().getString("correlation_id"));
    assertEquals(big, answer.envelope().getJsonObject("payload").getJsonObject("data").getJsonObject("echo")
      .getString("slug"));

    // a bomb: 3 MB of zeros in a few hundred bytes, over the 2 MB frame limit once inflated
    byte[] zeros = new byte[3 * 1024 * 1024];
    byte[] bomb = Zstd.compress(zeros);
    assertTrue(bomb.length < 1024, "the bomb is small: " + bomb.length);
    client.sendBinary(GatewayClient.compress(zeros));
    assertError(client.next(f -> f.type().startsWith("error:")), "error:validation_error", "frame_too_large");
    // and garbage after the prefix is a parse error
    client.sendBinary(io.vertx.core.buffer.Buffer.buffer("zstd:not zstd at all"));
    assertError(client.next(f -> f.type().startsWith("error:")), "error:parse_error", "parse_error");
    client.send(create("corr-still", new JsonObject()));
    assertEquals("corr-still", client.nextOfType(CREATED).envelope().getString("correlation_id"));
    client.close();
  }

  @Test
  void aSecondConnectionOfTheSameUserAndCampaignClosesTheFirst() throws Exception {
    String token = tokens.issue("alice", List.of(), List.of());
    GatewayClient first = GatewayClient.connect(vertx, server.port(), "/ws/c1/alice", "Bearer " + token);
    GatewayClient second = GatewayClient.connect(vertx, server.port(), "/ws/c1/alice", "Bearer " + token);
    assertEquals((short) 1000, first.awaitClose());
    assertTrue(first.drainReceived().stream().noneMatch(f -> f.type().equals("campaign:switch:required")));
    second.send(create("corr-second", new JsonObject()));
    assertEquals("alice", Event.fromJson(second.nextOfType(CREATED).envelope()).userId());
    assertFalse(second.closed.isDone());
    second.close();
  }

  @Test
  void connectingUnderAnotherCampaignTellsTheOldConnectionThenClosesIt() throws Exception {
    String token = tokens.issue("alice", List.of(), List.of());
    GatewayClient old = GatewayClient.connect(vertx, server.port(), "/ws/c1/alice?token=" + token);
    GatewayClient now = GatewayClient.connect(vertx, server.port(), "/ws/c2/alice?token=" + token);
    GatewayClient.Frame sw = old.nextOfType("campaign:switch:required");
    JsonObject payload = sw.envelope().getJsonObject("payload");
    assertEquals("c1", payload.getString("old_campaign_id"));
    assertEquals("c2", payload.getString("new_campaign_id"));
    assertTrue(payload.getString("reason").contains("c2"));
    assertEquals((short) 1000, old.awaitClose());
    // the new connection receives its campaign
    server.nexus.publish(Event.builder("feed:post_news:v1:success").globalContext("campaign_id", "c2").build());
    now.nextOfType("feed:post_news:v1:success");
    now.close();
  }

  @Test
  void aSilentSocketIsClosedAtTheReadDeadline() throws Exception {
    GatewayClient client = connect("/ws-idle/0");
    assertEquals((short) 1001, client.awaitClose());
  }

  @Test
  void aUserThatIsNotAGuestMustPresentItsOwnToken() throws Exception {
    assertRejected("/ws/0/alice", null, 401);
    assertRejected("/ws/0/alice", "Bearer " + tokens.issue("bob", List.of(), List.of()), 403);
    assertRejected("/ws/0/alice", "Bearer not.a.jwt", 401);
    assertRejected("/ws/0/alice?token=forged." + "x".repeat(20), null, 401);
    String expired = tokens.issue(new JsonObject().put("sub", "alice")
      .put("exp", System.currentTimeMillis() / 1000 - 60));
    assertRejected("/ws/0/alice", "Bearer " + expired, 401);
    // with its own token, in the header or the query, it is in
    GatewayClient header = GatewayClient.connect(vertx, server.port(), "/ws/0/alice",
      "Bearer " + tokens.issue("alice", List.of(), List.of()));
    header.send(create("corr-alice", new JsonObject()));
    assertEquals("alice", Event.fromJson(header.nextOfType(CREATED).envelope()).userId());
    GatewayClient query = GatewayClient.connect(vertx, server.port(), "/ws/0/bob?token="
      + tokens.issue("bob", List.of(), List.of()));
    query.send(create("corr-bob", new JsonObject()));
    assertEquals("bob", Event.fromJson(query.nextOfType(CREATED).envelope()).userId());
    header.close();
    query.close();
  }

  private void assertRejected(String uri, String authorization, int status) {
    ExecutionException e = assertThrows(ExecutionException.class,
      () -> GatewayClient.connect(vertx, server.port(), uri, authorization));
    UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, e.getCause());
    assertEquals(status, rejected.getStatus(), uri);
  }
}
