package io.inos.adapters.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.adapters.amqp.Rabbit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The loop guard: an exchange bound both ways — its messages come in through a queue bound to it, and the events of
 * the same type go out to it with the same routing key. Without the guard, an event that came in would go out again,
 * come in again, and so on for ever.
 */
class AmqpLoopGuardTest {

  private static final String REQUESTED = "shop:place_order:v1:requested";
  private static final String SUCCESS = "shop:place_order:v1:success";
  private static final String ROUTING_KEY = "orders";

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
    await(vertx.eventBus().<Event>consumer(SUCCESS, m -> outcomes.add(m.body())).completion());
    // the same exchange and routing key both ways: in through a queue bound to everything, and the outcomes out with
    // "orders" — so an outcome that went out comes in again, on an address that is bound out
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, new AmqpAdapterOptions().setUri(Rabbit.URI)
      .addBinding(AmqpBinding.in(exchange, "#", queue))
      .addBinding(AmqpBinding.out(SUCCESS, exchange, ROUTING_KEY)));
    await(vertx.deployVerticle(verticle));
    rabbit.declareBound(watch, exchange, "topic", "#");
    BlockingQueue<Delivery> seen = rabbit.consume(watch);

    // WHEN a request comes in from the broker
    rabbit.publish(exchange, ROUTING_KEY, new AMQP.BasicProperties.Builder().contentType("application/json").build(),
      Event.builder(REQUESTED).id("order-1").build().toJson().encode().getBytes(StandardCharsets.UTF_8));

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
    assertEquals(REQUESTED, new JsonObject(new String(request.getBody(), StandardCharsets.UTF_8)).getString("type"));
    JsonObject sent = new JsonObject(new String(outcome.getBody(), StandardCharsets.UTF_8));
    assertEquals(SUCCESS, sent.getString("type"));
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
