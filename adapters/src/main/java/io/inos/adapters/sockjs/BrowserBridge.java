package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.sockjs.impl.BridgeSettings;
import io.inos.adapters.sockjs.impl.BridgeSocket;
import io.inos.adapters.sockjs.impl.SubscriptionTable;
import io.inos.nexus.Nexus;
import io.vertx.core.Context;
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
 * {@code @vertx/eventbus-bridge-client.js} works unchanged, written over {@link SockJSHandler#socketHandler} instead of
 * the stock {@code bridge()}:
 * <ul>
 *   <li>a {@code send} to a permitted {@code …:requested} address carries an event envelope; the Nexus exchanges it
 *   and the client's reply address gets the {@code :success} or {@code :failed} event;</li>
 *   <li>a {@code register} to a permitted address subscribes the socket in a node-local table with one event-bus
 *   consumer per distinct address, reference-counted, and each message is encoded once for all its sockets;</li>
 *   <li>every refusal is an {@code err} frame ({@link BridgeFrames}) and the socket stays open.</li>
 * </ul>
 * Each socket is an anonymous guest ({@code guest_} + 32 hex digits): the one it proposes in the
 * {@value BridgeFrames#GUEST_ID_HEADER} header of its first frame that is not a ping, or a new one, which every reply
 * frame carries in the same header. Its guest id is forced into the {@code user_id} of every event it sends.
 *
 * <p>Create one bridge per node and mount it on every router that should serve it: the table and its consumers
 * belong to the bridge. Its consumers live on the context the bridge was created on.
 */
public final class BrowserBridge {

  private static final long MIN_SWEEP_MS = 100;

  private final Vertx vertx;
  private final BrowserBridgeOptions options;
  private final BridgeSettings settings;
  private final SubscriptionTable table;
  private final Set<BridgeSocket> sockets = ConcurrentHashMap.newKeySet();
  private final long sweepTimer;

  private BrowserBridge(Vertx vertx, Nexus nexus, BrowserBridgeOptions options) {
    this.vertx = vertx;
    this.options = new BrowserBridgeOptions(options);
    Context context = vertx.getOrCreateContext();
    this.table = new SubscriptionTable(vertx, context);
    long timeout = options.getRequestTimeoutMs() > 0 ? options.getRequestTimeoutMs()
      : nexus.options().getRequestTimeoutMs();
    this.settings = new BridgeSettings(nexus, BridgeRules.fromJson(options.getRules()), this.options, table, timeout);
    long sweep = Math.max(MIN_SWEEP_MS, options.getPingTimeoutMs() / 2);
    this.sweepTimer = vertx.setPeriodic(sweep, id -> closeIdleSockets());
  }

  /** @throws IllegalArgumentException when the options' rules do not load */
  public static BrowserBridge create(Vertx vertx, Nexus nexus, BrowserBridgeOptions options) {
    return new BrowserBridge(vertx, nexus, options);
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
      self[0] = new BridgeSocket(sock, settings, () -> sockets.remove(self[0]));
      sockets.add(self[0]);
      self[0].start();
    };
  }

  /** @return the sockets connected now */
  public int connectedSockets() {
    return sockets.size();
  }

  /** @return the event-bus consumers the bridge holds: one per distinct address any socket registered */
  public int busConsumers() {
    return table.consumerCount();
  }

  /** @return how many sockets are registered at {@code address} */
  public int subscribers(String address) {
    return table.subscriberCount(address);
  }

  /** @return deliveries dropped so far by the connected sockets because they read too slowly */
  public long droppedFrames() {
    long total = 0;
    for (BridgeSocket s : sockets) {
      total += s.droppedFrames();
    }
    return total;
  }

  /** Closes every socket and unregisters every consumer. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    for (BridgeSocket s : sockets) {
      s.close();
    }
    return table.close();
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
