package io.inos.adapters;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.grpc.GrpcMount;
import io.inos.adapters.grpc.NexusGrpcService;
import io.inos.adapters.http.Cors;
import io.inos.adapters.http.EventStream;
import io.inos.adapters.http.OpenApiDoc;
import io.inos.adapters.http.PresenceDoor;
import io.inos.adapters.http.RestDoor;
import io.inos.adapters.http.RestDoorOptions;
import io.inos.adapters.sockjs.BrowserBridge;
import io.inos.adapters.sockjs.BrowserBridgeOptions;
import io.inos.adapters.ws.GatewayDoor;
import io.inos.adapters.ws.GatewayDoorOptions;
import io.inos.adapters.ws.TcpBridgeDoor;
import io.inos.adapters.ws.TcpBridgeDoorOptions;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.Service;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP-port doors of a node on its one {@link Bridge}, built once and mounted on any number of vertx-web
 * {@link Router}s (one per HTTP server instance, so connections spread over every event loop): gRPC (h2c, health,
 * reflection, {@code NexusService} and any services added), CORS, REST ({@code /api/{service}_ops},
 * {@code /api/events}) under the bridge's identity and rules, SSE ({@code /api/events/stream}), the OpenAPI document
 * ({@code /api/openapi.json}), the SockJS event-bus bridge ({@code /eventbus}), the original WebSocket gateway
 * ({@code /ws/{campaign}/{user}}) and the TCP-bridge frames over WebSocket ({@code /bridge/ws}).
 *
 * <p>With the node's Redis extension ({@link io.inos.adapters.bridge.BridgeOptions#setRedis}, or
 * {@link WebDoorsOptions#setRedis}) the doors also recover missed events for reconnecting clients (SSE
 * {@code Last-Event-ID}, the {@code inos-last-event-id} header of SockJS and TCP-bridge {@code register} frames, the
 * gateway's {@code ?since=}), share each user's inbound rate across the nodes, keep campaign presence (gateway,
 * SockJS {@code campaign:{id}} registrations) and serve it at {@code GET /api/presence/{campaign}}
 * ({@link PresenceDoor}). Without it they work as on a single node.
 *
 * <pre>{@code
 * WebDoors doors = WebDoors.create(vertx, nexus, new WebDoorsOptions(), List.of(myCampaignGrpcService));
 * Router router = Router.router(vertx);
 * doors.mount(router);                        // first: gRPC must see its requests before any body handler
 * router.get("/health").handler(...);         // the server's own routes
 * vertx.createHttpServer(doors.httpServerOptions().setPort(8080)).requestHandler(router).listen();
 * }</pre>
 *
 * Create it on the context that should own the bridge's consumers and timers (a verticle's {@code start()}).
 */
public final class WebDoors {

  private final Bridge bridge;
  private final boolean ownsBridge;
  private final WebDoorsOptions options;
  private final Cors cors;
  private final RestDoor rest;
  private final EventStream eventStream;
  private final PresenceDoor presence;
  private final OpenApiDoc openApi;
  private final BrowserBridge sockJS;
  private final GatewayDoor gateway;
  private final TcpBridgeDoor tcpBridge;
  private final GrpcMount grpc;
  private final NexusGrpcService nexusGrpc;

  private WebDoors(Bridge bridge, boolean ownsBridge, WebDoorsOptions options, List<Service> extraGrpcServices) {
    this.bridge = bridge;
    this.ownsBridge = ownsBridge;
    this.options = options;
    Nexus nexus = bridge.nexus();
    RestDoorOptions restOptions = options.getRest();
    this.cors = Cors.create(options.getCors());
    this.rest = !options.isRestEnabled() ? null
      : options.isRestSecured() ? RestDoor.create(bridge, restOptions) : RestDoor.create(nexus, restOptions);
    this.eventStream = options.isEventStreamEnabled() ? EventStream.create(bridge, options.getEventStream()) : null;
    this.presence = options.isRestEnabled() ? PresenceDoor.create(bridge, restOptions) : null;
    this.openApi = options.isOpenApiEnabled() ? OpenApiDoc.create(restOptions) : null;
    this.sockJS = options.isSockJSEnabled() ? BrowserBridge.create(bridge, options.getSockJS()) : null;
    this.gateway = options.isGatewayEnabled() ? GatewayDoor.create(bridge, options.getGateway()) : null;
    this.tcpBridge = options.isTcpBridgeEnabled() ? TcpBridgeDoor.create(bridge, options.getTcpBridge()) : null;
    if (options.isGrpcEnabled()) {
      this.nexusGrpc = new NexusGrpcService(nexus, options.getNexusGrpc());
      List<Service> services = new ArrayList<>();
      services.add(nexusGrpc.grpcService());
      services.addAll(extraGrpcServices);
      this.grpc = GrpcMount.create(bridge.vertx(), options.getGrpc(), services);
    } else {
      this.nexusGrpc = null;
      this.grpc = null;
    }
  }

