package io.inos.server;

import io.inos.adapters.WebDoors;
import io.inos.adapters.WebDoorsOptions;
import io.inos.adapters.WebDoorsVerticle;
import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.TokenOptions;
import io.inos.adapters.http.CorsOptions;
import io.inos.adapters.http.RestDoorOptions;
import io.inos.adapters.amqp.AmqpAdapterOptions;
import io.inos.adapters.amqp.AmqpAdapterVerticle;
import io.inos.adapters.mqtt.MqttAdapterOptions;
import io.inos.adapters.mqtt.MqttListenException;
import io.inos.adapters.mqtt.MqttAdapterVerticle;
import io.inos.adapters.mqtt.MqttAuthenticator;
import io.inos.adapters.mqtt.MqttEventHandover;
import io.inos.device.DeviceDisconnects;
import io.inos.device.DevicePasswords;
import io.inos.device.DeviceRepository;
import io.inos.device.DeviceSecrets;
import io.inos.device.DeviceVerticle;
import io.inos.device.DeviceVerticleOptions;
import io.inos.device.PgDeviceAuthenticator;
import io.inos.campaign.CampaignGrpcService;
import io.inos.campaign.CampaignVerticle;
import io.inos.ledger.LedgerJournal;
import io.inos.ledger.LedgerWriter;
import io.inos.ledger.LedgerWriterOptions;
import io.inos.nexus.Nexus;
import io.inos.nexus.NexusOptions;
import io.inos.nexus.redis.ExtensionState;
import io.inos.nexus.redis.RedisExtension;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.server.cluster.ClusterMembership;
import io.inos.server.cluster.ClusterSetup;
import io.inos.server.config.BridgeRulesSource;
import io.inos.server.config.InosConfig;
import io.inos.server.config.InosSetting;
import io.inos.server.db.PgDatabase;
import io.inos.server.db.PgDatabaseOptions;
import io.inos.server.health.HealthRoutes;
import io.inos.server.health.ReadinessCheck;
import io.inos.server.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole INOS server in one process: Vert.x with metrics, PostgreSQL (created, migrated, retried in the
 * background), the ledger, the Nexus, the services, and one HTTP port carrying REST, the SockJS bridge, gRPC (h2c),
 * health, readiness and metrics.
 *
 * <pre>{@code
 * InosConfig config = InosConfigLoader.load(args, System.getenv());
 * InosServer server = InosServer.start(config).await();   // off the event loop
 * int port = server.httpPort();
 * server.stop().await();
 * }</pre>
 *
 * <p>The server starts even when PostgreSQL is down; {@code /ready} says why until it comes up, and the services
 * answer UNAVAILABLE meanwhile. Redis and the AMQP broker are not critical: while one is away {@code /ready} says
 * {@code DEGRADED} (still 200) and the node serves without it, catching up when it comes. {@link #stop()} drains:
 * the HTTP server stops taking connections and lets in-flight requests finish (up to {@code shutdown.drainMs}),
 * services stop taking requests and finish theirs, and the ledger is flushed.
 */
public final class InosServer {

  private static final Logger LOG = LoggerFactory.getLogger(InosServer.class);

  private final InosConfig config;
  private final Metrics metrics;
  private final Vertx vertx;
  private final PgDatabase database;
  private final LedgerWriter ledger;
  private final Nexus nexus;
  private final WebDoorsVerticle web;
  private BridgeRulesWatcher rulesWatcher;
  private MqttAdapterVerticle mqtt;
  /** on a node of a cluster without the MQTT server: hands its events to the other nodes' MQTT clients */
  private MqttEventHandover mqttHandover;
  private String mqttDeployment;
  private String amqpDeployment;
  /** The AMQP adapter; {@code null} without {@code INOS_AMQP_URL} and until it is deployed. */
  private volatile AmqpAdapterVerticle amqp;
  /** The Redis extension of the Nexus; {@code null} when {@code INOS_REDIS_URL} is unset. */
  private final RedisExtension redis;
  private final Consumer<Router> routes;
  /** Who is in the cluster; {@code null} on a single node. */
  private final ClusterMembership membership;
  private final AtomicReference<Future<Void>> stopping = new AtomicReference<>();
  private String campaignDeployment;
  private String deviceDeployment;
  private String httpDeployment;

  private InosServer(InosConfig config, Metrics metrics, Vertx vertx, ClusterMembership membership,
                     Consumer<Router> routes) {
    this.config = config;
    this.membership = membership;
    this.routes = routes;
    this.metrics = metrics;
    this.vertx = vertx;
    this.database = PgDatabase.create(vertx, new PgDatabaseOptions()
      .setUrl(config.pgUrl())
      .setPoolSize(config.pgPoolSize()));
    this.ledger = LedgerWriter.create(vertx, database::pool, new LedgerWriterOptions()
      .setBatchSize(config.ledgerBatchSize())
      .setFlushIntervalMs(config.ledgerFlushIntervalMs())
      .setMaxQueue(config.ledgerMaxQueue()), metrics.registry());
    this.nexus = Nexus.create(vertx, new NexusOptions()
      .setRequestTimeoutMs(config.requestTimeoutMs())
      // a handler must finish a little before its caller gives up, so the caller gets the :failed event
      .setHandlerTimeoutMs(Math.max(1, config.requestTimeoutMs() - Math.min(500, config.requestTimeoutMs() / 10)))
      .setEnvironment(config.environment())
      // the ledger records every lifecycle event, but never the secret of a registered device
      .setJournal(DeviceSecrets.redacting(new LedgerJournal(ledger)))
      .setMeterRegistry(metrics.registry()));
    this.redis = config.redisUrl().map(url -> RedisExtension.create(nexus, redisOptions(config, url),
      metrics.registry())).orElse(null);
    this.web = new WebDoorsVerticle(nexus, null, webDoorsOptions(),
      List.of(new CampaignGrpcService(nexus, config.requestTimeoutMs()).grpcService()), this::operationalRoutes);
  }

  /**
   * Starts a server. Call it off the event loop or on it; the server gets contexts of its own either way.
   *
   * @param config the configuration
   * @return completes when the HTTP port listens (PostgreSQL may still be coming up); fails, with everything closed
   * again, when the server cannot start, e.g. when the port is in use, with a message naming the setting to change
   */
  public static Future<InosServer> start(InosConfig config) {
    return start(config, router -> { });
  }

  /**
   * Starts a server whose HTTP port also serves the embedder's own routes (a web application, say), added after
   * the doors and the operational routes.
   *
   * @param config the configuration
   * @param routes adds routes to the server's router, on the HTTP verticle's event loop
   * @return as {@link #start(InosConfig)}
   */
  public static Future<InosServer> start(InosConfig config, Consumer<Router> routes) {
    DevLogin.announce(config);
    Metrics metrics = Metrics.create();
    HazelcastClusterManager cluster = config.clustered() ? ClusterSetup.clusterManager(config) : null;
    Future<Vertx> built;
    try {
      // the native transport (epoll) where it loads, NIO elsewhere
      VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
      built = cluster == null ? Future.succeededFuture(metrics.vertxBuilder(vertxOptions).build())
        : metrics.vertxBuilder(ClusterSetup.vertxOptions(config, vertxOptions)).withClusterManager(cluster)
          .buildClustered();
    } catch (RuntimeException e) {
      built = Future.failedFuture(e);
    }
    // completed straight from the callbacks: after closeAll, the contexts of the server's Vert.x are gone, and a
    // future bound to one of them (as deployVerticle's are) could no longer tell anyone
    Promise<InosServer> started = Promise.promise();
    built.onComplete(ar -> {
      if (ar.failed()) {
        metrics.close();
        started.fail(cluster == null ? ar.cause() : new IllegalStateException(InosSetting.CLUSTER.env()
          + ": cannot join the cluster '" + config.clusterName() + "' on port " + config.clusterPort() + " ("
          + ar.cause().getMessage() + "); check " + InosSetting.CLUSTER_PORT.env() + " and "
          + InosSetting.CLUSTER_MEMBERS.env(), ar.cause()));
        return;
      }
      Vertx vertx = ar.result();
      LOG.info("INOS transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)"
        : "NIO (native transport unavailable: " + vertx.unavailableNativeTransportCause() + ")");
      InosServer server;
      try {
        ClusterMembership membership = cluster == null ? null : ClusterMembership.watch(vertx, cluster,
          metrics.registry());
        server = new InosServer(config, metrics, vertx, membership, routes);
      } catch (RuntimeException e) {
        vertx.close().andThen(closed -> metrics.close()).onComplete(closed -> started.fail(e));
        return;
      }
      server.startAll().onComplete(all -> {
        if (all.succeeded()) {
          started.complete(server);
        } else {
          server.closeAll().onComplete(closed -> started.fail(all.cause()));
        }
      });
    });
    return started.future();
  }

  private Future<Void> startAll() {
    return vertx.deployVerticle(new CampaignVerticle(nexus, database::pool))
      .compose(id -> {
        campaignDeployment = id;
        return vertx.deployVerticle(new DeviceVerticle(nexus, database::pool, new DeviceVerticleOptions()
          .setAdminUserIds(Set.copyOf(config.deviceAdmins()))));
      })
      .compose(id -> {
        deviceDeployment = id;
        return vertx.deployVerticle(web).recover(err -> Future.failedFuture(explainListenFailure(config, err)));
      })
      .map(id -> {
        httpDeployment = id;
        LOG.info("INOS listening on http://{}:{} (REST /api, SSE, SockJS /eventbus, WebSocket /ws and /bridge/ws, "
          + "gRPC h2c, /health, /ready, /metrics)", config.httpHost(), web.actualPort());
        config.bridgeRules().flatMap(BridgeRulesSource::file).ifPresent(file ->
          rulesWatcher = BridgeRulesWatcher.start(vertx, file, web.doors().bridge()));
        return null;
      })
      .compose(v -> startRedis())
      .compose(v -> startMqtt())
      .compose(v -> startAmqp())
      .map(v -> {
        // only once the port is ours, so a server that cannot start never touches the database; not awaited: the
        // server serves /health and its services answer UNAVAILABLE until the database is up
        database.start();
        return null;
      });
  }

  /**
   * The Redis options: the URL from {@code INOS_REDIS_URL}, the rest from {@code INOS_REDIS_EXTENSION}; the nodes of
   * one Hazelcast cluster share the relay's cluster id (the cluster's name) unless it is set, so they never relay
   * each other's events back to themselves.
   */
  private static RedisExtensionOptions redisOptions(InosConfig config, String url) {
    JsonObject json = config.redisExtension().put("url", url);
    JsonObject relay = json.getJsonObject("relay", new JsonObject());
    if (config.clustered() && !relay.containsKey("clusterId")) {
      json.put("relay", relay.put("clusterId", config.clusterName()));
    }
    return new RedisExtensionOptions(json);
  }

  /** Not awaited beyond its first state: a node whose Redis is away starts DEGRADED and catches up when it comes. */
  private Future<Void> startRedis() {
    if (redis == null) {
      return Future.succeededFuture();
    }
    return redis.start().map(state -> {
      LOG.info("INOS Redis extension {}{}", state.status(), state.isUp() ? "" : " (" + state.reason() + ")");
      return null;
    });
  }

  /** The AMQP adapter, when {@code INOS_AMQP_URL} is set, with the bindings of {@code INOS_AMQP_BINDINGS}. */
  private Future<Void> startAmqp() {
    if (config.amqpUrl().isEmpty()) {
      return Future.succeededFuture();
    }
    if (config.amqpBindings().isEmpty()) {
      LOG.warn("{} is set but {} names no binding: the AMQP adapter connects and exchanges nothing",
        InosSetting.AMQP_URL.env(), InosSetting.AMQP_BINDINGS.env());
    }
    AmqpAdapterOptions options = new AmqpAdapterOptions(new JsonObject()
      .put("uri", config.amqpUrl().get())
      .put("bindings", config.amqpBindings()))
      .setMeterRegistry(metrics.registry());
    // a broker that is down does not stop the node: the adapter starts disconnected and keeps trying, and /ready
    // reports it; a broker that refuses (credentials, topology) still stops start-up
    AmqpAdapterVerticle adapter = new AmqpAdapterVerticle(nexus, options);
    return vertx.deployVerticle(adapter)
      .recover(err -> Future.failedFuture(new IllegalStateException(InosSetting.AMQP_URL.env() + ": the AMQP adapter "
        + "cannot start: " + err.getMessage(), err)))
      .map(id -> {
        amqpDeployment = id;
        amqp = adapter;
        return null;
      });
  }

  /** @return the Redis extension (history, relay, presence, shared limits), or {@code null} without Redis */
  public RedisExtension redis() {
    return redis;
  }

  /** MQTT devices on the same bridge as the web doors: one identity, one set of rules and limits for every protocol. */
  private Future<Void> startMqtt() {
    if (!config.mqttEnabled()) {
      if (vertx.isClustered()) {
        // the MQTT clients of the other nodes may want the events published here
        mqttHandover = MqttEventHandover.start(vertx);
      }
      return Future.succeededFuture();
    }
    Bridge bridge = web.doors().bridge();
    // devices log in with a user name and password from the device table; a JWT password (or user name "jwt") is
    // still a bearer token, and no password still makes a guest
    // (devices are registered through the device service, device:register_device, on the same database)
    MqttAuthenticator authenticator = MqttAuthenticator.tokensOr(new PgDeviceAuthenticator(
      new DeviceRepository(database::pool), new DevicePasswords(vertx), bridge.tokenIssuer(),
      PgDeviceAuthenticator.DEFAULT_IDENTITY_SECONDS));
    MqttAdapterOptions options = new MqttAdapterOptions()
      .setHost(config.httpHost())
      .setPort(config.mqttPort())
      .setWebsocketPort(config.mqttWebsocketPort())
      .setTlsPort(config.mqttTlsPort())
      .setTlsCertPath(config.mqttTlsCert().orElse(null))
      .setTlsKeyPath(config.mqttTlsKey().orElse(null))
      .setMaxSubscriptionsPerSession(config.mqttMaxSubscriptionsPerSession())
      .setAuthenticator(authenticator);
    if (redis != null) {
      // retained messages and persistent sessions survive a restart
      options.setRedisUrl(config.redisUrl().orElseThrow())
        .setRedisKeyPrefix(mqttRedisKeyPrefix(config, redis.options().getKeyPrefix(), System.getenv("HOSTNAME")));
    }
    mqtt = new MqttAdapterVerticle(nexus, bridge, options, null);
    return vertx.deployVerticle(mqtt)
      .recover(err -> Future.failedFuture(explainMqttListenFailure(config, err)))
      .compose(id -> {
        mqttDeployment = id;
        LOG.info("INOS MQTT listening on {}:{}{}{}", config.httpHost(), mqtt.actualPort(),
          mqtt.actualWebsocketPort() > 0 ? ", over WebSocket on port " + mqtt.actualWebsocketPort() : "",
          mqtt.actualTlsPort() > 0 ? ", over TLS on port " + mqtt.actualTlsPort() : "");
        // a device disabled through the device service, on whichever node, loses its connections to this one at once
        return DeviceDisconnects.listen(vertx, username -> mqtt.disconnectLogin(username, "the device was disabled"));
      })
      .mapEmpty();
  }

  /**
   * The prefix of the MQTT server's Redis keys: {@code mqtt.redisKeyPrefix} when set, else the Redis extension's
   * prefix + {@code mqtt:}. A node restores only its own sessions, so the nodes of a cluster each add their own name,
   * the address they announce (public host, else cluster host, else the machine's {@code hostName}) and cluster port:
   * a node restarted at the same address finds its sessions again; one at a new address (a new pod IP) starts without
   * them, and they expire in Redis.
   *
   * @param hostName the machine's host name ({@code HOSTNAME}), or {@code null}
   */
  static String mqttRedisKeyPrefix(InosConfig config, String extensionPrefix, String hostName) {
    if (config.mqttRedisKeyPrefix().isPresent()) {
      return config.mqttRedisKeyPrefix().get();
    }
    String prefix = extensionPrefix + "mqtt:";
    if (!config.clustered()) {
      return prefix;
    }
    String host = config.clusterPublicHost().or(config::clusterHost)
      .orElse(hostName == null || hostName.isBlank() ? null : hostName);
    if (host == null) {
      host = "node-" + UUID.randomUUID();
      LOG.warn("MQTT sessions in Redis will not survive a restart of this cluster node: it has no address of its own "
        + "to keep them under; set {} or {}", InosSetting.MQTT_REDIS_KEY_PREFIX.env(), InosSetting.CLUSTER_HOST.env());
    }
    return prefix + host + ":" + config.clusterPort() + ":";
  }

  /** @return the MQTT port (the chosen one when configured as 0), or -1 when the MQTT server is off */
  public int mqttPort() {
    return mqtt == null ? -1 : mqtt.actualPort();
  }

  /** @return the MQTT-over-TLS port (the chosen one when configured as 0), or -1 when off */
  public int mqttTlsPort() {
    return mqtt == null ? -1 : mqtt.actualTlsPort();
  }

  /** @return the port the HTTP server listens on (the chosen one when configured as 0) */
  public int httpPort() {
    return web.actualPort();
  }

  /** @return the server's Vert.x instance */
  public Vertx vertx() {
    return vertx;
  }

  /** @return the Nexus the services are served on; serve more services on it to expose them on every door */
  public Nexus nexus() {
    return nexus;
  }

  /** @return the bridge every door shares: issue tokens, reload rules, read counters; {@code null} before start */
  public Bridge bridge() {
    WebDoors doors = web.doors();
    return doors == null ? null : doors.bridge();
  }

  /** @return the PostgreSQL component ({@link PgDatabase#pool()} is {@code null} until the database is up) */
  public PgDatabase database() {
    return database;
  }

  /** @return the ledger writer every lifecycle event goes to */
  public LedgerWriter ledger() {
    return ledger;
  }

  /** @return the configuration the server runs with */
  public InosConfig config() {
    return config;
  }

  /**
   * Stops gracefully, in this order: the HTTP port stops accepting connections, in-flight HTTP and gRPC requests
   * finish (bounded by {@code shutdown.drainMs}) while browser sockets and gRPC event streams are closed (they never
   * end on their own and would hold the drain for its whole time); the services stop taking requests and finish
   * theirs; the ledger is flushed (bounded by the same time); then everything closes. Calling it again returns the
   * same future.
   *
   * @return completes when everything is closed
   */
  public Future<Void> stop() {
    Promise<Void> stopped = Promise.promise();
    if (!stopping.compareAndSet(null, stopped.future())) {
      return stopping.get();
    }
    long drainMs = config.shutdownDrainMs();
    LOG.info("INOS stopping: draining in-flight requests for up to {} ms", drainMs);
    if (rulesWatcher != null) {
      rulesWatcher.stop();
    }
    if (mqttHandover != null) {
      mqttHandover.close();
    }
    undeploy(amqpDeployment)
      .eventually(() -> undeploy(mqttDeployment))
      .eventually(() -> web.drain(drainMs))
      .eventually(() -> undeploy(httpDeployment))
      .eventually(() -> undeploy(deviceDeployment))
      .eventually(() -> undeploy(campaignDeployment))
      .eventually(() -> ledger.flush().timeout(drainMs, TimeUnit.MILLISECONDS)
        .onFailure(err -> LOG.warn("ledger not fully flushed at shutdown ({} entries queued): {}", ledger.queued(),
          err.getMessage())))
      .onComplete(drained -> closeAll().onComplete(ar -> {
        LOG.info("INOS stopped");
        stopped.handle(ar);
      }));
    return stopped.future();
  }

  private Future<Void> undeploy(String deployment) {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  /** Closes everything; the returned future is bound to no context, so it completes after Vert.x is gone. */
  private Future<Void> closeAll() {
    if (membership != null) {
      membership.stop();
    }
    Future<Void> redisClosed = redis == null ? Future.succeededFuture() : redis.close();
    return redisClosed
      .eventually(ledger::close)
      .eventually(database::close)
      .eventually(vertx::close)
      .andThen(ar -> metrics.close());
  }

  /** The doors' options from the configuration: one bridge (key, rules, limits) under every door. */
  private WebDoorsOptions webDoorsOptions() {
    TokenOptions tokens = new TokenOptions();
    config.jwtKey().ifPresent(tokens::setKey);
    BridgeOptions bridge = new BridgeOptions()
      .setTokens(tokens)
      .setAllowGuests(config.bridgeAllowGuests())
      .setMaxInboundPerSecond(config.bridgeMaxInboundPerSecond())
      .setRequestTimeoutMs(config.requestTimeoutMs())
      .setMeterRegistry(metrics.registry())
      // recovery, shared rate limits and presence at every door when INOS_REDIS_URL is set; null: none
      .setRedis(redis);
    config.bridgeRules().ifPresent(source -> bridge.setRules(source.rules()));
    return new WebDoorsOptions()
      .setHost(config.httpHost())
      .setPort(config.httpPort())
      .setInstances(config.httpInstances())
      .setBridge(bridge)
      .setCors(new CorsOptions().setAllowedOrigins(config.corsAllowedOrigins()))
      .setRest(new RestDoorOptions().setBodyLimit(config.httpMaxBodyBytes()));
  }

  /** The operational routes beside the doors on every HTTP server of the port, then the embedder's. */
  private void operationalRoutes(Router router) {
    HealthRoutes health = HealthRoutes.create(List.of(database.readiness()), metrics.registry());
    if (redis != null) {
      health.addCheck(ReadinessCheck.optional("redis", () -> {
        ExtensionState state = redis.state();
        return state.isUp() ? ReadinessCheck.Result.up() : ReadinessCheck.Result.down(state.reason());
      }));
    }
    if (config.amqpUrl().isPresent()) {
      health.addCheck(ReadinessCheck.optional("amqp", () -> {
        AmqpAdapterVerticle adapter = amqp;
        String problem = adapter == null ? "starting" : adapter.problem();
        return problem == null ? ReadinessCheck.Result.up() : ReadinessCheck.Result.down(problem);
      }));
    }
    if (membership != null) {
      health.addDetail("cluster", membership::toJson);
    }
    health.mount(router);
    DevLogin.mountIfAllowed(router, config, web);
    routes.accept(router);
  }

  private static Throwable explainListenFailure(InosConfig config, Throwable err) {
    return explainPortInUse(InosSetting.HTTP_PORT, config.httpPort(), config.httpHost(), err, "0 for any");
  }

  private static Throwable explainMqttListenFailure(InosConfig config, Throwable err) {
    if (!(err instanceof MqttListenException listen)) {
      return err;
    }
    // which of the three MQTT listeners it was: the adapter names its option
    return switch (listen.option()) {
      case "websocketPort" -> explainPortInUse(InosSetting.MQTT_WEBSOCKET_PORT, config.mqttWebsocketPort(),
        config.httpHost(), err, "0 for any, or -1 for off");
      case "tlsPort" -> explainTlsFailure(config, err);
      default -> explainPortInUse(InosSetting.MQTT_PORT, config.mqttPort(), config.httpHost(), err,
        "0 for any, or -1 for off");
    };
  }

  /** A TLS listener that failed for another reason than its port: its certificate or key. */
  private static Throwable explainTlsFailure(InosConfig config, Throwable err) {
    Throwable port = explainPortInUse(InosSetting.MQTT_TLS_PORT, config.mqttTlsPort(), config.httpHost(), err,
      "0 for any, or -1 for off");
    if (port != err) {
      return port;
    }
    return new IllegalStateException(InosSetting.MQTT_TLS_CERT.env() + " / " + InosSetting.MQTT_TLS_KEY.env()
      + ": the MQTT TLS listener cannot use \"" + config.mqttTlsCert().orElse("") + "\" and \""
      + config.mqttTlsKey().orElse("") + "\" (" + rootMessage(err) + "); give PEM files of a certificate chain and its "
      + "private key", err);
  }

  private static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static Throwable explainPortInUse(InosSetting setting, int port, String host, Throwable err,
                                            String alternatives) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      // BindException from the JDK transport; the native transports report errno text instead
      boolean inUse = t instanceof BindException
        || (t.getMessage() != null && t.getMessage().contains("Address already in use"));
      if (inUse) {
        return new IllegalStateException(setting.env() + " (" + setting.key() + "): port " + port + " on " + host
          + " is in use or not allowed (" + t.getMessage() + "); set " + setting.env() + " to a free port, or "
          + alternatives, err);
      }
    }
    return err;
  }
}
