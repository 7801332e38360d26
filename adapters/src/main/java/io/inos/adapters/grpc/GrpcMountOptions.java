package io.inos.adapters.grpc;

import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.GrpcServerOptions;

/** Options of a {@link GrpcMount}: the gRPC server's own options, and whether health and reflection are served. */
public final class GrpcMountOptions {

  public static final boolean DEFAULT_HEALTH_ENABLED = true;
  public static final boolean DEFAULT_REFLECTION_ENABLED = true;

  private boolean healthEnabled = DEFAULT_HEALTH_ENABLED;
  private boolean reflectionEnabled = DEFAULT_REFLECTION_ENABLED;
  private GrpcServerOptions serverOptions = new GrpcServerOptions();

  public GrpcMountOptions() {
  }

  public GrpcMountOptions(GrpcMountOptions other) {
    this.healthEnabled = other.healthEnabled;
    this.reflectionEnabled = other.reflectionEnabled;
    this.serverOptions = new GrpcServerOptions(other.serverOptions);
  }

  public GrpcMountOptions(JsonObject json) {
    this.healthEnabled = json.getBoolean("healthEnabled", DEFAULT_HEALTH_ENABLED);
    this.reflectionEnabled = json.getBoolean("reflectionEnabled", DEFAULT_REFLECTION_ENABLED);
    JsonObject server = json.getJsonObject("server");
    this.serverOptions = server == null ? new GrpcServerOptions() : new GrpcServerOptions(server);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("healthEnabled", healthEnabled)
      .put("reflectionEnabled", reflectionEnabled)
      .put("server", serverOptions.toJson());
  }

  /** Whether {@code grpc.health.v1.Health} is served (SERVING for the server and each of its services). */
  public boolean isHealthEnabled() {
    return healthEnabled;
  }

  public GrpcMountOptions setHealthEnabled(boolean healthEnabled) {
    this.healthEnabled = healthEnabled;
    return this;
  }

  /** Whether {@code grpc.reflection.v1.ServerReflection} and its {@code v1alpha} twin are served (for grpcurl). */
  public boolean isReflectionEnabled() {
    return reflectionEnabled;
  }

  public GrpcMountOptions setReflectionEnabled(boolean reflectionEnabled) {
    this.reflectionEnabled = reflectionEnabled;
    return this;
  }

  /** The options of the Vert.x gRPC server (message size limit, protocols, deadlines). */
  public GrpcServerOptions getServerOptions() {
    return new GrpcServerOptions(serverOptions);
  }

  public GrpcMountOptions setServerOptions(GrpcServerOptions serverOptions) {
    this.serverOptions = new GrpcServerOptions(serverOptions);
    return this;
  }
}