  /**
   * Doors on a bridge of their own, made from {@link WebDoorsOptions#getBridge()} and closed with them.
   *
   * @throws IllegalArgumentException when the bridge's rules or key do not load
   */
  public static WebDoors create(Vertx vertx, Nexus nexus, WebDoorsOptions options) {
    return create(vertx, nexus, options, List.of());
  }

  /** @param extraGrpcServices gRPC services served beside {@code NexusService}, e.g. a {@code CampaignService} */
  public static WebDoors create(Vertx vertx, Nexus nexus, WebDoorsOptions options, List<Service> extraGrpcServices) {
    WebDoorsOptions copy = new WebDoorsOptions(options);
    Bridge bridge = Bridge.create(vertx, nexus, copy.getBridge());
    return new WebDoors(bridge, true, copy, List.copyOf(extraGrpcServices));
  }

  /**
   * Doors on a bridge shared with other adapters (MQTT, say); {@link WebDoorsOptions#getBridge()} is ignored and
   * closing the doors leaves the bridge open.
   */
  public static WebDoors create(Bridge bridge, WebDoorsOptions options, List<Service> extraGrpcServices) {
    return new WebDoors(bridge, false, new WebDoorsOptions(options), List.copyOf(extraGrpcServices));
  }

  /**
   * Mounts the open doors on {@code router}, gRPC first. Call it before adding routes that read bodies. It may be
   * called for several routers: the doors and the bridge are shared by all.
   */
  public void mount(Router router) {
    if (grpc != null) {
      grpc.mount(router);
    }
    String api = options.getRest().getApiPrefix();
    cors.mount(router, api, options.getSockJS().getPath());
    if (openApi != null) {
      openApi.mount(router);
    }
    // the stream before REST: its path lies under the REST prefix
    if (eventStream != null) {
      eventStream.mount(router);
    }
    if (presence != null) {
      presence.mount(router);
    }
    if (rest != null) {
      rest.mount(router);
    }
    if (sockJS != null) {
      sockJS.mount(router);
    }
    if (gateway != null) {
      gateway.mount(router);
    }
    if (tcpBridge != null) {
      tcpBridge.mount(router);
    }
  }

  /**
   * HTTP server options the doors need: h2c for gRPC, WebSocket message and frame limits large enough for the
   * largest frame a door accepts (the gateway's 2 MB), so the door, not the server, refuses an oversized frame with
   * its own error. Set host and port on the result.
   */
  public HttpServerOptions httpServerOptions() {
    int largest = Math.max(options.getSockJS().getMaxFrameBytes(),
      Math.max(options.getGateway().getMaxFrameBytes(), options.getTcpBridge().getMaxFrameBytes()));
    // one frame above the limit still arrives whole, so the door can answer it rather than the server cut it
    int limit = largest + 1024;
    return new HttpServerOptions()
      .setHttp2ClearTextEnabled(true)
      .setMaxWebSocketMessageSize(Math.max(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE, limit))
      .setMaxWebSocketFrameSize(Math.max(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE, limit));
  }

  /** @return the bridge every door stands on */
  public Bridge bridge() {
    return bridge;
  }

  /** @return the REST door, or {@code null} when closed by the options */
  public RestDoor rest() {
    return rest;
  }

  /** @return the SSE door, or {@code null} when closed by the options */
  public EventStream eventStream() {
    return eventStream;
  }

  /** @return the presence door, or {@code null} without the Redis extension or with REST closed */
  public PresenceDoor presence() {
    return presence;
  }

  /** @return the SockJS door, or {@code null} when closed by the options */
  public BrowserBridge sockJS() {
    return sockJS;
  }

  /** @return the original WebSocket gateway, or {@code null} when closed by the options */
  public GatewayDoor gateway() {
    return gateway;
  }

  /** @return the TCP-bridge WebSocket door, or {@code null} when closed by the options */
  public TcpBridgeDoor tcpBridge() {
    return tcpBridge;
  }

  /** @return the gRPC mount, or {@code null} when closed by the options */
  public GrpcMount grpc() {
    return grpc;
  }

  /** @return the {@code NexusService} implementation, or {@code null} when gRPC is closed */
  public NexusGrpcService nexusGrpc() {
    return nexusGrpc;
  }

  /**
   * Ends gRPC streams and closes every door's connections, then the bridge when the doors made it; the HTTP servers
   * are the embedder's to close.
   */
  public Future<Void> close() {
    if (nexusGrpc != null) {
      nexusGrpc.close();
    }
    List<Future<Void>> closing = new ArrayList<>();
    if (sockJS != null) {
      closing.add(sockJS.close());
    }
    if (gateway != null) {
      closing.add(gateway.close());
    }
    if (tcpBridge != null) {
      closing.add(tcpBridge.close());
    }
    Future<Void> doors = Future.join(closing).mapEmpty();
    return ownsBridge ? doors.eventually(bridge::close) : doors;
  }
}
