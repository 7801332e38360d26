package io.inos.adapters;

import com.github.luben.zstd.Zstd;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each web door deployed alone, as a verticle with its options, into a plain Vert.x application that has none of the
 * rest of INOS: no server, no database, no INOS services — only the application's own service on a Nexus it made.
 */
class EmbeddedDoorsTest {

  private static final String GREET = "app:greet:v1:requested";

  private Vertx vertx;
  private Nexus nexus;
  private final java.util.List<Socket> sockets = new java.util.ArrayList<>();

  @BeforeEach
  void application() throws Exception {
    vertx = Vertx.vertx();
    nexus = Nexus.create(vertx);
    await(nexus.serve(ServiceDefinition.builder("app")
      .action("greet", request -> Future.succeededFuture(new JsonObject()
        .put("greeting", "hello " + request.data().getString("name"))))
      .build()));
  }

  @AfterEach
  void close() throws Exception {
    // the test's own clients first, so the doors' servers do not wait for them while Vert.x closes
    for (Socket socket : sockets) {
      await(socket.client.close());
    }
    await(vertx.close());
  }

  /** Only the named door open; the application's service permitted to guests. */
  private static WebDoorsOptions only(String door) {
    JsonObject json = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)
      .put("bridge", new JsonObject().put("rules", new JsonObject()
        .put("inboundPermitteds", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("addressRegex", "app:[a-z]+:v1:requested")))
        .put("publicAddresses", new io.vertx.core.json.JsonArray().add("news"))));
    for (String flag : new String[] {"restEnabled", "sockJSEnabled", "gatewayEnabled", "tcpBridgeEnabled",
      "eventStreamEnabled", "openApiEnabled", "grpcEnabled"}) {
      json.put(flag, flag.equals(door));
    }
    return new WebDoorsOptions(json);
  }

  private int deploy(String door) throws Exception {
    WebDoorsVerticle verticle = new WebDoorsVerticle(nexus, only(door));
    await(vertx.deployVerticle(verticle));
    return verticle.actualPort();
  }

  private int status(int port, HttpMethod method, String uri) throws Exception {
    HttpClient client = vertx.createHttpClient();
    try {
      return await(client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
        .setURI(uri)).compose(req -> req.send()).map(HttpClientResponse::statusCode));
    } finally {
      client.close();
    }
  }

  /** Text messages of a WebSocket, parsed, in order. */
  private final class Socket {
    /** Held: Vert.x 5 closes a client nothing references, under its connections, at a GC of its choosing. */
    final WebSocketClient client;
    final WebSocket ws;
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

    Socket(Vertx vertx, int port, String uri) throws Exception {
      client = vertx.createWebSocketClient();
      ws = await(client.connect(port, "127.0.0.1", uri));
      sockets.add(this);
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
      // the gateway sends frames of 512 bytes and more as "zstd:" + a zstd frame
      ws.binaryMessageHandler(data -> {
        byte[] compressed = data.getBytes(5, data.length());
        frames.add(new JsonObject(new String(Zstd.decompress(compressed,
          (int) Zstd.getFrameContentSize(compressed)), StandardCharsets.UTF_8)));
      });
    }

    JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
      java.util.List<JsonObject> skipped = new java.util.ArrayList<>();
      while (true) {
        JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
        assertNotNull(frame, "no wanted frame within 10 s; skipped: " + skipped);
        skipped.add(frame);
        if (wanted.test(frame)) {
          return frame;
        }
      }
    }
  }

  @Test
  void theWebSocketGatewayAlone() throws Exception {
    int port = deploy("gatewayEnabled");
    Socket socket = new Socket(vertx, port, "/ws/0/");
    socket.ws.writeTextMessage(new JsonObject().put("type", GREET).put("correlation_id", "c-1")
      .put("payload", new JsonObject().put("data", new JsonObject().put("name", "gateway"))).encode());
    JsonObject answer = socket.next(f -> "app:greet:v1:success".equals(f.getString("type")));
    assertEquals("hello gateway", Event.fromJson(answer).data().getString("greeting"));
    assertEquals(404, status(port, HttpMethod.GET, "/eventbus/info"), "SockJS is closed");
    assertEquals(404, status(port, HttpMethod.POST, "/api/events"), "REST is closed");
  }

  @Test
  void theTcpBridgeFramesAlone() throws Exception {
    int port = deploy("tcpBridgeEnabled");
    Socket socket = new Socket(vertx, port, "/bridge/ws");
    socket.ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "news").encode());
    socket.ws.writeTextMessage(new JsonObject().put("type", "ping").encode());
    socket.next(f -> "pong".equals(f.getString("type")));
    vertx.eventBus().publish("news", new JsonObject().put("headline", "embedded"));
    JsonObject message = socket.next(f -> "message".equals(f.getString("type")));
    assertEquals("embedded", message.getJsonObject("body").getString("headline"));
    assertEquals(404, status(port, HttpMethod.GET, "/api/openapi.json"), "the OpenAPI document is closed");
  }

  @Test
  void theEventStreamAlone() throws Exception {
    int port = deploy("eventStreamEnabled");
    HttpClient client = vertx.createHttpClient();
    LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    HttpClientResponse response = await(client.request(new RequestOptions().setMethod(HttpMethod.GET)
        .setHost("127.0.0.1").setPort(port).setURI("/api/events/stream?address=news")
        .putHeader("Accept", "text/event-stream"))
      // the handler is set in the request's own callback, before the head arrives: set later, the first chunks
      // may reach a response with no handler and be lost
      .compose(req -> req.send().onSuccess(resp -> resp.handler(chunk -> chunks.add(chunk.toString())))));
    assertEquals(200, response.statusCode());
    StringBuilder seen = new StringBuilder();
    awaitText(chunks, seen, "event: open");
    vertx.eventBus().publish("news", new JsonObject().put("headline", "streamed"));
    awaitText(chunks, seen, "streamed");
    assertTrue(seen.toString().contains("event: news"), seen.toString());
    client.close();
  }

  @Test
  void restAloneUnderTheBridge() throws Exception {
    int port = deploy("restEnabled");
    HttpClient client = vertx.createHttpClient();
    Buffer body = await(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(port).setURI("/api/app_ops").putHeader("Content-Type", "application/json"))
      .compose(req -> req.send(new JsonObject().put("action", "greet").put("name", "rest").encode()))
      .compose(HttpClientResponse::body));
    assertEquals("hello rest", Event.fromJson(new JsonObject(body)).data().getString("greeting"));
    client.close();
    assertEquals(404, status(port, HttpMethod.GET, "/api/events/stream?address=news"), "SSE is closed");
  }

  private static void awaitText(LinkedBlockingQueue<String> chunks, StringBuilder seen, String text)
    throws InterruptedException {
    while (!seen.toString().contains(text)) {
      String chunk = chunks.poll(10, TimeUnit.SECONDS);
      assertNotNull(chunk, "'" + text + "' did not arrive within 10 s; seen: " + seen);
      seen.append(chunk);
    }
  }
}
