package io.inos.adapters.mqtt;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.mqtt.impl.MqttBroker;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT server of INOS (MQTT 3.1.1 and 5), deployable into any Vert.x application:
 * {@code vertx.deployVerticle(new MqttAdapterVerticle(options))}. It plugs into a {@link Bridge}: the one given, or,
 * without one, a bridge of its own on the given Nexus (or a new Nexus on the deploying Vert.x), made from
 * {@link MqttAdapterOptions#getBridge()}. Its server, sessions and (own) bridge end when it is undeployed.
 *
 * <p>All of the adapter's state lives on the verticle's event loop; deploy one instance per node (see the package
 * documentation for the routing). With {@link MqttAdapterOptions#getRedisUrl()} set, retained messages and persistent
 * sessions are also kept in Redis: {@code start()} loads them before the server listens, and undeploying leaves them
 * there for the next start.
 */
public final class MqttAdapterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MqttAdapterVerticle.class);

  private final MqttAdapterOptions options;
  private final RetainedStore retained;
  private Nexus nexus;
  private Bridge bridge;
  private boolean ownBridge;
  private MqttBroker broker;
  private MqttServer server;
  private MqttServer websocketServer;
  private MqttServer tlsServer;

  /** A verticle with its own Nexus and bridge. */
  public MqttAdapterVerticle(MqttAdapterOptions options) {
    this(null, null, options, null);
  }

  /** A verticle with its own bridge on {@code nexus}. */
  public MqttAdapterVerticle(Nexus nexus, MqttAdapterOptions options) {
    this(nexus, null, options, null);
  }

  /** A verticle on a shared bridge (the bridge's options then apply, not {@link MqttAdapterOptions#getBridge()}). */
  public MqttAdapterVerticle(Bridge bridge, MqttAdapterOptions options) {
    this(null, bridge, options, null);
  }

  /**
   * @param nexus    the Nexus to bridge to, or {@code null} for a new one (ignored when a bridge is given)
   * @param bridge   the bridge to plug into, or {@code null} for one of the verticle's own
   * @param options  the server's options
   * @param retained where retained messages are kept, or {@code null} for the options' choice: Redis when
   *                 {@link MqttAdapterOptions#getRedisUrl()} is set, else this node's memory
   */
  public MqttAdapterVerticle(Nexus nexus, Bridge bridge, MqttAdapterOptions options, RetainedStore retained) {
    this.nexus = nexus;
    this.bridge = bridge;
    this.options = new MqttAdapterOptions(options);
    this.retained = retained;
  }

  @Override
  public Future<?> start() {
    if (options.getTlsPort() >= 0 && (options.getTlsCertPath() == null || options.getTlsKeyPath() == null)) {
      return Future.failedFuture(new MqttListenException("tlsPort", "mqtt 'tlsPort' is "
        + options.getTlsPort() + " but 'tlsCertPath' and 'tlsKeyPath' (PEM files) are not both set", null));
    }
    if (bridge == null) {
      if (nexus == null) {
        nexus = Nexus.create(vertx);
      }
      try {
        bridge = Bridge.create(vertx, nexus, options.getBridge());
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      ownBridge = true;
    }
    broker = new MqttBroker(vertx, bridge, options, retained);
    Future<?> listening = broker.start().compose(v -> listen(Listener.TCP, options.getPort()));
    if (options.getWebsocketPort() >= 0) {
      listening = listening.compose(s -> listen(Listener.WEBSOCKET, options.getWebsocketPort()));
    }
    if (options.getTlsPort() >= 0) {
      listening = listening.compose(s -> listen(Listener.TLS, options.getTlsPort()));
    }
    return listening.recover(err -> stop().transform(v -> Future.failedFuture(err)));
  }

  /** The three ways in: MQTT over TCP, over WebSocket ({@code /mqtt}), over TLS. */
  private enum Listener {
    TCP("port", ""), WEBSOCKET("websocketPort", " (WebSocket at /mqtt)"), TLS("tlsPort", " (TLS)");

    final String option;
    final String label;

    Listener(String option, String label) {
      this.option = option;
      this.label = label;
    }
  }

  private Future<MqttServer> listen(Listener kind, int port) {
    MqttServerOptions serverOptions = new MqttServerOptions()
      .setHost(options.getHost())
      .setPort(port)
      .setMaxMessageSize(options.getMaxMessageSize())
      .setMaxClientIdLength(options.getMaxClientIdLength())
      .setTimeoutOnConnect(options.getTimeoutOnConnectSeconds())
      // an empty client id gets an id from us (and MQTT 5 clients are told it), not a random one from vertx-mqtt
      .setAutoClientId(false)
      .setUseWebSocket(kind == Listener.WEBSOCKET);
    if (kind == Listener.WEBSOCKET) {
      serverOptions.setWebSocketMaxFrameSize(options.getMaxMessageSize());
    }
    if (kind == Listener.TLS) {
      serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(options.getTlsCertPath()).setKeyPath(options.getTlsKeyPath()));
    }
    MqttServer created = MqttServer.create(vertx, serverOptions);
    return created.endpointHandler(broker::handle)
      .exceptionHandler(err -> LOG.debug("mqtt: connection failed before CONNECT: {}", err.toString()))
      .listen()
      .recover(err -> Future.failedFuture(new MqttListenException(kind.option, "the MQTT server" + kind.label
        + " cannot listen on " + options.getHost() + ":" + port + " (" + err.getMessage() + "); "
        + (kind == Listener.TLS ? "check 'tlsCertPath' and 'tlsKeyPath', or choose another 'tlsPort'"
        : "choose another '" + kind.option + "'") + " in MqttAdapterOptions", err)))
      .onSuccess(s -> {
        switch (kind) {
          case TCP -> server = s;
          case WEBSOCKET -> websocketServer = s;
          case TLS -> tlsServer = s;
        }
        LOG.info("MQTT server{} listening on {}:{}", kind.label, options.getHost(), s.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = Future.succeededFuture();
    if (server != null) {
      closed = closed.compose(v -> server.close());
    }
    if (websocketServer != null) {
      closed = closed.compose(v -> websocketServer.close());
    }
    if (tlsServer != null) {
      closed = closed.compose(v -> tlsServer.close());
    }
    if (broker != null) {
      closed = closed.compose(v -> broker.close());
    }
    if (ownBridge && bridge != null) {
      closed = closed.compose(v -> bridge.close());
    }
    return closed;
  }

  /** @return the MQTT port (the chosen one when the options said 0), or -1 before start */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** @return the port of MQTT over WebSocket, or -1 when off or before start */
  public int actualWebsocketPort() {
    return websocketServer == null ? -1 : websocketServer.actualPort();
  }

  /** @return the bridge the adapter plugs into, to issue tokens, reload rules and read counters; null before start */
  public Bridge bridge() {
    return bridge;
  }

  /** @return the port of MQTT over TLS, or -1 when off or before start */
  public int actualTlsPort() {
    return tlsServer == null ? -1 : tlsServer.actualPort();
  }

  /**
   * Ends at once every connection of this node that logged in with {@code username} and a password that is no token
   * (a credential store's login, e.g. a device that was just disabled): DISCONNECT 0x98 Administrative action in
   * MQTT 5, a close in 3.1.1. Refusing its next CONNECT is the store's part.
   *
   * @param reason the reason string of the MQTT 5 DISCONNECT
   * @return how many connections were ended; 0 before start
   */
  public Future<Integer> disconnectLogin(String username, String reason) {
    MqttBroker current = broker;
    if (current == null) {
      return Future.succeededFuture(0);
    }
    // the broker's state belongs to the verticle's context
    Promise<Integer> ended = Promise.promise();
    context.runOnContext(v -> ended.complete(current.disconnectLogin(username, reason)));
    return ended.future();
  }

  /** @return the adapter's counters; all zero before start */
  public MqttStats stats() {
    return broker == null ? new MqttStats(0, 0, 0, 0, 0, 0, 0, 0, 0) : broker.stats();
  }
}
