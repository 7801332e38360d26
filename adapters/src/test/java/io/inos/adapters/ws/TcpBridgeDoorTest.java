package io.inos.adapters.ws;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Event;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vert.x TCP-bridge JSON frames over WebSocket at /bridge/ws, with a real WebSocket client. */
@ExtendWith(VertxExtension.class)
class TcpBridgeDoorTest {

  private static final String CREATE = "campaign:create_campaign:v1:requested";

  private Vertx vertx;
  private WsServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = WsServer.start(vertx, new BridgeOptions().setRequestTimeoutMs(2_000), new GatewayDoorOptions());
  }

  /** A client speaking TCP-bridge frames, one per WebSocket text message. */
  private final class Client {
    /** Held: Vert.x 5 closes a client nothing references, under its connections. */
    final WebSocketClient client;
    final WebSocket ws;
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

    Client(String authorization) throws Exception {
      client = vertx.createWebSocketClient();
      WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(server.port()).setHost("127.0.0.1")
        .setURI("/bridge/ws");
      if (authorization != null) {
        options.addHeader("Authorization", authorization);
      }
      ws = await(client.connect(options));
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    }

    void send(JsonObject frame) {
      ws.writeTextMessage(frame.encode());
    }

    JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
      while (true) {
        JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
        assertNotNull(frame, "no frame within 10 s");
        if (wanted.test(frame)) {
          return frame;
        }
      }
    }
  }

  @Test
  void aSendWithAReplyAddressGetsAMessageReply() throws Exception {
    Client client = new Client(null);
    client.send(new JsonObject().put("type", "send").put("address", CREATE).put("replyAddress", "r-1")
      .put("body", new JsonObject().put("correlation_id", "corr-tcp")
        .put("payload", new JsonObject().put("data", new JsonObject().put("slug", "tcp"))))
      .put("headers", new JsonObject()));
    JsonObject reply = client.next(f -> "r-1".equals(f.getString("address")));
    assertEquals("message", reply.getString("type"));
    assertEquals("OK", reply.getJsonObject("headers").getString("inos-outcome"));
    Event success = Event.fromJson(reply.getJsonObject("body"));
    assertEquals("campaign:create_campaign:v1:success", success.type().toString());
    assertEquals("corr-tcp", success.correlationId());
    assertEquals("tcp", success.data().getJsonObject("echo").getString("slug"));
    client.ws.close();
  }

  @Test
  void aRegisteredAddressReceivesWhatIsPublishedThere() throws Exception {
    String token = server.bridge.tokenIssuer().issue("alice", List.of(), List.of());
    Client client = new Client(null);
    // the token in the first frame's headers, as the TCP bridge's clients send it
    client.send(new JsonObject().put("type", "register").put("address", "user:alice")
      .put("headers", new JsonObject().put("Authorization", "Bearer " + token)));
    client.send(new JsonObject().put("type", "ping"));
    client.next(f -> "pong".equals(f.getString("type"))); // frames are handled in order: the register is done
    server.nexus.publish(Event.builder("feed:post_news:v1:success").globalContext("user_id", "alice")
      .data(new JsonObject().put("n", 7)).build());
    JsonObject message = client.next(f -> "message".equals(f.getString("type")));
    assertEquals("user:alice", message.getString("address"));
    assertEquals(7, Event.fromJson(message.getJsonObject("body")).data().getInteger("n"));
    client.ws.close();
  }

  @Test
  void aForbiddenAddressIsAnErrFrameAndPingGetsPong() throws Exception {
    String token = server.bridge.tokenIssuer().issue("alice", List.of(), List.of());
    Client client = new Client("Bearer " + token);
    client.send(new JsonObject().put("type", "register").put("address", "user:bob"));
    JsonObject err = client.next(f -> true);
    assertEquals("err", err.getString("type"));
    assertEquals("access_denied", err.getString("message"));
    assertTrue(err.getString("detail").contains("user:bob"), err.encode());
    client.send(new JsonObject().put("type", "dance").put("address", "x"));
    assertEquals("unknown_type", client.next(f -> true).getString("message"));
    client.ws.writeTextMessage("{nope");
    assertEquals("invalid_json", client.next(f -> true).getString("message"));
    client.send(new JsonObject().put("type", "ping"));
    assertEquals("pong", client.next(f -> true).getString("type"));
    client.ws.close();
  }
}
