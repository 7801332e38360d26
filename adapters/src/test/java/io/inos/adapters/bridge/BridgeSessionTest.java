package io.inos.adapters.bridge;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter SPI with no protocol at all: sessions on their own event-loop contexts, a recording sink, the real
 * event bus. What every protocol gets from the bridge: encode-once fan-out, bounded queues and their policies, rate
 * limits, refusals and counters.
 */
@ExtendWith(VertxExtension.class)
class BridgeSessionTest {

  private static final String SECRET = "a-test-secret-of-at-least-32-characters!";

  private Vertx vertx;
  private Nexus nexus;
  private SimpleMeterRegistry registry;
  private Bridge bridge;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.nexus = Nexus.create(vertx);
    this.registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() throws Exception {
    if (bridge != null) {
      await(bridge.close());
    }
  }

  private Bridge bridge(BridgeOptions options) {
    bridge = Bridge.create(vertx, nexus, options.setTokens(new TokenOptions().setKey(SECRET))
      .setMeterRegistry(registry));
    return bridge;
  }

  @Test
  void oneDeliveryPerMessageAndAddressIsSharedByEverySessionAndEncodedOnce() throws Exception {
    bridge(new BridgeOptions().setRules(new JsonObject().put("publicAddresses", List.of("system", "feed:*"))));
    // two sessions on two event loops, as two connections would be
    Opened a = open(vertx.getOrCreateContext(), "alice");
    Opened b = open(vertx.getOrCreateContext(), "bob");
    onContext(a.context, () -> a.session.subscribe("feed:news"));
    onContext(b.context, () -> b.session.subscribe("feed:news"));
    assertEquals(1, bridge.addresses(), "one event-bus consumer for the two sessions");

    // WHEN one message is published
    vertx.eventBus().publish("feed:news", new JsonObject().put("headline", "INOS ships"));

    // THEN both sessions get the same delivery, and a protocol's frame is built once for both
    Delivery toA = a.sink.await(Delivery.class, d -> true);
    Delivery toB = b.sink.await(Delivery.class, d -> true);
    assertSame(toA, toB);
    AtomicInteger encodings = new AtomicInteger();
    Delivery.Form<String> frame = Delivery.Form.of("test-frame", d -> {
      encodings.incrementAndGet();
      return "<" + d.json() + ">";
    });
    assertSame(toA.encoded(frame), toB.encoded(frame));
    assertEquals(1, encodings.get());
    assertEquals("{\"headline\":\"INOS ships\"}", toA.json());
    assertEquals(2, bridge.stats().deliveries());
  }

  @Test
  void anEventsDeliveriesAtItsTypeAndAtItsScopeShareOneJsonText() throws Exception {
    bridge(new BridgeOptions().setRules(new JsonObject()
      .put("outboundPermitteds", List.of(new JsonObject().put("address", "campaign:announce:v1:completed")))));
    Opened a = open(vertx.getOrCreateContext(), "alice");
    onContext(a.context, () -> a.session.subscribe("campaign:announce:v1:completed"));
    onContext(a.context, () -> a.session.subscribe("user:alice"));

    nexus.publish(Event.builder("campaign:announce:v1:completed").globalContext("user_id", "alice")
      .data(new JsonObject().put("n", 1)).build());

    Delivery atType = a.sink.await(Delivery.class, d -> d.address().startsWith("campaign:"));
    Delivery atScope = a.sink.await(Delivery.class, d -> d.address().equals("user:alice"));
    assertNotSame(atType, atScope);
    assertSame(atType.json(), atScope.json(), "the event was encoded once for its two addresses");
    assertEquals("alice", atScope.event().userId());
  }

  @Test
  void aFullQueueDropsTheOldestAndTellsHowManyOnceTheClientReadsAgain() throws Exception {
    bridge(new BridgeOptions().setMaxQueuedMessages(5)
      .setRules(new JsonObject().put("publicAddresses", List.of("feed:*"))));
    Opened slow = open(vertx.getOrCreateContext(), "alice");
    onContext(slow.context, () -> slow.session.subscribe("feed:news"));
    slow.sink.writable = false;

    // WHEN 20 messages come while the transport takes nothing
    for (int i = 0; i < 20; i++) {
      vertx.eventBus().publish("feed:news", new JsonObject().put("n", i));
    }
    awaitTrue(() -> bridge.stats().dropped() == 15);

    // THEN the queue held 5 at most, the 15 oldest were dropped and counted
    BridgeStats stats = bridge.stats();
    assertEquals(5, stats.queuedHighWater());
    assertEquals(5, stats.queued());
    assertEquals(15.0, registry.get("inos.bridge.dropped").functionCounter().count());
    assertEquals(5.0, registry.get("inos.bridge.queued.high.water").gauge().value());
    assertTrue(slow.sink.written.isEmpty());

    // and once it drains: first the notice with the count, then the 5 newest, in order
    onContext(slow.context, () -> {
      slow.sink.drain();
      return Future.succeededFuture();
    });
    BridgeNotice notice = assertInstanceOf(BridgeNotice.class, slow.sink.written.get(0));
    assertEquals(BridgeNotice.Kind.DROPPED, notice.kind());
    assertEquals(15, notice.count());
    List<Delivery> delivered = slow.sink.deliveries();
    assertEquals(5, delivered.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(15 + i, delivered.get(i).jsonObject().getInteger("n"));
    }
    assertEquals(0, bridge.stats().queued());
  }

