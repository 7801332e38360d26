package io.inos.adapters.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.ServiceDefinition;
import io.inos.testing.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.amqp.Rabbit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AMQP adapter deployed alone into a plain Vert.x application, against the machine's RabbitMQ, with Debian's
 * amqp-tools (librabbitmq, a C client) and RabbitMQ's Java client on the other side.
 */
class AmqpAdapterTest {

  private static final String ORDER = "shop:place_order:v1:success";
  private static final String NOTE = "shop:note:v1:completed";
  private static final String ORDER_REQUESTED = "shop:place_order:v1:requested";

  private Vertx vertx;
  private Rabbit rabbit;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    rabbit = new Rabbit();
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      await(vertx.close());
    } finally {
      rabbit.close();
    }
  }

  /** Events of {@code address} on the event bus, in arrival order. */
  private BlockingQueue<Event> listen(String address) throws Exception {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    await(vertx.eventBus().<Event>consumer(address, m -> events.add(m.body())).completion());
    return events;
  }

  private static Event next(BlockingQueue<Event> events) throws InterruptedException {
    Event e = events.poll(15, TimeUnit.SECONDS);
    assertNotNull(e, "no event within 15 s");
    return e;
  }

  @Test
  void anEnvelopeFromAmqpPublishBecomesANexusEventAndIsAcknowledged() throws Exception {
    String exchange = rabbit.exchange("in");
    String queue = rabbit.queue("in");
    // no Nexus given: the verticle makes its own, as an embedder's application would let it
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(new AmqpAdapterOptions().setUri(Rabbit.URI)
      .addBinding(AmqpBinding.in(exchange, "shop.#", queue).setEventType(NOTE)));
    BlockingQueue<Event> orders = listen(ORDER);
    BlockingQueue<Event> notes = listen(NOTE);
    await(vertx.deployVerticle(verticle));
    assertNotNull(verticle.nexus());
    assertTrue(verticle.isConnected());

    JsonObject envelope = Event.builder(ORDER).id("order-42").correlationId("corr-42").source("erp")
      .data(new JsonObject().put("order", 42)).build().toJson();
    Rabbit.amqpPublish(exchange, "shop.orders", "application/json", envelope.encode());
    Event order = next(orders);
    assertEquals("order-42", order.id());
    assertEquals("corr-42", order.correlationId());
    assertEquals("erp", order.source());
    assertEquals(42, order.data().getInteger("order"));

    // a body that is no envelope: wrapped as the data of the binding's default type
    Rabbit.amqpPublish(exchange, "shop.notes", null, "{\"text\":\"hello\"}");
    Event note = next(notes);
    assertEquals(NOTE, note.type().toString());
    assertEquals("hello", note.data().getString("text"));
    assertEquals("amqp", note.source());
    assertEquals(exchange, note.metadata().getJsonObject("amqp").getString("exchange"));
    assertEquals("shop.notes", note.metadata().getJsonObject("amqp").getString("routing_key"));

    // the AMQP type property names the type; message-id and correlation-id become the event's
    rabbit.publish(exchange, "shop.orders", new AMQP.BasicProperties.Builder().type(ORDER).messageId("m-7")
      .correlationId("c-7").build(), "[1,2]".getBytes(StandardCharsets.UTF_8));
    Event typed = next(orders);
    assertEquals("m-7", typed.id());
    assertEquals("c-7", typed.correlationId());
    assertEquals(2, typed.data().getJsonArray("value").size());

    Rabbit.until(vertx, Duration.ofSeconds(10), "3 acknowledgements", () -> verticle.stats().acks() == 3);
    assertEquals(0, rabbit.readyCount(queue));
    assertEquals(3, verticle.stats().messagesIn());
    assertEquals(3, verticle.stats().published());
  }

  @Test
  void nexusEventsReachAQueueReadByAmqpConsumeWithTheirProperties() throws Exception {
    String exchange = rabbit.exchange("out");
    String cliQueue = rabbit.queue("cli");
    String javaQueue = rabbit.queue("java");
    rabbit.declareBound(cliQueue, exchange, "topic", "shop.#");
    rabbit.declareBound(javaQueue, exchange, "topic", "#");
    Nexus nexus = Nexus.create(vertx);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, new AmqpAdapterOptions().setUri(Rabbit.URI)
      .setMeterRegistry(registry)
      .addBinding(AmqpBinding.out(ORDER, exchange, "shop.orders"))
      .addBinding(AmqpBinding.out("news", exchange, null)));
    await(vertx.deployVerticle(verticle));
    BlockingQueue<Delivery> java = rabbit.consume(javaQueue);

    Event order = Event.builder(ORDER).correlationId("corr-1").data(new JsonObject().put("order", 1)).build();
    nexus.publish(order);
    List<String> bodies = Rabbit.amqpConsume(cliQueue, 1);
    assertEquals(1, bodies.size());
    JsonObject received = new JsonObject(bodies.get(0));
    assertEquals(order.toJson(), received, "the canonical envelope, as the Nexus has it");

    Delivery delivery = java.poll(15, TimeUnit.SECONDS);
    assertNotNull(delivery);
    assertEquals("application/json", delivery.getProperties().getContentType());
    assertEquals(order.id(), delivery.getProperties().getMessageId());
    assertEquals("corr-1", delivery.getProperties().getCorrelationId());
    assertEquals(ORDER, delivery.getProperties().getType());
    assertEquals(ORDER, String.valueOf(delivery.getProperties().getHeaders().get("x-inos-type")));
    assertEquals(2, delivery.getProperties().getDeliveryMode());
    assertEquals("shop.orders", delivery.getEnvelope().getRoutingKey());

    // without a routing key the event type routes; any event-bus address can be bound, here as a JSON body
    vertx.eventBus().publish("news", Event.builder(NOTE).data(new JsonObject().put("n", 1)).build().toJson());
    Delivery news = java.poll(15, TimeUnit.SECONDS);
    assertNotNull(news);
    assertEquals(NOTE, news.getEnvelope().getRoutingKey());
    // a message that is no event is dropped and counted, and the flow goes on
    vertx.eventBus().publish("news", "not an event");
    nexus.publish(Event.builder(ORDER).id("after").build());
    Delivery after = java.poll(15, TimeUnit.SECONDS);
    assertNotNull(after);
    assertEquals("after", after.getProperties().getMessageId());

    Rabbit.until(vertx, Duration.ofSeconds(10), "3 confirms", () -> verticle.stats().messagesOut() == 3);
    assertEquals(1, verticle.stats().outboundDropped());
    assertEquals(0, verticle.stats().outboundHeld());
    assertEquals(3.0, registry.get("inos.amqp.messages.out").functionCounter().count());
    assertEquals(1.0, registry.get("inos.amqp.outbound.dropped").functionCounter().count());
    assertEquals(1.0, registry.get("inos.amqp.connected").gauge().value());
  }

  @Test
  void poisonMessagesAreDeadLetteredWithTheReasonAndTheFlowContinues() throws Exception {
    String exchange = rabbit.exchange("poison");
    String queue = rabbit.queue("poison");
    String dlx = rabbit.exchange("dlx");
    String dlq = rabbit.queue("dlq");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Nexus nexus = Nexus.create(vertx);
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, new AmqpAdapterOptions().setUri(Rabbit.URI)
      .setDeadLetterExchange(dlx).setMaxMessageBytes(512).setMeterRegistry(registry)
      .addBinding(AmqpBinding.in(exchange, "#", queue)));
    await(vertx.deployVerticle(verticle));
    // the adapter declared the dead-letter exchange (fanout); a queue of ours collects what lands there
    rabbit.declareBound(dlq, dlx, "fanout", "");
    BlockingQueue<Delivery> dead = rabbit.consume(dlq);
    BlockingQueue<Event> orders = listen(ORDER);

    Rabbit.amqpPublish(exchange, "k", "application/json", Event.builder(ORDER).id("good-1").build().toJson().encode());
    String large = Event.builder(ORDER).id("large").data(new JsonObject().put("pad", "x".repeat(600))).build()
      .toJson().encode();
    Rabbit.amqpPublish(exchange, "k", "application/json", large);
    Rabbit.amqpPublish(exchange, "k", "application/json", "{\"type\": \"" + ORDER + "\", ");
    Rabbit.amqpPublish(exchange, "k", "application/json", "{\"type\":\"Shop Order\",\"id\":\"bad-type\"}");
    Rabbit.amqpPublish(exchange, "k", "application/json", "{\"no\":\"type\"}");
    Rabbit.amqpPublish(exchange, "k", "application/json", Event.builder(ORDER).id("good-2").build().toJson().encode());

    assertEquals("good-1", next(orders).id());
    assertEquals("good-2", next(orders).id());
    assertNull(orders.poll(200, TimeUnit.MILLISECONDS), "only the good messages reach the Nexus");

    Map<String, String> reasons = new java.util.HashMap<>();
    for (int i = 0; i < 4; i++) {
      Delivery d = dead.poll(15, TimeUnit.SECONDS);
      assertNotNull(d, "dead letter " + i);
      Map<String, Object> headers = d.getProperties().getHeaders();
      assertEquals(queue, String.valueOf(headers.get("x-inos-queue")));
      assertEquals(exchange, String.valueOf(headers.get("x-inos-original-exchange")));
      assertEquals(queue, d.getEnvelope().getRoutingKey());
      reasons.put(String.valueOf(headers.get("x-inos-reason")), new String(d.getBody(), StandardCharsets.UTF_8));
      assertTrue(String.valueOf(headers.get("x-inos-reason-detail")).length() > 5);
    }
    assertEquals(large, reasons.get("too_large"), "the body is kept as it was");
    assertTrue(reasons.get("bad_json").startsWith("{\"type\""));
    assertTrue(reasons.get("bad_type").contains("bad-type"));
    assertEquals("{\"no\":\"type\"}", reasons.get("no_type"));

    Rabbit.until(vertx, Duration.ofSeconds(10), "every message acknowledged", () -> verticle.stats().acks() == 6);
    assertEquals(0, rabbit.readyCount(queue));
    AmqpAdapterStats stats = verticle.stats();
    assertEquals(4, stats.deadLetteredTotal());
    assertEquals(1, stats.deadLettered().get("bad_json"));
    assertEquals(1.0, registry.get("inos.amqp.dead.lettered").tag("reason", "too_large").functionCounter().count());
    assertEquals(6.0, registry.get("inos.amqp.messages.in").functionCounter().count());
    assertEquals(6.0, registry.get("inos.amqp.acks").functionCounter().count());
  }

  @Test
  void withoutADeadLetterExchangePoisonIsRejectedAndTheFlowContinues() throws Exception {
    String exchange = rabbit.exchange("reject");
    String queue = rabbit.queue("reject");
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(Nexus.create(vertx), new AmqpAdapterOptions()
      .setUri(Rabbit.URI).addBinding(AmqpBinding.in(exchange, "#", queue)));
    await(vertx.deployVerticle(verticle));
    BlockingQueue<Event> orders = listen(ORDER);
    Rabbit.amqpPublish(exchange, "k", null, "not json at all");
    Rabbit.amqpPublish(exchange, "k", null, Event.builder(ORDER).id("good").build().toJson().encode());
    assertEquals("good", next(orders).id());
    Rabbit.until(vertx, Duration.ofSeconds(10), "the rejection", () -> verticle.stats().deadLetteredTotal() == 1);
    assertEquals(0, rabbit.readyCount(queue));
  }

  @Test
  void aBinaryBodyIsWrappedWhenTheBindingAcceptsNonJson() throws Exception {
    String exchange = rabbit.exchange("raw");
    String queue = rabbit.queue("raw");
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(Nexus.create(vertx), new AmqpAdapterOptions()
      .setUri(Rabbit.URI).addBinding(AmqpBinding.in(exchange, "#", queue).setEventType(NOTE).setRequireJson(false)));
    await(vertx.deployVerticle(verticle));
    BlockingQueue<Event> notes = listen(NOTE);
    Rabbit.amqpPublish(exchange, "k", "text/plain", "plain words");
    assertEquals("plain words", next(notes).data().getString("text"));
    rabbit.publish(exchange, "k", new AMQP.BasicProperties(), new byte[] {(byte) 0xff, 0x00, (byte) 0xfe});
    assertEquals("/wD+", next(notes).data().getString("base64"));
  }

  @Test
  void withRequireBrokerAtStartAnUnreachableBrokerFailsTheDeploymentNamingTheUri() throws Exception {
    int closedPort = FreePorts.belowEphemeralRange();
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(Nexus.create(vertx), new AmqpAdapterOptions()
      .setUri("amqp://guest:guest@127.0.0.1:" + closedPort).setConnectTimeoutMs(2000).setRequireBrokerAtStart(true));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(vertx.deployVerticle(verticle)));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().startsWith("could not connect to the AMQP broker at amqp://guest:***@"
      + "127.0.0.1:" + closedPort + " (option 'uri', INOS_AMQP_URL)"), e.getCause().getMessage());
  }

  @Test
  void wrongCredentialsFailTheDeploymentEvenWhenAnUnreachableBrokerWouldBeWaitedFor() throws Exception {
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(Nexus.create(vertx), new AmqpAdapterOptions()
      .setUri("amqp://guest:not-the-password@" + Rabbit.HOST + ":" + Rabbit.PORT));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(vertx.deployVerticle(verticle)));
    assertTrue(e.getCause().getMessage().contains("ACCESS_REFUSED"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("guest:***@"), "the password is not shown");
  }

  @Test
  void aMissingQueueThatIsOnlyCheckedFailsTheDeploymentWithTheBrokersWords() throws Exception {
    String queue = rabbit.queue("missing");
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(Nexus.create(vertx), new AmqpAdapterOptions()
      .setUri(Rabbit.URI).addBinding(AmqpBinding.in("", null, queue).setDeclare(false)));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(vertx.deployVerticle(verticle)));
    assertTrue(e.getCause().getMessage().contains("NOT_FOUND - no queue '" + queue + "'"), e.getCause().getMessage());
  }

  /**
   * The loop guard: an exchange bound both ways — its messages come in through a queue bound to it, and events go
   * out to it with the routing key they would come back with. Without the guard an event that came in would go out
   * again, come in again, and so on for ever.
   */
  @Test
  void anEventThatCameInIsNotSentBackWhileItsOutcomeGoesOutOnce() throws Exception {
    String exchange = rabbit.exchange("both-ways");
    String queue = rabbit.queue("both-ways");
    String watch = rabbit.queue("watch");
    Nexus nexus = Nexus.create(vertx);
    await(nexus.serve(ServiceDefinition.builder("shop")
      .action("place_order", request -> Future.succeededFuture(new JsonObject().put("placed", true)))
      .build()));
    List<Event> outcomes = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<Event>consumer(ORDER, m -> outcomes.add(m.body())).completion());
    // the same exchange and routing key both ways: in through a queue bound to everything, and the outcomes out with
    // "orders" — so an outcome that went out comes in again, on an address that is bound out
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, new AmqpAdapterOptions().setUri(Rabbit.URI)
      .addBinding(AmqpBinding.in(exchange, "#", queue))
      .addBinding(AmqpBinding.out(ORDER, exchange, "orders")));
    await(vertx.deployVerticle(verticle));
    rabbit.declareBound(watch, exchange, "topic", "#");
    BlockingQueue<Delivery> seen = rabbit.consume(watch);

    // WHEN a request comes in from the broker
    rabbit.publish(exchange, "orders", new AMQP.BasicProperties.Builder().contentType("application/json").build(),
      Event.builder(ORDER_REQUESTED).id("order-1").build().toJson().encode().getBytes(StandardCharsets.UTF_8));

    // THEN its outcome, a new event with the request's origin in its metadata, goes out once; the outcome then
    // comes in again through the same queue (the exchange is bound both ways) and is not sent back a second time
    Rabbit.until(vertx, Duration.ofSeconds(15), "the returned outcome held back",
      () -> verticle.stats().outboundLooped() == 1);
    AmqpAdapterStats stats = verticle.stats();
    assertEquals(1, stats.messagesOut() + stats.outboundHeld(), "only the outcome went out: " + stats);
    Rabbit.until(vertx, Duration.ofSeconds(15), "both broker messages acknowledged",
      () -> verticle.stats().acks() == 2);

    Delivery request = seen.poll(15, TimeUnit.SECONDS);
    Delivery outcome = seen.poll(15, TimeUnit.SECONDS);
    assertNotNull(request);
    assertNotNull(outcome);
    assertEquals(ORDER_REQUESTED,
      new JsonObject(new String(request.getBody(), StandardCharsets.UTF_8)).getString("type"));
    JsonObject sent = new JsonObject(new String(outcome.getBody(), StandardCharsets.UTF_8));
    assertEquals(ORDER, sent.getString("type"));
    assertEquals("order-1", sent.getJsonObject("metadata").getJsonObject("amqp").getString("event_id"),
      "the outcome carries the origin of the request it answers");
    Rabbit.until(vertx, Duration.ofSeconds(5), "the outcome published twice on the Nexus (made, then come back)",
      () -> outcomes.size() == 2);
    assertEquals(outcomes.get(0).id(), outcomes.get(1).id());
    assertEquals(0, rabbit.readyCount(queue));
    assertEquals(1, verticle.stats().outboundLooped());
    assertEquals(1, verticle.stats().messagesOut() + verticle.stats().outboundHeld());
  }
}
