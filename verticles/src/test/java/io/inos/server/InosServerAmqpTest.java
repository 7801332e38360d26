package io.inos.server;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.inos.nexus.Event;
import io.inos.testing.CommandLineClient;
import io.inos.testing.TcpProxy;
import io.inos.testing.TestDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled server with {@code INOS_AMQP_URL} set while the broker is down (the machine's RabbitMQ behind a
 * paused {@link TcpProxy}): the server starts, {@code /ready} reports AMQP as a non-critical dependency that is down
 * ({@code DEGRADED}), and once the broker is reachable the adapter declares its bindings and messages flow both ways.
 */
class InosServerAmqpTest {

  private static final String RABBIT = "127.0.0.1";
  private static final int RABBIT_PORT = 5672;
  private static final String ORDERS = "shop:place_order:v1:completed";
  private static final String NOTES = "shop:note:v1:completed";
  private static final String FEED = "feed:post_news:v1:completed";
  private static final String FEED_TOPIC = "feed/post_news/v1/completed";

  private final String prefix = "inos-server-amqp-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final String outExchange = prefix + "out";
  private final String outQueue = prefix + "out-q";
  private final String inExchange = prefix + "in";
  private final String inQueue = prefix + "in-q";
  private InosServerHarness harness;
  private TcpProxy proxy;
  private Connection rabbit;
  private Channel channel;

