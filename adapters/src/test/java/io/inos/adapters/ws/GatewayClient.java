package io.inos.adapters.ws;

import com.github.luben.zstd.Zstd;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway client on Vert.x's WebSocket client. Binary {@code zstd:} frames are decompressed with the reference zstd
 * (libzstd through zstd-jni), so the test proves the door's frames are standard zstd.
 */
final class GatewayClient {

  /** A frame as received: the envelope, and whether it came as a binary {@code zstd:} frame. */
  record Frame(JsonObject envelope, boolean compressed) {
    String type() {
      return envelope.getString("type");
    }
  }

  final WebSocket ws;
  /** Held: Vert.x 5 closes a client nothing references, under its connections. */
  private WebSocketClient client;
  final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

  private GatewayClient(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new Frame(new JsonObject(text), false)));
    ws.binaryMessageHandler(buffer -> frames.add(new Frame(new JsonObject(inflate(buffer)), true)));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  static GatewayClient connect(Vertx vertx, int port, String uri) throws Exception {
    return connect(vertx, port, uri, null);
  }

  static GatewayClient connect(Vertx vertx, int port, String uri, String authorization) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxMessageSize(8 * 1024 * 1024).setMaxFrameSize(8 * 1024 * 1024));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(uri);
    if (authorization != null) {
      options.addHeader("Authorization", authorization);
    }
    // the handlers go on in the connection's own callback, on its event loop: set later from the test thread, they
    // would miss the frames the server writes right after the upgrade (a recovery's notice and events)
    GatewayClient connected = await(client.connect(options).map(GatewayClient::new));
    connected.client = client;
    return connected;
  }

  private static String inflate(Buffer buffer) {
    String prefix = buffer.getString(0, 5, "US-ASCII");
    assertTrue(prefix.equals("zstd:"), "a binary frame starts with zstd:, was " + prefix);
    byte[] compressed = buffer.getBytes(5, buffer.length());
    long size = Zstd.getFrameContentSize(compressed);
    assertTrue(size > 0, "the zstd frame declares its size");
    return new String(Zstd.decompress(compressed, (int) size), StandardCharsets.UTF_8);
  }

  /** @return {@code zstd:} + the reference zstd frame of {@code text} */
  static Buffer compress(String text) {
    return compress(text.getBytes(StandardCharsets.UTF_8));
  }

  static Buffer compress(byte[] bytes) {
    return Buffer.buffer("zstd:").appendBytes(Zstd.compress(bytes));
  }

  void send(JsonObject envelope) {
    ws.writeTextMessage(envelope.encode());
  }

  void sendText(String text) {
    ws.writeTextMessage(text);
  }

  void sendBinary(Buffer data) {
    ws.writeBinaryMessage(data);
  }

  Frame next() throws InterruptedException {
    Frame frame = frames.poll(10, TimeUnit.SECONDS);
    assertNotNull(frame, "no frame within 10 s");
    return frame;
  }

  /** @return the next frame that matches, skipping the others */
  Frame next(Predicate<Frame> wanted) throws InterruptedException {
    while (true) {
      Frame frame = next();
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  Frame nextOfType(String type) throws InterruptedException {
    return next(f -> type.equals(f.type()));
  }

  /** @return the frames received and not yet taken, without waiting */
  java.util.List<Frame> drainReceived() {
    java.util.List<Frame> out = new java.util.ArrayList<>();
    frames.drainTo(out);
    return out;
  }

  short awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  void close() {
    ws.close();
  }
}
