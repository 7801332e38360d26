package io.inos.adapters;

import io.inos.adapters.grpc.GrpcMountOptions;
import io.inos.adapters.grpc.NexusGrpcOptions;
import io.inos.adapters.http.RestDoorOptions;
import io.inos.adapters.sockjs.BrowserBridgeOptions;
import io.vertx.core.json.JsonObject;

/**
 * Options of {@link WebDoors} and of {@link WebDoorsVerticle}: which doors are open and each door's options; host and
 * port are used only when the doors get their own HTTP server ({@link WebDoorsVerticle}).
 *
 * <p>JSON: {@code {"host", "port", "restEnabled", "bridgeEnabled", "grpcEnabled", "rest": {…}, "bridge": {…},
 * "grpc": {…}, "nexusGrpc": {…}}}.
 */
public final class WebDoorsOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The {@code INOS_HTTP_PORT} default; 0 = any free port. */
  public static final int DEFAULT_PORT = 8080;
  public static final boolean DEFAULT_REST_ENABLED = true;
  public static final boolean DEFAULT_BRIDGE_ENABLED = true;
  public static final boolean DEFAULT_GRPC_ENABLED = true;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private boolean restEnabled = DEFAULT_REST_ENABLED;
  private boolean bridgeEnabled = DEFAULT_BRIDGE_ENABLED;
  private boolean grpcEnabled = DEFAULT_GRPC_ENABLED;
  private RestDoorOptions rest = new RestDoorOptions();
  private BrowserBridgeOptions bridge = new BrowserBridgeOptions();
  private GrpcMountOptions grpc = new GrpcMountOptions();
  private NexusGrpcOptions nexusGrpc = new NexusGrpcOptions();

  public WebDoorsOptions() {
  }

  public WebDoorsOptions(WebDoorsOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.restEnabled = other.restEnabled;
    this.bridgeEnabled = other.bridgeEnabled;
    this.grpcEnabled = other.grpcEnabled;
    this.rest = new RestDoorOptions(other.rest);
    this.bridge = new BrowserBridgeOptions(other.bridge);
    this.grpc = new GrpcMountOptions(other.grpc);
    this.nexusGrpc = new NexusGrpcOptions(other.nexusGrpc);
  }

  public WebDoorsOptions(JsonObject json) {
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    this.restEnabled = json.getBoolean("restEnabled", DEFAULT_REST_ENABLED);
    this.bridgeEnabled = json.getBoolean("bridgeEnabled", DEFAULT_BRIDGE_ENABLED);
    this.grpcEnabled = json.getBoolean("grpcEnabled", DEFAULT_GRPC_ENABLED);
    this.rest = new RestDoorOptions(json.getJsonObject("rest", new JsonObject()));
    this.bridge = new BrowserBridgeOptions(json.getJsonObject("bridge", new JsonObject()));
    this.grpc = new GrpcMountOptions(json.getJsonObject("grpc", new JsonObject()));
    this.nexusGrpc = new NexusGrpcOptions(json.getJsonObject("nexusGrpc", new JsonObject()));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("restEnabled", restEnabled)
      .put("bridgeEnabled", bridgeEnabled)
      .put("grpcEnabled", grpcEnabled)
      .put("rest", rest.toJson())
      .put("bridge", bridge.toJson())
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

  public boolean isRestEnabled() {
    return restEnabled;
  }

  public WebDoorsOptions setRestEnabled(boolean restEnabled) {
    this.restEnabled = restEnabled;
    return this;
  }

  public boolean isBridgeEnabled() {
    return bridgeEnabled;
  }

  public WebDoorsOptions setBridgeEnabled(boolean bridgeEnabled) {
    this.bridgeEnabled = bridgeEnabled;
    return this;
  }

  public boolean isGrpcEnabled() {
    return grpcEnabled;
  }

  public WebDoorsOptions setGrpcEnabled(boolean grpcEnabled) {
    this.grpcEnabled = grpcEnabled;
    return this;
  }

  public RestDoorOptions getRest() {
    return new RestDoorOptions(rest);
  }

  public WebDoorsOptions setRest(RestDoorOptions rest) {
    this.rest = new RestDoorOptions(rest);
    return this;
  }

  public BrowserBridgeOptions getBridge() {
    return new BrowserBridgeOptions(bridge);
  }

  public WebDoorsOptions setBridge(BrowserBridgeOptions bridge) {
    this.bridge = new BrowserBridgeOptions(bridge);
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
}
