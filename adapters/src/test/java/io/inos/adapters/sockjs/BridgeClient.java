package io.inos.adapters.sockjs;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A WebSocket client speaking event-bus bridge frames to {@code /eventbus/websocket}, as the JS client does. */
final class BridgeClient {

  final WebSocket ws;
  final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final WebSocketClient client;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  private BridgeClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.binaryMessageHandler(buffer -> frames.add(buffer.toJsonObject()));
    ws.closeHandler(v -> closed.complete(null));
  }

  static BridgeClient connect(Vertx vertx, int port) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    return new BridgeClient(client, await(client.connect(port, "127.0.0.1", "/eventbus/websocket")));
  }

  /** Connects with an {@code Authorization} header on the WebSocket handshake, as a non-browser client may. */
  static BridgeClient connect(Vertx vertx, int port, String authorization) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
      .setURI("/eventbus/websocket").addHeader("Authorization", authorization);
    return new BridgeClient(client, await(client.connect(options)));
  }

  /** @return frame headers carrying {@code Authorization: Bearer <token>}, as the JS client's defaultHeaders do */
  static JsonObject bearer(String token) {
    return new JsonObject().put("Authorization", "Bearer " + token);
  }

  /** Sends a frame of {@code type} at {@code address} with these headers (none when {@code null}). */
  void frame(String type, String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    if (headers != null) {
      frame.put("headers", headers);
    }
    send(frame);
  }

  /** Stops reading: the server's writes back up through TCP, as behind a client that stopped reading. */
  void pause() {
    ws.pause();
  }

  void resume() {
    ws.resume();
  }

  /** @return the frames received and not yet taken, without waiting */
  java.util.List<JsonObject> drainReceived() {
    java.util.List<JsonObject> out = new java.util.ArrayList<>();
    frames.drainTo(out);
    return out;
  }

  void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  void sendText(String text) {
    ws.writeTextMessage(text);
  }

  void register(String address, String guestId) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (guestId != null) {
      frame.put("headers", new JsonObject().put("inos-guest-id", guestId));
    }
    send(frame);
  }

  void request(String address, JsonObject envelope, String replyAddress, String guestId) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", envelope)
      .put("replyAddress", replyAddress);
    if (guestId != null) {
      frame.put("headers", new JsonObject().put("inos-guest-id", guestId));
    }
    send(frame);
  }

  /** @return the next frame, waiting up to 10 s */
  JsonObject next() throws InterruptedException {
    JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
    assertNotNull(frame, "no frame within 10 s");
    return frame;
  }

  /** @return the next frame matching {@code wanted}, skipping others */
  JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonObject frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (frame != null && wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError("no matching frame within 10 s");
  }

  /** @return the next frame delivered at {@code address} */
  JsonObject nextAt(String address) throws InterruptedException {
    return next(f -> address.equals(f.getString("address")));
  }

  /** Sends a request and waits for its reply: frames are handled in order, so everything sent before is done. */
  JsonObject roundTrip(String guestId) throws InterruptedException {
    String reply = "barrier-" + System.nanoTime();
    request("campaign:create_campaign:v1:requested", new JsonObject(), reply, guestId);
    return nextAt(reply);
  }

  /** {@link #roundTrip(String)} with these frame headers (a bearer token, say). */
  JsonObject roundTrip(JsonObject headers) throws InterruptedException {
    String reply = "barrier-" + System.nanoTime();
    JsonObject frame = new JsonObject().put("type", "send").put("address", "campaign:create_campaign:v1:requested")
      .put("body", new JsonObject()).put("replyAddress", reply);
    if (headers != null) {
      frame.put("headers", headers);
    }
    send(frame);
    return nextAt(reply);
  }

  void close() throws Exception {
    await(ws.close());
    await(client.close());
  }
}