  @BeforeEach
  void start() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(RABBIT);
    factory.setPort(RABBIT_PORT);
    rabbit = factory.newConnection("inos-server-amqp-test");
    channel = rabbit.createChannel();
    channel.exchangeDeclare(outExchange, "topic", true);
    channel.queueDeclare(outQueue, false, false, false, null);
    channel.queueBind(outQueue, outExchange, "#");
    harness = new InosServerHarness();
    proxy = await(TcpProxy.start(harness.vertx, RABBIT, RABBIT_PORT));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      harness.close();
    } finally {
      for (String queue : new String[] {outQueue, inQueue}) {
        channel.queueDelete(queue);
      }
      for (String exchange : new String[] {outExchange, inExchange}) {
        channel.exchangeDelete(exchange);
      }
      rabbit.close();
    }
  }

  private static JsonObject amqpCheck(JsonObject ready) {
    return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(c -> "amqp".equals(c.getString("name"))).findFirst()
      .orElseThrow(() -> new AssertionError("no amqp check in " + ready.encode()));
  }

  @Test
  void theServerStartsWhileTheBrokerIsDownAndTheBindingsComeUpWithIt() throws Exception {
    await(proxy.pause());
    JsonArray bindings = new JsonArray()
      .add(new JsonObject().put("direction", "out").put("address", ORDERS).put("exchange", outExchange)
        .put("routingKey", "orders"))
      .add(new JsonObject().put("direction", "in").put("queue", inQueue).put("exchange", inExchange)
        .put("eventType", NOTES).put("durable", false));
    InosServer server = harness.start(TestDatabases.PORT, Map.of(
      "INOS_AMQP_URL", "amqp://guest:guest@127.0.0.1:" + proxy.port(), "INOS_AMQP_BINDINGS", bindings.encode()));

    // started; ready but degraded, saying why
    AtomicReference<JsonObject> ready = new AtomicReference<>();
    awaitUntil("/ready DEGRADED with AMQP down", () -> {
      var answer = harness.get(server, "/ready");
      ready.set(answer.bodyAsJsonObject());
      return answer.statusCode() == 200 && "DEGRADED".equals(ready.get().getString("status"));
    });
    JsonObject check = amqpCheck(ready.get());
    assertEquals("DOWN", check.getString("status"));
    assertEquals(false, check.getBoolean("critical"));
    assertTrue(check.getString("reason").contains("Connection refused"), check.encode());

    // an event made meanwhile is held for the broker
    String early = "early-" + UUID.randomUUID();
    server.nexus().publish(Event.builder(ORDERS).id(early).build());

    await(proxy.resume());
    awaitUntil("/ready UP with AMQP up", () -> {
      var answer = harness.get(server, "/ready");
      return answer.statusCode() == 200 && "UP".equals(answer.bodyAsJsonObject().getString("status"));
    });
    assertEquals("UP", amqpCheck(harness.get(server, "/ready").bodyAsJsonObject()).getString("status"));

    AtomicReference<GetResponse> got = new AtomicReference<>();
    awaitUntil("the held event in the queue", () -> {
      try {
        got.set(channel.basicGet(outQueue, true));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return got.get() != null;
    });
    assertEquals(early, got.get().getProps().getMessageId());

    // the inbound binding was declared once the broker came: a message published to its exchange arrives
    LinkedBlockingQueue<Event> notes = new LinkedBlockingQueue<>();
    await(server.vertx().eventBus().<Event>consumer(NOTES, m -> notes.add(m.body())).completion());
    String text = "note-" + UUID.randomUUID();
    CommandLineClient.run("amqp-publish", "--url=amqp://guest:guest@127.0.0.1:5672", "-e", inExchange, "-r", "k",
      "-C", "application/json", "-b", new JsonObject().put("text", text).encode());
    Event note = notes.poll(20, TimeUnit.SECONDS);
    assertNotNull(note, "the AMQP message did not reach the Nexus");
    assertEquals(text, note.data().getString("text"));
  }

  /**
   * MQTT → AMQP → MQTT: a device's message goes out to an exchange that INOS also consumes. It comes back once, and
   * goes neither to the broker again (the loop guard) nor to the MQTT subscribers again (it came from MQTT).
   */
  @Test
  void aDeviceMessageThatComesBackFromTheBrokerIsNotSentRoundAgain() throws Exception {
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .encode();
    // one exchange both ways: out with routing key "feed", in through a queue bound to all of it
    JsonArray bindings = new JsonArray()
      .add(new JsonObject().put("direction", "out").put("address", FEED).put("exchange", inExchange)
        .put("routingKey", "feed"))
      .add(new JsonObject().put("direction", "in").put("queue", inQueue).put("exchange", inExchange));
    InosServer server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", rules,
      "INOS_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672", "INOS_AMQP_BINDINGS", bindings.encode()));
    LinkedBlockingQueue<Event> feed = new LinkedBlockingQueue<>();
    await(server.vertx().eventBus().<Event>consumer(FEED, m -> feed.add(m.body())).completion());

    String port = String.valueOf(server.mqttPort());
    try (CommandLineClient subscriber = CommandLineClient.follow("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1",
      "-p", port, "-V", "mqttv5", "-q", "1", "-t", FEED_TOPIC, "-C", "2", "-d")) {
      subscriber.awaitLine("SUBACK");
      String headline = "round-" + UUID.randomUUID();
      CommandLineClient.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", FEED_TOPIC,
        "-m", new JsonObject().put("headline", headline).encode());
      subscriber.awaitLine(headline);

      // on the Nexus twice (from MQTT, then back from the broker), the same event; then held back from the broker
      Event first = feed.poll(20, TimeUnit.SECONDS);
      Event back = feed.poll(20, TimeUnit.SECONDS);
      assertNotNull(first);
      assertNotNull(back, "the event did not come back from the broker");
      assertEquals(first.id(), back.id());
      assertEquals("feed", back.metadata().getJsonObject("amqp").getString("routing_key"));
      awaitUntil("the loop guard counted it", () -> harness.get(server, "/metrics").bodyAsString().lines()
        .anyMatch(l -> l.startsWith("inos_amqp_outbound_looped_total") && l.endsWith(" 1.0")));

      // the subscriber stops after two messages: the next one must be this one, not the first one again
      String fence = "fence-" + UUID.randomUUID();
      CommandLineClient.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", FEED_TOPIC,
        "-m", new JsonObject().put("headline", fence).encode());
      subscriber.awaitLine(fence);
    }
  }
}
