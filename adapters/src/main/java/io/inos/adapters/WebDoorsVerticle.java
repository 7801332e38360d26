package io.inos.adapters;

import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WebDoors} on an HTTP server of their own, for embedders that have no router:
 * {@code vertx.deployVerticle(new WebDoorsVerticle(nexus, options))}. REST, SockJS and gRPC (h2c) share the port.
 * Without a Nexus it makes one on the deploying Vert.x instance.
 */
public final class WebDoorsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebDoorsVerticle.class);

  private final WebDoorsOptions options;
  private Nexus nexus;
  private WebDoors doors;
  private HttpServer server;

  public WebDoorsVerticle(WebDoorsOptions options) {
    this(null, options);
  }

  public WebDoorsVerticle(Nexus nexus, WebDoorsOptions options) {
    this.nexus = nexus;
    this.options = new WebDoorsOptions(options);
  }

  @Override
  public Future<?> start() {
    if (nexus == null) {
      nexus = Nexus.create(vertx);
    }
    doors = WebDoors.create(vertx, nexus, options);
    Router router = Router.router(vertx);
    doors.mount(router);
    HttpServerOptions http = new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort())
      .setHttp2ClearTextEnabled(true);
    return vertx.createHttpServer(http).requestHandler(router).listen()
      .recover(err -> Future.failedFuture(new IllegalStateException("the web doors cannot listen on "
        + options.getHost() + ":" + options.getPort() + " (" + err.getMessage()
        + "); choose another 'port' in WebDoorsOptions", err)))
      .onSuccess(s -> {
        server = s;
        LOG.info("web doors (REST, SockJS, gRPC) listening on {}:{}", options.getHost(), s.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    return doors == null ? Future.succeededFuture() : doors.close();
  }

  /** @return the port the server listens on (the chosen one when the options said 0), or -1 before start */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** @return the doors, to read their counters; {@code null} before start */
  public WebDoors doors() {
    return doors;
  }
}
