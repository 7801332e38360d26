package io.inos.adapters.amqp;

import io.inos.testing.TcpProxy;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.inos.adapters.amqp.Rabbit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broker loss: the adapter reaches RabbitMQ through a TCP proxy the test cuts mid-flow and restores (the machine's
 * RabbitMQ itself keeps running). Every message acknowledged on either side must arrive at least once.
 */
class AmqpReconnectTest {

  private static final String NOTE = "shop:note:v1:completed";
  private static final String ORDER = "shop:place_order:v1:success";

  private Vertx vertx;
  private Rabbit rabbit;
  private TcpProxy proxy;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    rabbit = new Rabbit();
    proxy = await(TcpProxy.start(vertx, Rabbit.HOST, Rabbit.PORT));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      await(vertx.close());
    } finally {
      rabbit.close();
    }
  }

  private AmqpAdapterOptions viaProxy() {
    return new AmqpAdapterOptions().setUri("amqp://guest:guest@127.0.0.1:" + proxy.port())
      .setReconnectInitialDelayMs(50).setReconnectMaxDelayMs(500).setPrefetch(10);
  }

  /** Publishes in-{from}..in-{to - 1} straight to the broker (not through the proxy), each confirmed. */
  private static void publishInbound(Channel channel, String exchange, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      channel.basicPublish(exchange, "k", new AMQP.BasicProperties.Builder().messageId("in-" + i).deliveryMode(2)
        .build(), new JsonObject().put("n", i).encode().getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  @Test
  void nothingAcknowledgedIsLostWhenTheBrokerGoesAwayMidFlow() throws Exception {
    String inExchange = rabbit.exchange("in");
    String inQueue = rabbit.queue("in");
    String outExchange = rabbit.exchange("out");
    String outQueue = rabbit.queue("out");
    rabbit.declareBound(outQueue, outExchange, "topic", "#");
    Nexus nexus = Nexus.create(vertx);
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, viaProxy()
      .addBinding(AmqpBinding.in(inExchange, "#", inQueue).setEventType(NOTE))
      .addBinding(AmqpBinding.out(ORDER, outExchange, "orders")));

    Set<String> arrivedIn = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveriesIn = new AtomicInteger();
    await(vertx.eventBus().<Event>consumer(NOTE, m -> {
      arrivedIn.add(m.body().id());
      deliveriesIn.incrementAndGet();
    }).completion());
    await(vertx.deployVerticle(verticle));
    BlockingQueue<Delivery> out = rabbit.consume(outQueue);
    Set<String> arrivedOut = ConcurrentHashMap.newKeySet();

    // inbound flowing (a publisher of its own keeps going, through the outage), then outbound published, and the
    // link cut while both are in flight
    Channel publisher = rabbit.confirmChannel();
    CompletableFuture<Void> inbound = CompletableFuture.runAsync(() -> {
      try {
        publishInbound(publisher, inExchange, 0, 300);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Rabbit.until(vertx, Duration.ofSeconds(15), "50 inbound messages", () -> arrivedIn.size() >= 50);
    for (int i = 0; i < 100; i++) {
      nexus.publish(Event.builder(ORDER).id("out-" + i).build());
    }
    await(proxy.pause());
    Rabbit.until(vertx, Duration.ofSeconds(15), "the loss noticed", () -> !verticle.isConnected());

    // during the outage: the broker takes the rest of the inbound messages, the Nexus more outbound events
    inbound.get(30, TimeUnit.SECONDS);
    for (int i = 100; i < 200; i++) {
      nexus.publish(Event.builder(ORDER).id("out-" + i).build());
    }
    // the publishes reach the adapter through the event bus, on its context: counted a moment after they return
    Rabbit.until(vertx, Duration.ofSeconds(15), "the outage's events held", () -> verticle.stats().outboundHeld() >= 100);
    assertFalse(verticle.isConnected(), "still cut off: " + verticle.stats());

    await(proxy.resume());
    Rabbit.until(vertx, Duration.ofSeconds(30), "every inbound message on the Nexus", () -> arrivedIn.size() == 300);
    Rabbit.until(vertx, Duration.ofSeconds(30), "every outbound event in the queue", () -> {
      for (Delivery d = out.poll(); d != null; d = out.poll()) {
        arrivedOut.add(d.getProperties().getMessageId());
      }
      return arrivedOut.size() == 200;
    });
    Set<String> expectedIn = new TreeSet<>();
    Set<String> expectedOut = new TreeSet<>();
    for (int i = 0; i < 300; i++) {
      expectedIn.add("in-" + i);
    }
    for (int i = 0; i < 200; i++) {
      expectedOut.add("out-" + i);
    }
    assertEquals(expectedIn, new TreeSet<>(arrivedIn));
    assertEquals(expectedOut, new TreeSet<>(arrivedOut));
    assertTrue(deliveriesIn.get() >= 300, "at least once: " + deliveriesIn.get());

    Rabbit.until(vertx, Duration.ofSeconds(15), "every event confirmed", () -> verticle.stats().outboundHeld() == 0);
    Rabbit.until(vertx, Duration.ofSeconds(15), "the inbound queue drained", () -> {
      try {
        return rabbit.readyCount(inQueue) == 0 && verticle.stats().acks() >= 300;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    AmqpAdapterStats stats = verticle.stats();
    assertTrue(verticle.isConnected());
    assertTrue(stats.reconnects() >= 1, stats.toString());
    assertEquals(0, stats.outboundDropped());
    assertTrue(stats.messagesOut() >= 200, stats.toString());
  }

  @Test
  void aFullBufferDropsAndCountsNewEventsAndKeepsTheHeldOnes() throws Exception {
    String outExchange = rabbit.exchange("full");
    String outQueue = rabbit.queue("full");
    rabbit.declareBound(outQueue, outExchange, "topic", "#");
    Nexus nexus = Nexus.create(vertx);
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, viaProxy().setOutboundBufferSize(5)
      .addBinding(AmqpBinding.out(ORDER, outExchange, "orders")));
    await(vertx.deployVerticle(verticle));
    BlockingQueue<Delivery> out = rabbit.consume(outQueue);

    await(proxy.pause());
    Rabbit.until(vertx, Duration.ofSeconds(15), "the loss noticed", () -> !verticle.isConnected());
    for (int i = 0; i < 8; i++) {
      nexus.publish(Event.builder(ORDER).id("e-" + i).build());
    }
    Rabbit.until(vertx, Duration.ofSeconds(5), "3 drops", () -> verticle.stats().outboundDropped() == 3);
    assertEquals(5, verticle.stats().outboundHeld());

    await(proxy.resume());
    Set<String> arrived = new TreeSet<>();
    for (int i = 0; i < 5; i++) {
      Delivery d = out.poll(20, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(d != null, "event " + i);
      arrived.add(d.getProperties().getMessageId());
    }
    assertEquals(Set.of("e-0", "e-1", "e-2", "e-3", "e-4"), arrived, "the first five, held through the outage");
    Rabbit.until(vertx, Duration.ofSeconds(10), "confirmed", () -> verticle.stats().outboundHeld() == 0);
    assertTrue(verticle.stats().reconnects() >= 1);
  }

  @Test
  void aBrokerDownAtStartIsWaitedForThenTheBindingsAreDeclaredAndMessagesFlow() throws Exception {
    String inExchange = rabbit.exchange("late-in");
    String inQueue = rabbit.queue("late-in");
    String outExchange = rabbit.exchange("late-out");
    String outQueue = rabbit.queue("late-out");
    rabbit.declareBound(outQueue, outExchange, "topic", "#");
    await(proxy.pause());
    Nexus nexus = Nexus.create(vertx);
    AmqpAdapterVerticle verticle = new AmqpAdapterVerticle(nexus, viaProxy()
      .addBinding(AmqpBinding.in(inExchange, "#", inQueue).setEventType(NOTE))
      .addBinding(AmqpBinding.out(ORDER, outExchange, "orders")));
    BlockingQueue<Event> notes = new java.util.concurrent.LinkedBlockingQueue<>();
    await(vertx.eventBus().<Event>consumer(NOTE, m -> notes.add(m.body())).completion());

    // the broker is away: the deployment completes anyway, disconnected, and says why
    await(vertx.deployVerticle(verticle));
    assertFalse(verticle.isConnected());
    assertTrue(verticle.problem() != null && verticle.problem().contains("Connection refused"), verticle.problem());
    Rabbit.until(vertx, Duration.ofSeconds(10), "a second attempt", () -> verticle.stats().connectFailures() >= 2);
    for (int i = 0; i < 3; i++) {
      nexus.publish(Event.builder(ORDER).id("early-" + i).build());
    }
    Rabbit.until(vertx, Duration.ofSeconds(5), "the events held", () -> verticle.stats().outboundHeld() == 3);

    // the broker comes: the adapter connects, declares its queue, consumes it and sends what it held
    await(proxy.resume());
    Rabbit.until(vertx, Duration.ofSeconds(30), "connected", verticle::isConnected);
    assertEquals(null, verticle.problem());
    BlockingQueue<Delivery> out = rabbit.consume(outQueue);
    Set<String> arrived = new TreeSet<>();
    for (int i = 0; i < 3; i++) {
      Delivery d = out.poll(20, TimeUnit.SECONDS);
      assertTrue(d != null, "held event " + i);
      arrived.add(d.getProperties().getMessageId());
    }
    assertEquals(Set.of("early-0", "early-1", "early-2"), arrived);
    rabbit.publish(inExchange, "k", new AMQP.BasicProperties.Builder().messageId("late-1").build(),
      new JsonObject().put("n", 1).encode().getBytes(StandardCharsets.UTF_8));
    Event note = notes.poll(20, TimeUnit.SECONDS);
    assertTrue(note != null, "the inbound message reached the Nexus");
    assertEquals("late-1", note.id());
    assertEquals(0, verticle.stats().reconnects(), "a first connection, not a reconnection");
  }
}
