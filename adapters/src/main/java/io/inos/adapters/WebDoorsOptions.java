package io.inos.adapters;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.grpc.GrpcMountOptions;
import io.inos.adapters.grpc.NexusGrpcOptions;
import io.inos.adapters.http.CorsOptions;
import io.inos.adapters.http.EventStreamOptions;
import io.inos.adapters.http.RestDoorOptions;
import io.inos.adapters.sockjs.BrowserBridgeOptions;
import io.inos.adapters.ws.GatewayDoorOptions;
import io.inos.adapters.ws.TcpBridgeDoorOptions;
import io.inos.nexus.redis.RedisExtension;
import io.vertx.core.json.JsonObject;

/**
 * Options of {@link WebDoors} and of {@link WebDoorsVerticle}: the node's one bridge ({@code bridge}: identity, rules,
 * limits), which doors are open and each door's options. Host, port and instances are used only when the doors get
 * servers of their own ({@link WebDoorsVerticle}).
 *
 * <p>JSON: {@code {"host", "port", "instances", "coalesceFlushes", "restEnabled", "restSecured", "sockJSEnabled", "gatewayEnabled",
 * "tcpBridgeEnabled", "eventStreamEnabled", "openApiEnabled", "grpcEnabled", "bridge": {…}, "rest": {…},
 * "sockJS": {…}, "gateway": {…}, "tcpBridge": {…}, "eventStream": {…}, "cors": {…}, "grpc": {…},
 * "nexusGrpc": {…}}}. The SockJS options' own {@code bridgeOptions} are ignored here: every door shares
 * {@code bridge}.
 *
 * <p>The node's Redis extension is an object, not configuration: {@link #setRedis} (it goes to the bridge's options).
 */
