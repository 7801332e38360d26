package io.inos.adapters.sockjs;

import io.inos.adapters.DoorsServer;
import io.inos.adapters.WebDoorsOptions;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.GuestIds;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SockJS event-bus bridge over its raw WebSocket transport, with real sockets and the test campaign service. */
@ExtendWith(VertxExtension.class)
class BrowserBridgeTest {

  private static final String CREATE = "campaign:create_campaign:v1:requested";

  private DoorsServer server;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    // pings are the JS client's job; these tests speak frames by hand, so the idle limit is out of the way
    server = DoorsServer.start(vertx, new WebDoorsOptions()
      .setSockJS(new BrowserBridgeOptions().setPingTimeoutMs(60_000))
      .setBridge(new BridgeOptions().setRequestTimeoutMs(2_000)));
  }

  private BrowserBridge bridge() {
    return server.doors.sockJS();
  }

  @Test
  void sendWithReplyGetsTheSuccessEventAndStartedArrivesOnTheGuestsOwnAddress() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    String guest = GuestIds.newGuestId();
    // WHEN
    client.register("user:" + guest, guest);
    client.request(CREATE, new JsonObject().put("correlation_id", "corr-sock-1")
      .put("payload", new JsonObject().put("data", new JsonObject().put("slug", "ovasabi"))), "reply-1", guest);
    // THEN the started event reaches the guest's own address, and the reply comes (the two travel different paths:
    // either may come first)
    JsonObject started = null;
    JsonObject reply = null;
    while (started == null || reply == null) {
      JsonObject frame = client.next();
      if ("reply-1".equals(frame.getString("address"))) {
        reply = frame;
      } else if (("user:" + guest).equals(frame.getString("address"))
        && frame.getJsonObject("body").getString("type").endsWith(":started")) {
        started = frame;
      }
    }
    assertEquals("rec", started.getString("type"));
    assertEquals("corr-sock-1", started.getJsonObject("body").getString("correlation_id"));
    // and the reply carries the success event with the same correlation id
    assertEquals("rec", reply.getString("type"));
    Event success = Event.fromJson(reply.getJsonObject("body"));
    assertEquals("campaign:create_campaign:v1:success", success.type().toString());
    assertEquals("corr-sock-1", success.correlationId());
    assertEquals(guest, success.userId());
    assertEquals("ovasabi", success.data().getJsonObject("echo").getString("slug"));
    assertEquals("OK", reply.getJsonObject("headers").getString("inos-outcome"));
    assertEquals(guest, reply.getJsonObject("headers").getString("inos-guest-id"));
    client.close();
  }

  @Test
  void aGuestWithoutAProposedIdGetsOneAndMayOnlyActAsItself() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    client.request(CREATE, new JsonObject().put("metadata", new JsonObject().put("global_context",
      new JsonObject().put("user_id", "admin"))), "reply-2", null);
    JsonObject reply = client.nextAt("reply-2");
    String guest = reply.getJsonObject("headers").getString("inos-guest-id");
    assertTrue(GuestIds.isGuestId(guest), guest);
    Event success = Event.fromJson(reply.getJsonObject("body"));
    assertEquals(guest, success.userId());
    assertEquals(guest, success.data().getString("user_id"), "the service saw the guest, not 'admin'");

    // a frame naming another guest is refused; the connection keeps its identity
    client.register("user:" + guest, GuestIds.newGuestId());
    JsonObject refused = client.next();
    assertEquals("err", refused.getString("type"));
    assertEquals("access_denied", refused.getString("body"));
    client.close();
  }

  @Test
  void refusalsAreErrFramesAndTheSocketKeepsWorking() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    String guest = GuestIds.newGuestId();

    client.register("user:" + GuestIds.newGuestId(), guest);
    assertErr(client.next(), "access_denied", "not permitted");
    client.register(CREATE, guest);
    assertErr(client.next(), "access_denied", "not permitted");
    client.register("system", guest);
    client.register("system", guest);
    assertErr(client.next(), "address_already_registered", "already subscribed to 'system'");

    // a refused send with a reply address answers at the reply address, so the JS callback fires
    client.request("content:create_content:v1:requested", new JsonObject(), "reply-denied", guest);
    JsonObject denied = client.nextAt("reply-denied");
    assertEquals("err", denied.getString("type"));
    assertEquals("access_denied", denied.getString("body"));
    assertEquals(7, denied.getInteger("failureCode"));
    assertEquals("PERMISSION_DENIED", denied.getString("failureType"));
    assertTrue(denied.getString("message").contains("content:create_content:v1:requested"));

    client.sendText("{\"type\": \"send\", ");
    assertErr(client.next(), "invalid_json", "not a JSON object");
    client.sendText("[1, 2]");
    assertErr(client.next(), "invalid_json", "not a JSON object");
    client.send(new JsonObject().put("type", "teleport").put("address", "system"));
    assertErr(client.next(), "invalid_type", "unknown frame type 'teleport'");
    client.send(new JsonObject().put("address", "system"));
    assertErr(client.next(), "missing_type", "no 'type'");
    client.send(new JsonObject().put("type", "register"));
    assertErr(client.next(), "missing_address", "no 'address'");
    client.send(new JsonObject().put("type", "send").put("address", CREATE).put("body", "hello"));
    assertErr(client.next(), "invalid_event", "must be an event envelope");
    client.send(new JsonObject().put("type", "send").put("address", CREATE)
      .put("body", new JsonObject().put("type", "campaign:other:v1:requested")));
    assertErr(client.next(), "invalid_event", "is not the address");
    client.send(new JsonObject().put("type", "publish").put("address", CREATE).put("body", new JsonObject()));
    assertErr(client.next(), "invalid_event", "use send, not publish");
    client.send(new JsonObject().put("type", "send").put("address", "x".repeat(300)).put("body", new JsonObject()));
    assertErr(client.next(), "max_address_length_reached", "longer than");

    // still serving this socket
    JsonObject reply = client.roundTrip(guest);
    assertEquals("campaign:create_campaign:v1:success", reply.getJsonObject("body").getString("type"));
    client.close();
  }

  @Test
  void aRequestNobodyCanAnswerGetsAFailedEventWithItsCode() throws Exception {
    BridgeClient client = BridgeClient.connect(vertx, server.port());
    client.request("campaign:explode:v1:requested", new JsonObject().put("correlation_id", "corr-x"), "reply-3", null);
    JsonObject reply = client.nextAt("reply-3");
    assertEquals("rec", reply.getString("type"));
    JsonObject failed = reply.getJsonObject("body");
    assertEquals("campaign:explode:v1:failed", failed.getString("type"));
    assertEquals("corr-x", failed.getString("correlation_id"));
    assertEquals("UNIMPLEMENTED", failed.getJsonObject("payload").getString("code"));
    assertEquals("UNIMPLEMENTED", reply.getJsonObject("headers").getString("inos-outcome"));

    client.request("campaign:fail:v1:requested", new JsonObject(), "reply-4", null);
    JsonObject refused = client.nextAt("reply-4");
    assertEquals("ALREADY_EXISTS", refused.getJsonObject("headers").getString("inos-outcome"));
    client.close();
  }

  @Test
  void oneBusConsumerPerAddressPerNodeWhateverTheNumberOfSockets() throws Exception {
    BridgeClient a = BridgeClient.connect(vertx, server.port());
    BridgeClient b = BridgeClient.connect(vertx, server.port());
    String guestA = GuestIds.newGuestId();
    String guestB = GuestIds.newGuestId();
    a.register("campaign:7", guestA);
    b.register("campaign:7", guestB);
    a.roundTrip(guestA);
    b.roundTrip(guestB);
    assertEquals(1, bridge().busConsumers());
    assertEquals(2, bridge().subscribers("campaign:7"));

    // WHEN one event is published to the campaign
    server.nexus.publish(campaignEvent("first"));
    server.nexus.publish(campaignEvent("second"));
    // THEN each socket gets it once, as the event's wire envelope
    for (BridgeClient client : new BridgeClient[] {a, b}) {
      JsonObject first = client.nextAt("campaign:7");
      assertEquals("campaign:announce:v1:completed", first.getJsonObject("body").getString("type"));
      assertEquals("first", first.getJsonObject("body").getJsonObject("payload").getJsonObject("data")
        .getString("n"));
      JsonObject second = client.nextAt("campaign:7");
      assertEquals("second", second.getJsonObject("body").getJsonObject("payload").getJsonObject("data")
        .getString("n"), "no duplicate of the first delivery");
    }

    // the last socket out unregisters the consumer
    a.close();
    awaitValue(1, () -> bridge().subscribers("campaign:7"));
    assertEquals(1, bridge().busConsumers());
    b.send(new JsonObject().put("type", "unregister").put("address", "campaign:7"));
    awaitValue(0, () -> bridge().busConsumers());
    b.close();
    awaitValue(0, () -> bridge().connectedSockets());
  }

  @Test
  void aSilentSocketIsClosedAfterThePingTimeout(Vertx vertx) throws Exception {
    DoorsServer quick = DoorsServer.start(vertx, new WebDoorsOptions()
      .setSockJS(new BrowserBridgeOptions().setPingTimeoutMs(300)));
    BridgeClient pinging = BridgeClient.connect(vertx, quick.port());
    BridgeClient silent = BridgeClient.connect(vertx, quick.port());
    long periodic = vertx.setPeriodic(100, id -> pinging.send(new JsonObject().put("type", "ping")));
    silent.closed.get(10, TimeUnit.SECONDS);
    assertNotEquals(true, pinging.closed.isDone(), "a socket that pings stays open");
    vertx.cancelTimer(periodic);
  }

  private static Event campaignEvent(String n) {
    return Event.builder("campaign:announce:v1:completed").globalContext("campaign_id", "7")
      .data(new JsonObject().put("n", n)).build();
  }

  private static void assertErr(JsonObject frame, String code, String messagePart) {
    assertEquals("err", frame.getString("type"), frame.encode());
    assertEquals(code, frame.getString("body"), frame.encode());
    assertTrue(frame.getString("message").contains(messagePart), frame.encode());
  }

  private static void awaitValue(int expected, IntSupplier actual) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (actual.getAsInt() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(expected, actual.getAsInt());
  }
}
