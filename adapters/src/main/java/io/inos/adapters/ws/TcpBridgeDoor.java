package io.inos.adapters.ws;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.ws.impl.TcpBridgeConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Vert.x TCP event-bus bridge protocol (vertx-tcp-eventbus-bridge's JSON frames) carried over WebSocket, one
 * frame per WebSocket message, at {@code /bridge/ws}: for non-browser clients, on the node's {@link Bridge}.
 * <ul>
 *   <li>client frames {@code {"type":"send|publish|register|unregister|ping","address","body","headers",
 *   "replyAddress"}};</li>
 *   <li>server frames {@code {"type":"message","address","headers","body"}} (a delivery, or at the
 *   {@code replyAddress} the {@code :success}/{@code :failed} event of a request), {@code {"type":"err","message":
 *   "<code>","detail":"<why>"}} and {@code {"type":"pong"}};</li>
 *   <li>identity: {@code Authorization: Bearer …} on the upgrade, or {@code headers.Authorization} of a frame (the
 *   first settles it, a later different one is verified again); none makes a guest;</li>
 *   <li>recovery: a {@code register} whose headers carry {@code inos-last-event-id} (the id of the last event the
 *   client received there) is answered with {@code {"type":"recovery","address","body":{"recovered","count",
 *   "message"}}}, then the missed events in order without duplicates, then the live flow, as on the SockJS door
 *   ({@link io.inos.adapters.sockjs.BridgeFrames#RECOVERY}).</li>
 * </ul>
 */
public final class TcpBridgeDoor {

  private static final long MIN_SWEEP_MS = 20;

  private final Vertx vertx;
  private final Bridge bridge;
  private final TcpBridgeDoorOptions options;
  private final Set<TcpBridgeConnection> connections = ConcurrentHashMap.newKeySet();
  private final long sweepTimer;

  private TcpBridgeDoor(Bridge bridge, TcpBridgeDoorOptions options) {
    this.vertx = bridge.vertx();
    this.bridge = bridge;
    this.options = new TcpBridgeDoorOptions(options);
    long sweep = Math.max(MIN_SWEEP_MS, Math.min(options.getPingIntervalMs(), options.getReadTimeoutMs()) / 4);
    this.sweepTimer = vertx.setPeriodic(sweep, id -> sweep());
  }

  /** A door on the node's shared bridge; closing the door leaves the bridge open. */
  public static TcpBridgeDoor create(Bridge bridge, TcpBridgeDoorOptions options) {
    return new TcpBridgeDoor(bridge, options);
  }

  /** Mounts the door at {@link TcpBridgeDoorOptions#getPath()}. */
  public void mount(Router router) {
    router.route(options.getPath()).handler(this::upgrade);
  }

  public Bridge bridge() {
    return bridge;
  }

  /** @return the connections open now */
  public int connections() {
    return connections.size();
  }

  /** Closes every connection; the bridge stays open. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    connections.forEach(TcpBridgeConnection::close);
    return Future.succeededFuture();
  }

  private void upgrade(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
      ctx.response().setStatusCode(400).end("a WebSocket upgrade is expected here");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> {
      TcpBridgeConnection[] self = new TcpBridgeConnection[1];
      self[0] = new TcpBridgeConnection(ws, bridge, options.getSource(), options.getMaxFrameBytes(),
        () -> connections.remove(self[0]));
      connections.add(self[0]);
      self[0].start(options.getWriteQueueMaxSize());
    });
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (TcpBridgeConnection c : connections) {
      c.check(now, options.getPingIntervalMs(), options.getReadTimeoutMs());
    }
  }
}
