package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.sockjs.impl.BridgeSocket;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser door: SockJS at {@code /eventbus} speaking the Vert.x event-bus bridge frames, so the stock
 * {@code @vertx/eventbus-bridge-client.js} works unchanged, on the node's {@link Bridge} (written over
 * {@link SockJSHandler#socketHandler} instead of the stock {@code bridge()}):
 * <ul>
 *   <li>each socket is a {@link io.inos.adapters.bridge.BridgeSession}: identity, rules, scope, rate limit and the
 *   bounded outbound queue are the bridge's, the same for every protocol;</li>
 *   <li>a {@code send} with a reply address to a permitted {@code …:requested} address is a request: the reply
 *   address gets the {@code :success} or {@code :failed} event;</li>
 *   <li>a {@code register} subscribes the socket in the bridge's table (one event-bus consumer per address per node),
 *   and each message's {@code rec} frame is built once per address for all sockets;</li>
 *   <li>every refusal is an {@code err} frame ({@link BridgeFrames}) and the socket stays open.</li>
 * </ul>
 * A socket signs in with {@code Authorization: Bearer <jwt>} in a frame's {@code headers} (the JS client sends
 * {@code eb.defaultHeaders} with every frame), or in the WebSocket handshake's header (non-browser clients). Without a
 * token it is a guest ({@code guest_} + 32 hex digits): the one it proposes in the {@value BridgeFrames#GUEST_ID_HEADER}
 * header of its first frame that is not a ping, or a new one, which every reply frame carries.
 */
public final class BrowserBridge {

  private static final long MIN_SWEEP_MS = 100;

  private final Vertx vertx;
  private final Bridge bridge;
  /** Read once: {@link Bridge#options()} is a defensive copy that compiles the rules again. */
  private final int maxInboundPerSecond;
  private final boolean ownsBridge;
  private final BrowserBridgeOptions options;
  private final Set<BridgeSocket> sockets = ConcurrentHashMap.newKeySet();
  private final long sweepTimer;

  private BrowserBridge(Bridge bridge, boolean ownsBridge, BrowserBridgeOptions options) {
    this.vertx = bridge.vertx();
    this.bridge = bridge;
    this.maxInboundPerSecond = bridge.options().getMaxInboundPerSecond();
    this.ownsBridge = ownsBridge;
    this.options = new BrowserBridgeOptions(options);
    long sweep = Math.max(MIN_SWEEP_MS, options.getPingTimeoutMs() / 2);
    this.sweepTimer = vertx.setPeriodic(sweep, id -> closeIdleSockets());
  }

  /**
   * A door with a bridge of its own, made from {@link BrowserBridgeOptions#getBridgeOptions()} and closed with the
   * door.
   *
   * @throws IllegalArgumentException when the options' rules or key do not load
   */
  public static BrowserBridge create(Vertx vertx, Nexus nexus, BrowserBridgeOptions options) {
    return new BrowserBridge(Bridge.create(vertx, nexus, options.getBridgeOptions()), true, options);
  }

  /** A door on the node's shared bridge (its bridge options are ignored); closing the door leaves the bridge open. */
  public static BrowserBridge create(Bridge bridge, BrowserBridgeOptions options) {
    return new BrowserBridge(bridge, false, options);
  }

  /** Mounts SockJS at {@link BrowserBridgeOptions#getPath()} (raw WebSocket at {@code {path}/websocket}). */
  public void mount(Router router) {
    Router sockJS = SockJSHandler.create(vertx, options.getSockJSOptions()).socketHandler(socketHandler());
    router.route(options.getPath() + "/*").subRouter(sockJS);
  }

  /** @return the handler to give a {@link SockJSHandler} of one's own */
  public Handler<SockJSSocket> socketHandler() {
    return sock -> {
      BridgeSocket[] self = new BridgeSocket[1];
      self[0] = new BridgeSocket(sock, bridge, options, maxInboundPerSecond,
        () -> sockets.remove(self[0]));
      sockets.add(self[0]);
      self[0].start();
    };
  }

  /** @return the bridge the door stands on */
  public Bridge bridge() {
    return bridge;
  }

  /** @return the sockets connected now */
  public int connectedSockets() {
    return sockets.size();
  }

  /** @return the event-bus consumers the bridge holds: one per distinct address any session subscribes to */
  public int busConsumers() {
    return bridge.addresses();
  }

  /** @return how many sessions (of any protocol) subscribe to {@code address} on this node */
  public int subscribers(String address) {
    return bridge.subscribers(address);
  }

  /** @return deliveries the bridge dropped so far because sessions read too slowly */
  public long droppedFrames() {
    return bridge.stats().dropped();
  }

  /** Closes every socket, and the bridge when the door made it. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    for (BridgeSocket s : sockets) {
      s.close();
    }
    return ownsBridge ? bridge.close() : Future.succeededFuture();
  }

  private void closeIdleSockets() {
    long deadline = System.currentTimeMillis() - options.getPingTimeoutMs();
    for (BridgeSocket s : sockets) {
      if (s.lastSeen() < deadline) {
        s.close();
      }
    }
  }
}