  @Test
  void underDisconnectAFullQueueClosesTheSession() throws Exception {
    bridge(new BridgeOptions().setMaxQueuedMessages(5).setSlowConsumerPolicy(SlowConsumerPolicy.DISCONNECT)
      .setRules(new JsonObject().put("publicAddresses", List.of("feed:*"))));
    Opened slow = open(vertx.getOrCreateContext(), "alice");
    Opened fast = open(vertx.getOrCreateContext(), "bob");
    onContext(slow.context, () -> slow.session.subscribe("feed:news"));
    onContext(fast.context, () -> fast.session.subscribe("feed:news"));
    slow.sink.writable = false;

    for (int i = 0; i < 10; i++) {
      vertx.eventBus().publish("feed:news", new JsonObject().put("n", i));
    }
    awaitTrue(() -> slow.sink.closedWith != null);
    assertEquals(BridgeError.SLOW_CONSUMER, slow.sink.closedWith);
    assertTrue(slow.session.isClosed());
    assertEquals(1, bridge.stats().slowDisconnects());
    awaitTrue(() -> bridge.subscribers("feed:news") == 1);
    // the reader that keeps up is unaffected
    awaitTrue(() -> fast.sink.deliveries().size() == 10);
  }

  @Test
  void refusalsAreTypedAndTheSessionKeepsWorking() throws Exception {
    bridge(new BridgeOptions().setMaxSubscriptionsPerSession(2).setMaxInboundPerSecond(1_000)
      .setRules(new JsonObject().put("publicAddresses", List.of("feed:*"))));
    Context context = vertx.getOrCreateContext();
    RecordingSink sink = new RecordingSink();
    BridgeSession session = onContext(context, () -> Future.succeededFuture(bridge.open(sink, "test")));

    assertRefused(BridgeError.NOT_AUTHENTICATED, onContextFailure(context, () -> session.subscribe("feed:a")));
    onContext(context, () -> session.authenticate(BridgeCredentials.guest()));
    assertTrue(GuestIds.isGuestId(session.identity().userId()));
    onContext(context, () -> session.subscribe("feed:a"));
    assertRefused(BridgeError.ALREADY_SUBSCRIBED, onContextFailure(context, () -> session.subscribe("feed:a")));
    onContext(context, () -> session.subscribe("feed:b"));
    assertRefused(BridgeError.TOO_MANY_SUBSCRIPTIONS, onContextFailure(context, () -> session.subscribe("feed:c")));
    assertRefused(BridgeError.ACCESS_DENIED, onContextFailure(context, () -> session.subscribe("user:someone")));
    assertRefused(BridgeError.ADDRESS_TOO_LONG, onContextFailure(context, () -> session.subscribe("feed:"
      + "x".repeat(300))));
    assertRefused(BridgeError.INVALID_EVENT, onContextFailure(context, () -> session.publish(
      "campaign:create_campaign:v1:requested", new JsonObject())));
    assertRefused(BridgeError.INVALID_TOKEN, onContextFailure(context, () -> session.authenticate(
      BridgeCredentials.bearer("not.a.token"))));
    assertEquals(2, bridge.stats().denied() + bridge.stats().invalidTokens(), "one denial, one bad token");

    // a request nobody serves still answers, with a :failed event the bridge makes
    Event answer = onContext(context, () -> session.request("campaign:create_campaign:v1:requested",
      new JsonObject().put("correlation_id", "c-1")));
    assertEquals("campaign:create_campaign:v1:failed", answer.type().toString());
    assertEquals("c-1", answer.correlationId());
    assertEquals(session.identity().userId(), answer.userId());
    onContext(context, session::close);
    assertEquals(0, bridge.stats().sessions());
    assertEquals(0, bridge.stats().subscriptions());
    awaitTrue(() -> bridge.addresses() == 0);
  }

  @Test
  void overTheRateLimitOperationsAreRefusedAndCounted() throws Exception {
    bridge(new BridgeOptions().setMaxInboundPerSecond(10));
    Opened a = open(vertx.getOrCreateContext(), "alice");
    int refused = onContext(a.context, () -> {
      int n = 0;
      for (int i = 0; i < 200; i++) {
        if (!a.session.admit()) {
          n++;
        }
      }
      return Future.succeededFuture(n);
    });
    assertTrue(refused >= 150, "a bucket of 10 cannot let 200 through at once: " + refused);
    assertEquals(refused, bridge.stats().rateLimited());
    assertRefused(BridgeError.RATE_LIMIT_EXCEEDED, onContextFailure(a.context, () -> a.session.subscribe("system")));
  }

