package io.inos.server;

import io.inos.testing.CommandLineClient;
import io.inos.testing.TestDatabases;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.inos.server.InosServerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT server of the assembled node on the same bridge as the web doors, with Debian's mosquitto clients: a
 * device's publish reaches a browser-protocol subscriber (SockJS event-bus frames over WebSocket), and a browser's
 * publish reaches a device's subscription.
 */
class InosServerMqttTest {

  private static final String FEED = "feed:post_news:v1:completed";
  private static final String TOPIC = "feed/post_news/v1/completed";

  private InosServerHarness harness;
  private InosServer server;
  private CommandLineClient subscriber;
  private WebSocketClient browserClient;

  @BeforeEach
  void start() {
    harness = new InosServerHarness();
    String rules = new JsonObject()
      .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
      .encode();
    server = harness.start(TestDatabases.PORT, Map.of("INOS_BRIDGE_RULES", rules));
    assertTrue(server.mqttPort() > 0, "the MQTT server listens");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (subscriber != null) {
      subscriber.close();
    }
    harness.close();
  }

  /** A browser-protocol client: event-bus frames over the SockJS raw WebSocket. */
  private LinkedBlockingQueue<JsonObject> browser(WebSocket[] socket) {
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    // held in a field: Vert.x 5 closes a client once nothing references it
    browserClient = harness.vertx.createWebSocketClient();
    socket[0] = await(browserClient.connect(server.httpPort(), "127.0.0.1", "/eventbus/websocket"));
    socket[0].textMessageHandler(text -> frames.add(new JsonObject(text)));
    return frames;
  }

  private static JsonObject next(LinkedBlockingQueue<JsonObject> frames, String type) throws InterruptedException {
    while (true) {
      JsonObject frame = frames.poll(20, TimeUnit.SECONDS);
      assertNotNull(frame, "no '" + type + "' frame within 20 s");
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
  }

  @Test
  void aDevicePublishReachesABrowserAndABrowserPublishReachesADevice() throws Exception {
    WebSocket[] socket = new WebSocket[1];
    LinkedBlockingQueue<JsonObject> frames = browser(socket);
    socket[0].writeTextMessage(new JsonObject().put("type", "register").put("address", FEED).encode());
    InosServerHarness.awaitUntil("the browser's registration", () -> server.bridge().subscribers(FEED) == 1);

    String headline = "from-a-device-" + UUID.randomUUID();
    CommandLineClient.run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(server.mqttPort()),
      "-V", "mqttv5", "-q", "1", "-t", TOPIC, "-m", new JsonObject().put("headline", headline).encode());
    JsonObject delivered = next(frames, "rec");
    assertEquals(FEED, delivered.getString("address"));
    assertEquals(headline, delivered.getJsonObject("body").getJsonObject("payload").getJsonObject("data")
      .getString("headline"), delivered.encode());

    // the other way: a device subscribes, the browser publishes
    subscriber = CommandLineClient.follow("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
      String.valueOf(server.mqttPort()), "-V", "mqttv311", "-q", "1", "-t", TOPIC, "-C", "1", "-d");
    subscriber.awaitLine("SUBACK");
    String fromBrowser = "from-a-browser-" + UUID.randomUUID();
    socket[0].writeTextMessage(new JsonObject().put("type", "publish").put("address", FEED)
      .put("body", new JsonObject().put("type", FEED)
        .put("payload", new JsonObject().put("data", new JsonObject().put("headline", fromBrowser)))).encode());
    String received = subscriber.awaitLine(fromBrowser);
    assertTrue(received.contains(FEED), received);
  }
}
