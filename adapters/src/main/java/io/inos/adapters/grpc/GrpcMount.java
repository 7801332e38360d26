package io.inos.adapters.grpc;

import io.inos.adapters.grpc.impl.StreamingReflection;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;

import java.util.List;

/**
 * gRPC on the same port as REST and SockJS: a {@link GrpcServer} with the given services, gRPC health (SERVING) and
 * reflection ({@code grpc.reflection.v1} and {@code v1alpha}, every request of a stream answered), and a route that
 * hands it every request whose content type <em>starts with</em> {@code application/grpc} ({@code application/grpc},
 * {@code +proto}, {@code +json}, gRPC-Web). Other requests go on down the router. A method no service has is
 * answered UNIMPLEMENTED by the gRPC server itself.
 *
 * <p>gRPC needs HTTP/2; over cleartext (h2c) the HTTP server must allow it, which Vert.x 5's
 * {@code HttpServerOptions} does by default ({@code http2ClearTextEnabled = true}). Mount this before any handler
 * that reads bodies on every path (a {@code BodyHandler} on {@code router.route()} would eat the gRPC stream).
 */
public final class GrpcMount {

  private static final String GRPC_CONTENT_TYPE = "application/grpc";

  private final GrpcServer server;
  private final HealthService health;

  private GrpcMount(Vertx vertx, GrpcMountOptions options, List<Service> services) {
    this.server = GrpcServer.server(vertx, options.getServerOptions());
    for (Service service : services) {
      server.addService(service);
    }
    this.health = options.isHealthEnabled() ? HealthService.create(vertx) : null;
    if (health != null) {
      server.addService(health);
    }
    if (options.isReflectionEnabled()) {
      // INOS's own: vertx-grpc-reflection's ReflectionService.v1() answers only the first request of a stream
      server.addService(StreamingReflection.v1());
      server.addService(StreamingReflection.v1alpha());
    }
  }

  /** @param services the services to serve, e.g. {@code new NexusGrpcService(nexus).grpcService()} */
  public static GrpcMount create(Vertx vertx, GrpcMountOptions options, List<Service> services) {
    return new GrpcMount(vertx, options, services);
  }

  /** Adds the gRPC route to {@code router}, matching every path. */
  public void mount(Router router) {
    router.route().handler(this::route);
  }

  /** @return the gRPC server, to add services to or to use as a plain request handler */
  public GrpcServer server() {
    return server;
  }

  /** @return the health service, to register checks of one's own on, or {@code null} when disabled */
  public HealthService health() {
    return health;
  }

  /** @return whether {@code request} is a gRPC call (of any gRPC flavour) */
  public static boolean isGrpc(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return contentType != null && contentType.regionMatches(true, 0, GRPC_CONTENT_TYPE, 0, GRPC_CONTENT_TYPE.length());
  }

  private void route(RoutingContext ctx) {
    if (isGrpc(ctx.request())) {
      server.handle(ctx.request());
    } else {
      ctx.next();
    }
  }
}