  @Test
  void guestsCanBeTurnedAway() throws Exception {
    bridge(new BridgeOptions().setAllowGuests(false));
    Context context = vertx.getOrCreateContext();
    Throwable failure = onContextFailure(context, () -> bridge.open(BridgeCredentials.guest(), new RecordingSink(),
      "test"));
    assertRefused(BridgeError.NOT_AUTHENTICATED, failure);
    assertEquals(0, bridge.stats().sessions(), "the refused session is closed");
  }

  @Test
  void metersAreInTheRegistryAndLeaveWithTheBridge() throws Exception {
    bridge(new BridgeOptions());
    Opened a = open(vertx.getOrCreateContext(), "alice");
    onContext(a.context, () -> a.session.subscribe("user:alice"));
    assertEquals(1.0, registry.get("inos.bridge.sessions").gauge().value());
    assertEquals(1.0, registry.get("inos.bridge.subscriptions").gauge().value());
    assertEquals(1.0, registry.get("inos.bridge.addresses").gauge().value());
    await(bridge.close());
    bridge = null;
    assertTrue(registry.find("inos.bridge.sessions").meters().isEmpty());
  }

  // --- helpers

  @Test
  void manySessionsOnOneAddressAcrossEventLoopsEachGetEveryMessageOnceAsTheyComeAndGo() throws Exception {
    bridge(new BridgeOptions().setRules(new JsonObject().put("publicAddresses", List.of("feed:*"))));
    // 20 sessions on 2 event loops: each loop's group outgrows the small array and shrinks again
    Context[] loops = {vertx.getOrCreateContext(), vertx.getOrCreateContext()};
    List<Opened> opened = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Opened o = open(loops[i % 2], "user" + i);
      onContext(o.context, () -> o.session.subscribe("feed:crowd"));
      opened.add(o);
    }
    assertEquals(20, bridge.subscribers("feed:crowd"));
    vertx.eventBus().publish("feed:crowd", new JsonObject().put("n", 1));
    for (Opened o : opened) {
      o.sink.await(Delivery.class, d -> ((JsonObject) d.body()).getInteger("n") == 1);
    }
    // 17 leave, in an order that empties the first loop's group before the other's
    for (int i = 0; i < 20; i++) {
      if (i == 1 || i == 4 || i == 13) {
        continue;
      }
      Opened o = opened.get(i);
      onContext(o.context, () -> o.session.unsubscribe("feed:crowd"));
    }
    // unsubscribing completes for the session at once; the node's table follows on its own context
    awaitTrue(() -> bridge.subscribers("feed:crowd") == 3);
    vertx.eventBus().publish("feed:crowd", new JsonObject().put("n", 2));
    for (int i : new int[] {1, 4, 13}) {
      opened.get(i).sink.await(Delivery.class, d -> ((JsonObject) d.body()).getInteger("n") == 2);
    }
    vertx.eventBus().publish("feed:crowd", new JsonObject().put("n", 3));
    for (int i : new int[] {1, 4, 13}) {
      opened.get(i).sink.await(Delivery.class, d -> ((JsonObject) d.body()).getInteger("n") == 3);
    }
    for (Opened o : opened) {
      long twos = o.sink.deliveries().stream().filter(d -> ((JsonObject) d.body()).getInteger("n") == 2).count();
      assertEquals(o == opened.get(1) || o == opened.get(4) || o == opened.get(13) ? 1 : 0, twos,
        "each remaining session once, the others never");
    }
    for (int i : new int[] {1, 4, 13}) {
      Opened o = opened.get(i);
      onContext(o.context, () -> o.session.unsubscribe("feed:crowd"));
    }
    awaitTrue(() -> bridge.addresses() == 0); // the last one out unregistered the consumer
  }

  private record Opened(Context context, BridgeSession session, RecordingSink sink) {
  }

  private Opened open(Context context, String user) throws Exception {
    RecordingSink sink = new RecordingSink();
    String token = bridge.tokenIssuer().issue(user, List.of(), List.of());
    BridgeSession session = onContext(context, () -> bridge.open(BridgeCredentials.bearer(token), sink, "test"));
    return new Opened(context, session, sink);
  }

  private static <T> T onContext(Context context, Supplier<Future<T>> action) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return await(promise.future());
  }

  private static Throwable onContextFailure(Context context, Supplier<Future<?>> action) throws Exception {
    Promise<Throwable> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(ar -> promise.complete(ar.failed() ? ar.cause() : null)));
    Throwable failure = await(promise.future());
    assertTrue(failure != null, "expected a refusal");
    return failure;
  }

  private static void assertRefused(BridgeError expected, Throwable failure) {
    BridgeException refusal = assertInstanceOf(BridgeException.class, failure);
    assertEquals(expected, refusal.error(), refusal.toString());
    assertFalse(refusal.getMessage().isEmpty());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
  }
}