public final class WebDoorsOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The {@code INOS_HTTP_PORT} default; 0 = any free port. */
  public static final int DEFAULT_PORT = 8080;
  /** 0 = one HTTP server per event loop, so connections and their writes use every core. */
  public static final int DEFAULT_INSTANCES = 0;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int instances = DEFAULT_INSTANCES;
  private boolean coalesceFlushes = true;
  private boolean restEnabled = true;
  private boolean restSecured = true;
  private boolean sockJSEnabled = true;
  private boolean gatewayEnabled = true;
  private boolean tcpBridgeEnabled = true;
  private boolean eventStreamEnabled = true;
  private boolean openApiEnabled = true;
  private boolean grpcEnabled = true;
  private BridgeOptions bridge = new BridgeOptions();
  private RestDoorOptions rest = new RestDoorOptions();
  private BrowserBridgeOptions sockJS = new BrowserBridgeOptions();
  private GatewayDoorOptions gateway = new GatewayDoorOptions();
  private TcpBridgeDoorOptions tcpBridge = new TcpBridgeDoorOptions();
  private EventStreamOptions eventStream = new EventStreamOptions();
  private CorsOptions cors = new CorsOptions();
  private GrpcMountOptions grpc = new GrpcMountOptions();
  private NexusGrpcOptions nexusGrpc = new NexusGrpcOptions();

  public WebDoorsOptions() {
  }

  public WebDoorsOptions(WebDoorsOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.instances = other.instances;
    this.coalesceFlushes = other.coalesceFlushes;
    this.restEnabled = other.restEnabled;
    this.restSecured = other.restSecured;
    this.sockJSEnabled = other.sockJSEnabled;
    this.gatewayEnabled = other.gatewayEnabled;
    this.tcpBridgeEnabled = other.tcpBridgeEnabled;
    this.eventStreamEnabled = other.eventStreamEnabled;
    this.openApiEnabled = other.openApiEnabled;
    this.grpcEnabled = other.grpcEnabled;
    this.bridge = new BridgeOptions(other.bridge);
    this.rest = new RestDoorOptions(other.rest);
    this.sockJS = new BrowserBridgeOptions(other.sockJS);
    this.gateway = new GatewayDoorOptions(other.gateway);
    this.tcpBridge = new TcpBridgeDoorOptions(other.tcpBridge);
    this.eventStream = new EventStreamOptions(other.eventStream);
    this.cors = new CorsOptions(other.cors);
    this.grpc = new GrpcMountOptions(other.grpc);
    this.nexusGrpc = new NexusGrpcOptions(other.nexusGrpc);
  }

  /** @throws IllegalArgumentException naming the key of a bad value */
  public WebDoorsOptions(JsonObject json) {
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setInstances(json.getInteger("instances", DEFAULT_INSTANCES));
    this.coalesceFlushes = json.getBoolean("coalesceFlushes", true);
    this.restEnabled = json.getBoolean("restEnabled", true);
    this.restSecured = json.getBoolean("restSecured", true);
    this.sockJSEnabled = json.getBoolean("sockJSEnabled", true);
    this.gatewayEnabled = json.getBoolean("gatewayEnabled", true);
    this.tcpBridgeEnabled = json.getBoolean("tcpBridgeEnabled", true);
    this.eventStreamEnabled = json.getBoolean("eventStreamEnabled", true);
    this.openApiEnabled = json.getBoolean("openApiEnabled", true);
    this.grpcEnabled = json.getBoolean("grpcEnabled", true);
    this.bridge = new BridgeOptions(json.getJsonObject("bridge", new JsonObject()));
    this.rest = new RestDoorOptions(json.getJsonObject("rest", new JsonObject()));
    this.sockJS = new BrowserBridgeOptions(json.getJsonObject("sockJS", new JsonObject()));
    this.gateway = new GatewayDoorOptions(json.getJsonObject("gateway", new JsonObject()));
    this.tcpBridge = new TcpBridgeDoorOptions(json.getJsonObject("tcpBridge", new JsonObject()));
    this.eventStream = new EventStreamOptions(json.getJsonObject("eventStream", new JsonObject()));
    this.cors = new CorsOptions(json.getJsonObject("cors", new JsonObject()));
    this.grpc = new GrpcMountOptions(json.getJsonObject("grpc", new JsonObject()));
    this.nexusGrpc = new NexusGrpcOptions(json.getJsonObject("nexusGrpc", new JsonObject()));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("instances", instances)
      .put("coalesceFlushes", coalesceFlushes)
      .put("restEnabled", restEnabled)
      .put("restSecured", restSecured)
      .put("sockJSEnabled", sockJSEnabled)
      .put("gatewayEnabled", gatewayEnabled)
      .put("tcpBridgeEnabled", tcpBridgeEnabled)
      .put("eventStreamEnabled", eventStreamEnabled)
      .put("openApiEnabled", openApiEnabled)
      .put("grpcEnabled", grpcEnabled)
      .put("bridge", bridge.toJson())
      .put("rest", rest.toJson())
      .put("sockJS", sockJS.toJson())
      .put("gateway", gateway.toJson())
      .put("tcpBridge", tcpBridge.toJson())
      .put("eventStream", eventStream.toJson())
      .put("cors", cors.toJson())
      .put("grpc", grpc.toJson())
      .put("nexusGrpc", nexusGrpc.toJson());
  }

  public String getHost() {
    return host;
  }

  public WebDoorsOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  /** The port of the verticle's own server; 0 = any free port. */
  public int getPort() {
    return port;
  }

  public WebDoorsOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** HTTP servers sharing the port (one per event loop each); 0 = as many as event loops. */
  /** @return whether the servers' connections coalesce their flushes ({@link CoalescedFlushes}); default true */
  public boolean isCoalesceFlushes() {
    return coalesceFlushes;
  }

  /**
   * Whether each connection of the doors' servers lets its flushes wait for the end of its event loop's current
   * tasks, so a socket that is sent several frames meanwhile writes them with one system call.
   */
  public WebDoorsOptions setCoalesceFlushes(boolean coalesceFlushes) {
    this.coalesceFlushes = coalesceFlushes;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  public WebDoorsOptions setInstances(int instances) {
    if (instances < 0) {
      throw new IllegalArgumentException("instances must be 0 (one per event loop) or more, was " + instances);
    }
    this.instances = instances;
    return this;
  }

  public boolean isRestEnabled() {
    return restEnabled;
  }

  public WebDoorsOptions setRestEnabled(boolean restEnabled) {
    this.restEnabled = restEnabled;
    return this;
  }

  /**
   * Whether REST runs under the bridge's identity and inbound rules (the default); {@code false} opens it to anyone,
   * for embedders who put their own security in front of the router.
   */
  public boolean isRestSecured() {
    return restSecured;
  }

  public WebDoorsOptions setRestSecured(boolean restSecured) {
    this.restSecured = restSecured;
    return this;
  }

  public boolean isSockJSEnabled() {
    return sockJSEnabled;
  }

  public WebDoorsOptions setSockJSEnabled(boolean sockJSEnabled) {
    this.sockJSEnabled = sockJSEnabled;
    return this;
  }

  public boolean isGatewayEnabled() {
    return gatewayEnabled;
  }

  public WebDoorsOptions setGatewayEnabled(boolean gatewayEnabled) {
    this.gatewayEnabled = gatewayEnabled;
    return this;
  }

  public boolean isTcpBridgeEnabled() {
    return tcpBridgeEnabled;
  }

  public WebDoorsOptions setTcpBridgeEnabled(boolean tcpBridgeEnabled) {
    this.tcpBridgeEnabled = tcpBridgeEnabled;
    return this;
  }

  public boolean isEventStreamEnabled() {
    return eventStreamEnabled;
  }

  public WebDoorsOptions setEventStreamEnabled(boolean eventStreamEnabled) {
    this.eventStreamEnabled = eventStreamEnabled;
    return this;
  }

  public boolean isOpenApiEnabled() {
    return openApiEnabled;
  }

  public WebDoorsOptions setOpenApiEnabled(boolean openApiEnabled) {
    this.openApiEnabled = openApiEnabled;
    return this;
  }

  public boolean isGrpcEnabled() {
    return grpcEnabled;
  }

  public WebDoorsOptions setGrpcEnabled(boolean grpcEnabled) {
    this.grpcEnabled = grpcEnabled;
    return this;
  }

  /** The node's one bridge, shared by every door. */
  public BridgeOptions getBridge() {
    return new BridgeOptions(bridge);
  }

  public WebDoorsOptions setBridge(BridgeOptions bridge) {
    this.bridge = new BridgeOptions(bridge);
    return this;
  }

  public RestDoorOptions getRest() {
    return new RestDoorOptions(rest);
  }

  public WebDoorsOptions setRest(RestDoorOptions rest) {
    this.rest = new RestDoorOptions(rest);
    return this;
  }

  public BrowserBridgeOptions getSockJS() {
    return new BrowserBridgeOptions(sockJS);
  }

  public WebDoorsOptions setSockJS(BrowserBridgeOptions sockJS) {
    this.sockJS = new BrowserBridgeOptions(sockJS);
    return this;
  }

  public GatewayDoorOptions getGateway() {
    return new GatewayDoorOptions(gateway);
  }

  public WebDoorsOptions setGateway(GatewayDoorOptions gateway) {
    this.gateway = new GatewayDoorOptions(gateway);
    return this;
  }

  public TcpBridgeDoorOptions getTcpBridge() {
    return new TcpBridgeDoorOptions(tcpBridge);
  }

  public WebDoorsOptions setTcpBridge(TcpBridgeDoorOptions tcpBridge) {
    this.tcpBridge = new TcpBridgeDoorOptions(tcpBridge);
    return this;
  }

  public EventStreamOptions getEventStream() {
    return new EventStreamOptions(eventStream);
  }

  public WebDoorsOptions setEventStream(EventStreamOptions eventStream) {
    this.eventStream = new EventStreamOptions(eventStream);
    return this;
  }

  public CorsOptions getCors() {
    return new CorsOptions(cors);
  }

  public WebDoorsOptions setCors(CorsOptions cors) {
    this.cors = new CorsOptions(cors);
    return this;
  }

  public GrpcMountOptions getGrpc() {
    return new GrpcMountOptions(grpc);
  }

  public WebDoorsOptions setGrpc(GrpcMountOptions grpc) {
    this.grpc = new GrpcMountOptions(grpc);
    return this;
  }

  public NexusGrpcOptions getNexusGrpc() {
    return new NexusGrpcOptions(nexusGrpc);
  }

  public WebDoorsOptions setNexusGrpc(NexusGrpcOptions nexusGrpc) {
    this.nexusGrpc = new NexusGrpcOptions(nexusGrpc);
    return this;
  }

  /** @return the Redis extension the doors' bridge uses ({@link BridgeOptions#getRedis()}), or {@code null} */
  public RedisExtension getRedis() {
    return bridge.getRedis();
  }

  /**
   * Gives the doors the node's Redis extension (recovery, shared rate limits, presence); {@code null}: none. Kept in
   * the bridge's options, so set it after {@link #setBridge}.
   */
  public WebDoorsOptions setRedis(RedisExtension redis) {
    bridge.setRedis(redis);
    return this;
  }
}
