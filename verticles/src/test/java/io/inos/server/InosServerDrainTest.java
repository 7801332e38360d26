package io.inos.server;

import io.inos.nexus.Nexus;
import io.inos.nexus.ServiceDefinition;
import io.inos.proto.common.v1.EventEnvelope;
import io.inos.proto.nexus.v1.NexusServiceGrpcClient;
import io.inos.proto.nexus.v1.SubscribeEventsRequest;
import io.inos.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.grpc.client.GrpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link InosServer#stop()} lets a request already being handled finish and answer, ends the connections that never
 * end by themselves (a browser's bridge socket, a gRPC event stream) instead of waiting the whole drain time for
 * them, then closes the port.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InosServerDrainTest {

  private static final long SLOW_MS = 300;

  private InosServerHarness harness;
  private InosServer server;
  private final Promise<Void> handlerStarted = Promise.promise();
  private final AtomicInteger completed = new AtomicInteger();

  @BeforeEach
  void startServerWithASlowService() {
    harness = new InosServerHarness();
    // a drain time far beyond the test's own step timeout: a stop that waited for it would fail the test
    server = harness.start(TestDatabases.PORT, Map.of("INOS_SHUTDOWN_DRAIN_MS", "600000",
      // REST runs under the bridge's rules: guests may call the test's service too
      "INOS_BRIDGE_RULES", "{\"inboundPermitteds\": [{\"addressRegex\": \"drain:[a-z]+:v1:requested\"}]}"));
    harness.awaitReady(server);
    Nexus nexus = server.nexus();
    Vertx serverVertx = server.vertx();
    await(nexus.serve(ServiceDefinition.builder("drain")
      .action("slow", request -> {
        handlerStarted.tryComplete();
        Promise<JsonObject> done = Promise.promise();
        serverVertx.setTimer(SLOW_MS, t ->
          done.complete(new JsonObject().put("completed", completed.incrementAndGet())));
        return done.future();
      })
      .build()));
  }

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void stopDrainsInFlightRequests() {
    int port = server.httpPort();
    // a browser on the bridge: its socket never ends by itself
    WebSocketClient browser = harness.vertx.createWebSocketClient();
    WebSocket socket = await(browser.connect(port, "127.0.0.1", "/eventbus/websocket"));
    Promise<Void> socketClosed = Promise.promise();
    socket.closeHandler(v -> socketClosed.tryComplete());
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "system").encode());

    // a tool following events over gRPC: its stream never ends by itself either
    GrpcClient grpc = GrpcClient.client(harness.vertx);
    ReadStream<EventEnvelope> events = await(NexusServiceGrpcClient.create(grpc,
        SocketAddress.inetSocketAddress(port, "127.0.0.1"))
      .subscribeEvents(SubscribeEventsRequest.newBuilder().addTypes("drain:*").build()));
    Promise<Void> streamEnded = Promise.promise();
    events.exceptionHandler(err -> streamEnded.tryComplete());
    events.endHandler(v -> streamEnded.tryComplete());
    events.handler(event -> { });

    Future<HttpResponse<Buffer>> inFlight = harness.postOps(server, "drain", new JsonObject().put("action", "slow"));
    await(handlerStarted.future());

    Future<Void> stopped = server.stop();

    HttpResponse<Buffer> response = await(inFlight);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject success = response.bodyAsJsonObject();
    assertEquals("drain:slow:v1:success", success.getString("type"));
    assertEquals(1, success.getJsonObject("payload").getJsonObject("data").getInteger("completed"));
    await(stopped);
    assertEquals(1, completed.get());
    await(socketClosed.future());
    await(streamEnded.future());
    await(browser.close());
    await(grpc.close());
    // and the port is closed once stopped
    awaitFailure(harness.web.get(port, "127.0.0.1", "/health").send());
  }
}
