package io.inos.adapters.grpc;

import io.vertx.core.json.JsonObject;

/** Options of the {@link NexusGrpcService}. */
public final class NexusGrpcOptions {

  /** 0 = the Nexus's own request timeout. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 0;
  public static final String DEFAULT_SOURCE = "grpc";

  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private String source = DEFAULT_SOURCE;

  public NexusGrpcOptions() {
  }

  public NexusGrpcOptions(NexusGrpcOptions other) {
    this.requestTimeoutMs = other.requestTimeoutMs;
    this.source = other.source;
  }

  public NexusGrpcOptions(JsonObject json) {
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setSource(json.getString("source", DEFAULT_SOURCE));
  }

  public JsonObject toJson() {
    return new JsonObject().put("requestTimeoutMs", requestTimeoutMs).put("source", source);
  }

  /** How long {@code EmitEvent} with {@code await_outcome} waits; 0 = the Nexus default. */
  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public NexusGrpcOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs < 0) {
      throw new IllegalArgumentException("requestTimeoutMs must be 0 or positive, was " + requestTimeoutMs);
    }
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  /** The {@code source} given to emitted envelopes that have none. */
  public String getSource() {
    return source;
  }

  public NexusGrpcOptions setSource(String source) {
    this.source = source;
    return this;
  }
}
