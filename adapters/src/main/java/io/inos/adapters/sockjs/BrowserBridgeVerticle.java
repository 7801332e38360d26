package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.Bridge;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge and its SockJS door on an HTTP server of their own, deployable into any Vert.x application:
 * {@code vertx.deployVerticle(new BrowserBridgeVerticle(options))}. Without a Nexus it makes one on the deploying
 * Vert.x instance. The bridge, its consumers and its server end when the verticle is undeployed.
 */
public final class BrowserBridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BrowserBridgeVerticle.class);

  private final BrowserBridgeVerticleOptions options;
  private Nexus nexus;
  private BrowserBridge door;
  private HttpServer server;

  public BrowserBridgeVerticle(BrowserBridgeVerticleOptions options) {
    this(null, options);
  }

  /** @param nexus the Nexus to bridge to, or {@code null} for a new one on the deploying Vert.x */
  public BrowserBridgeVerticle(Nexus nexus, BrowserBridgeVerticleOptions options) {
    this.nexus = nexus;
    this.options = new BrowserBridgeVerticleOptions(options);
  }

  @Override
  public Future<?> start() {
    if (nexus == null) {
      nexus = Nexus.create(vertx);
    }
    try {
      door = BrowserBridge.create(vertx, nexus, options.getBridge());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Router router = Router.router(vertx);
    door.mount(router);
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
      .requestHandler(router).listen()
      .recover(err -> door.close().transform(v -> Future.failedFuture(new IllegalStateException(
        "the browser bridge cannot listen on " + options.getHost() + ":" + options.getPort() + " ("
          + err.getMessage() + "); choose another 'port' in BrowserBridgeVerticleOptions", err))))
      .onSuccess(s -> {
        server = s;
        LOG.info("browser bridge (SockJS {}) listening on {}:{}", options.getBridge().getPath(), options.getHost(),
          s.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    return door == null ? Future.succeededFuture() : door.close();
  }

  /** @return the port the server listens on (the chosen one when the options said 0), or -1 before start */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** @return the bridge, to issue tokens, reload rules and read counters; {@code null} before start */
  public Bridge bridge() {
    return door == null ? null : door.bridge();
  }

  /** @return the SockJS door; {@code null} before start */
  public BrowserBridge door() {
    return door;
  }
}
