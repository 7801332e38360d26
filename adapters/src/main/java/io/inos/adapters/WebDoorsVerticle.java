package io.inos.adapters;

import io.inos.adapters.bridge.Bridge;
import io.inos.nexus.Nexus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link WebDoors} on HTTP servers of their own, for embedders that have no router:
 * {@code vertx.deployVerticle(new WebDoorsVerticle(nexus, options))}. REST, SSE, SockJS, both WebSocket protocols
 * and gRPC (h2c) share the port.
 *
 * <p>The doors and their bridge are made once, on this verticle's context; the port is served by
 * {@link WebDoorsOptions#getInstances()} HTTP servers (one per event loop by default), each on its own event loop,
 * so accepting, reading and writing connections use every core while the subscription table stays one per node.
 * Without a Nexus it makes one on the deploying Vert.x instance.
 */
public final class WebDoorsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebDoorsVerticle.class);

  private final WebDoorsOptions options;
  private final Bridge sharedBridge;
  private final List<Service> grpcServices;
  private final Consumer<Router> routes;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private Nexus nexus;
  private volatile WebDoors doors;
  private volatile int port = -1;

  public WebDoorsVerticle(WebDoorsOptions options) {
    this((Nexus) null, options);
  }

  /** @param nexus the Nexus to serve, or {@code null} for a new one on the deploying Vert.x */
  public WebDoorsVerticle(Nexus nexus, WebDoorsOptions options) {
    this(nexus, null, options, List.of(), router -> { });
  }

  /**
   * @param nexus        the Nexus to serve (ignored when {@code bridge} is given)
   * @param bridge       a bridge shared with other adapters, or {@code null} for one made from the options
   * @param options      the doors' options
   * @param grpcServices gRPC services served beside {@code NexusService}
   * @param routes       adds the embedder's own routes after the doors, on each server's router
   */
  public WebDoorsVerticle(Nexus nexus, Bridge bridge, WebDoorsOptions options, List<Service> grpcServices,
                          Consumer<Router> routes) {
    this.nexus = bridge != null ? bridge.nexus() : nexus;
    this.sharedBridge = bridge;
    this.options = new WebDoorsOptions(options);
    this.grpcServices = List.copyOf(grpcServices);
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    if (nexus == null) {
      nexus = Nexus.create(vertx);
    }
    try {
      doors = sharedBridge != null ? WebDoors.create(sharedBridge, options, grpcServices)
        : WebDoors.create(vertx, nexus, options, grpcServices);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    int instances = options.getInstances() > 0 ? options.getInstances()
      : 2 * Runtime.getRuntime().availableProcessors();
    // servers on the same host and port share one socket, and Vert.x hands each new connection to the next server's
    // event loop; for "any free port" a negative port is Vert.x's way of asking for one random port shared by all
    // (port 0 would give each server a port of its own)
    int listenPort = options.getPort() == 0 ? -1 : options.getPort();
    return vertx.deployVerticle(() -> new PortServer(listenPort), new DeploymentOptions().setInstances(instances))
      .recover(err -> doors.close().transform(v -> Future.failedFuture(err)))
      .onSuccess(v -> LOG.info("web doors (REST, SSE, SockJS, WebSocket, gRPC) listening on {}:{} with {} servers",
        options.getHost(), port, servers.size()));
  }

  @Override
  public Future<?> stop() {
    return doors == null ? Future.succeededFuture() : doors.close();
  }

  /**
   * Stops accepting connections, lets in-flight requests finish for up to {@code drainMs}, and meanwhile closes the
   * connections that never finish by themselves (sockets, streams).
   */
  public Future<Void> drain(long drainMs) {
    List<Future<Void>> done = new ArrayList<>();
    for (HttpServer server : servers) {
      done.add(server.shutdown(drainMs, TimeUnit.MILLISECONDS));
    }
    WebDoors open = doors;
    if (open != null) {
      done.add(open.close());
    }
    return Future.join(done).mapEmpty();
  }

  /** @return the port the servers listen on (the chosen one when the options said 0), or -1 before start */
  public int actualPort() {
    return port;
  }

  /** @return the ports of the HTTP servers serving the doors now, one per instance (all the same port) */
  public List<Integer> serverPorts() {
    return servers.stream().map(HttpServer::actualPort).toList();
  }

  /** @return the doors, to read their counters; {@code null} before start */
  public WebDoors doors() {
    return doors;
  }

  /** One HTTP server of the port, on its own event loop, with the shared doors on a router of its own. */
  private final class PortServer extends VerticleBase {

    private final int listenPort;

    PortServer(int listenPort) {
      this.listenPort = listenPort;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      doors.mount(router);
      routes.accept(router);
      HttpServer server = vertx.createHttpServer(doors.httpServerOptions().setHost(options.getHost())
        .setPort(listenPort));
      if (options.isCoalesceFlushes()) {
        server.connectionHandler(CoalescedFlushes::install);
      }
      return server.requestHandler(router).listen()
        .recover(err -> Future.failedFuture(new IllegalStateException("the web doors cannot listen on "
          + options.getHost() + ":" + options.getPort() + " (" + err.getMessage()
          + "); choose another 'port' in WebDoorsOptions", err)))
        .onSuccess(listening -> {
          servers.add(listening);
          port = listening.actualPort();
        });
    }
  }
}
