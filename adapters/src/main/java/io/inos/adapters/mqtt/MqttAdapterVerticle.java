package io.inos.adapters.mqtt;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.mqtt.impl.MqttBroker;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
    Future<?> listening = broker.start().compose(v -> listen(false, options.getPort()));
    if (options.getWebsocketPort() >= 0) {
      listening = listening.compose(s -> listen(true, options.getWebsocketPort()));
    }
    return listening.recover(err -> stop().transform(v -> Future.failedFuture(err)));
  }

  private Future<MqttServer> listen(boolean websocket, int port) {
    MqttServerOptions serverOptions = new MqttServerOptions()
      .setHost(options.getHost())
      .setPort(port)
      .setMaxMessageSize(options.getMaxMessageSize())
      .setMaxClientIdLength(options.getMaxClientIdLength())
      .setTimeoutOnConnect(options.getTimeoutOnConnectSeconds())
      // an empty client id gets an id from us (and MQTT 5 clients are told it), not a random one from vertx-mqtt
      .setAutoClientId(false)
      .setUseWebSocket(websocket);
    if (websocket) {
      serverOptions.setWebSocketMaxFrameSize(options.getMaxMessageSize());
    }
    MqttServer created = MqttServer.create(vertx, serverOptions);
    String key = websocket ? "websocketPort" : "port";
    return created.endpointHandler(broker::handle)
      .exceptionHandler(err -> LOG.debug("mqtt: connection failed before CONNECT: {}", err.toString()))
      .listen()
      .recover(err -> Future.failedFuture(new IllegalStateException("the MQTT server cannot listen on "
        + options.getHost() + ":" + port + (websocket ? " (WebSocket)" : "") + " (" + err.getMessage()
        + "); choose another '" + key + "' in MqttAdapterOptions", err)))
      .onSuccess(s -> {
        if (websocket) {
          websocketServer = s;
        } else {
          server = s;
        }
        LOG.info("MQTT server{} listening on {}:{}", websocket ? " (WebSocket at /mqtt)" : "", options.getHost(),
          s.actualPort());
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

  /** @return the adapter's counters; all zero before start */
  public MqttStats stats() {
    return broker == null ? new MqttStats(0, 0, 0, 0, 0, 0, 0, 0, 0) : broker.stats();
  }
}
