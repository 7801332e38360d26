package io.inos.adapters;

import io.inos.adapters.grpc.GrpcMount;
import io.inos.adapters.grpc.NexusGrpcService;
import io.inos.adapters.http.RestDoor;
import io.inos.adapters.sockjs.BrowserBridge;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.Service;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP-port doors of INOS, built once per node and mounted on any vertx-web {@link Router}: gRPC (h2c, health,
 * reflection, {@code NexusService} and any services added), REST ({@code /api/{service}_ops}, {@code /api/events})
 * and the SockJS event-bus bridge ({@code /eventbus}).
 *
 * <pre>{@code
 * WebDoors doors = WebDoors.create(vertx, nexus, new WebDoorsOptions(), List.of(myCampaignGrpcService));
 * Router router = Router.router(vertx);
 * doors.mount(router);                        // first: gRPC must see its requests before any body handler
 * router.get("/health").handler(...);         // the server's own routes
 * vertx.createHttpServer().requestHandler(router).listen(8080);
 * }</pre>
 */
public final class WebDoors {

  private final RestDoor rest;
  private final BrowserBridge bridge;
  private final GrpcMount grpc;
  private final NexusGrpcService nexusGrpc;

  private WebDoors(Vertx vertx, Nexus nexus, WebDoorsOptions options, List<Service> extraGrpcServices) {
    this.rest = options.isRestEnabled() ? RestDoor.create(nexus, options.getRest()) : null;
    this.bridge = options.isBridgeEnabled() ? BrowserBridge.create(vertx, nexus, options.getBridge()) : null;
    if (options.isGrpcEnabled()) {
      this.nexusGrpc = new NexusGrpcService(nexus, options.getNexusGrpc());
      List<Service> services = new ArrayList<>();
      services.add(nexusGrpc.grpcService());
      services.addAll(extraGrpcServices);
      this.grpc = GrpcMount.create(vertx, options.getGrpc(), services);
    } else {
      this.nexusGrpc = null;
      this.grpc = null;
    }
  }

  public static WebDoors create(Vertx vertx, Nexus nexus, WebDoorsOptions options) {
    return new WebDoors(vertx, nexus, new WebDoorsOptions(options), List.of());
  }

  /** @param extraGrpcServices gRPC services served beside {@code NexusService}, e.g. a {@code CampaignService} */
  public static WebDoors create(Vertx vertx, Nexus nexus, WebDoorsOptions options, List<Service> extraGrpcServices) {
    return new WebDoors(vertx, nexus, new WebDoorsOptions(options), List.copyOf(extraGrpcServices));
  }

  /** Mounts the open doors on {@code router}, gRPC first. Call it before adding routes that read bodies. */
  public void mount(Router router) {
    if (grpc != null) {
      grpc.mount(router);
    }
    if (rest != null) {
      rest.mount(router);
    }
    if (bridge != null) {
      bridge.mount(router);
    }
  }

  /** @return the REST door, or {@code null} when closed by the options */
  public RestDoor rest() {
    return rest;
  }

  /** @return the SockJS bridge, or {@code null} when closed by the options */
  public BrowserBridge bridge() {
    return bridge;
  }

  /** @return the gRPC mount, or {@code null} when closed by the options */
  public GrpcMount grpc() {
    return grpc;
  }

  /** @return the {@code NexusService} implementation, or {@code null} when gRPC is closed */
  public NexusGrpcService nexusGrpc() {
    return nexusGrpc;
  }

  /** Ends gRPC streams and closes bridge sockets; the HTTP server is the embedder's to close. */
  public Future<Void> close() {
    if (nexusGrpc != null) {
      nexusGrpc.close();
    }
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
