package io.inos.server;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.inos.testing.CommandLineClient;
import io.inos.testing.TestDatabases;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node, four protocols, real clients of each: an MQTT publish (mosquitto_pub) reaches a browser-protocol
 * subscriber (SockJS event-bus frames) and an AMQP queue on the machine's RabbitMQ; an AMQP message (amqp-publish)
 * reaches an MQTT subscriber (mosquitto_sub).
 */
class CrossProtocolTest {

  private static final String FEED = "feed:post_news:v1:completed";
  private static final String FEED_TOPIC = "feed/post_news/v1/completed";
  private static final String ORDERS = "shop:place_order:v1:completed";
  private static final String ORDERS_TOPIC = "shop/place_order/v1/completed";

  private final String prefix = "inos-xproto-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final String outExchange = prefix + "out";
  private final String outQueue = prefix + "out-q";
  private final String inExchange = prefix + "in";
  private final String inQueue = prefix + "in-q";
  private InosServerHarness harness;
  private InosServer server;
  private Connection rabbit;
  private Channel channel;
  private CommandLineClient subscriber;
  private WebSocketClient browserClient;

  @BeforeEach
  void start() throws Exception {
    rabbit = new ConnectionFactory().newConnection("inos-cross-protocol-test");
    channel = rabbit.createChannel();
    // the queue that stands for "the rest of the company": bound to the exchange INOS publishes FEED to
    channel.exchangeDeclare(outExchange, "topic", true, false, null); // as the adapter declares it: durable
    channel.queueDeclare(outQueue, false, false, true, null);
    channel.queueBind(outQueue, outExchange, "#");
    harness = new InosServerHarness();
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED))
        .add(new JsonObject().put("address", ORDERS)))
      .encode();
    JsonArray bindings = new JsonArray()
      .add(new JsonObject().put("name", "feed-out").put("direction", "out").put("address", FEED)
        .put("exchange", outExchange).put("exchangeType", "topic"))
      .add(new JsonObject().put("name", "orders-in").put("direction", "in").put("queue", inQueue)
        .put("exchange", inExchange).put("exchangeType", "topic").put("durable", false));
    server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", rules,
      "INOS_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672", "INOS_AMQP_BINDINGS", bindings.encode()));
  }

  @AfterEach
  void stop() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    harness.close();
    for (String queue : new String[] {outQueue, inQueue}) {
      channel.queueDelete(queue);
    }
    for (String exchange : new String[] {outExchange, inExchange}) {
      channel.exchangeDelete(exchange);
    }
    rabbit.close();
  }

  @Test
  void mqttReachesBrowsersAndAmqpAndAmqpReachesMqtt() throws Exception {
    // a browser listens to the feed
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    // held in a field: Vert.x 5 closes a client once nothing references it
    browserClient = harness.vertx.createWebSocketClient();
    WebSocket socket = await(browserClient.connect(server.httpPort(), "127.0.0.1", "/eventbus/websocket"));
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", FEED).encode());
    awaitUntil("the browser's registration", () -> server.bridge().subscribers(FEED) == 1);

    // a device publishes on the feed's topic
    String headline = "device-news-" + UUID.randomUUID();
    CommandLineClient.run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(server.mqttPort()), "-V", "mqttv311", "-q", "1",
      "-t", FEED_TOPIC, "-m", new JsonObject().put("headline", headline).encode());

    JsonObject rec = frames.poll(20, TimeUnit.SECONDS);
    assertNotNull(rec, "the browser received nothing");
    assertEquals(headline, rec.getJsonObject("body").getJsonObject("payload").getJsonObject("data")
      .getString("headline"), rec.encode());

    JsonObject fromBroker = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (fromBroker == null && System.nanoTime() < deadline) {
      GetResponse got = channel.basicGet(outQueue, true);
      if (got != null) {
        fromBroker = new JsonObject(new String(got.getBody(), StandardCharsets.UTF_8));
        assertEquals("application/json", got.getProps().getContentType());
      } else {
        Thread.onSpinWait();
      }
    }
    assertNotNull(fromBroker, "nothing reached the AMQP queue");
    assertEquals(FEED, fromBroker.getString("type"));
    assertEquals(headline, fromBroker.getJsonObject("payload").getJsonObject("data").getString("headline"));
    assertEquals(rec.getJsonObject("body").getString("id"), fromBroker.getString("id"), "the same event");

    // a device subscribes to orders; an AMQP message brings one
    subscriber = CommandLineClient.follow("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
      String.valueOf(server.mqttPort()), "-V", "mqttv5", "-q", "1", "-t", ORDERS_TOPIC, "-C", "1", "-d");
    subscriber.awaitLine("SUBACK");
    String order = "order-" + UUID.randomUUID();
    CommandLineClient.run("amqp-publish", "--url=amqp://guest:guest@127.0.0.1:5672", "-e", inExchange, "-r", "orders",
      "-C", "application/json", "-b", new JsonObject().put("type", ORDERS)
        .put("payload", new JsonObject().put("data", new JsonObject().put("order", order))).encode());
    String line = subscriber.awaitLine(order);
    assertTrue(line.contains(ORDERS), line);
  }
}
