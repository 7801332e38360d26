package io.inos.adapters.http;

import io.vertx.core.json.JsonObject;

/** Options of the {@link RestDoor}: where it listens on a router, how much it reads, how long it waits. */
public final class RestDoorOptions {

  public static final String DEFAULT_API_PREFIX = "/api";
  /** 1 MiB; the original gateway allowed 2 MB frames, a REST call is smaller. */
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
  /** 0 = the Nexus's own request timeout. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 0;
  public static final String DEFAULT_SOURCE = "rest";

  private String apiPrefix = DEFAULT_API_PREFIX;
  private long bodyLimit = DEFAULT_BODY_LIMIT;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private String source = DEFAULT_SOURCE;

  public RestDoorOptions() {
  }

  public RestDoorOptions(RestDoorOptions other) {
    this.apiPrefix = other.apiPrefix;
    this.bodyLimit = other.bodyLimit;
    this.requestTimeoutMs = other.requestTimeoutMs;
    this.source = other.source;
  }

  public RestDoorOptions(JsonObject json) {
    setApiPrefix(json.getString("apiPrefix", DEFAULT_API_PREFIX));
    setBodyLimit(json.getLong("bodyLimit", DEFAULT_BODY_LIMIT));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setSource(json.getString("source", DEFAULT_SOURCE));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("apiPrefix", apiPrefix)
      .put("bodyLimit", bodyLimit)
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("source", source);
  }

  /** The path the routes hang under: {@code {prefix}/{service}_ops} and {@code {prefix}/events}. */
  public String getApiPrefix() {
    return apiPrefix;
  }

  public RestDoorOptions setApiPrefix(String apiPrefix) {
    if (apiPrefix == null || !apiPrefix.startsWith("/") || apiPrefix.endsWith("/")) {
      throw new IllegalArgumentException("apiPrefix must start with '/' and not end with one, was '" + apiPrefix + "'");
    }
    this.apiPrefix = apiPrefix;
    return this;
  }

  /** The largest request body read, in bytes; a larger one is answered 413. */
  public long getBodyLimit() {
    return bodyLimit;
  }

  public RestDoorOptions setBodyLimit(long bodyLimit) {
    if (bodyLimit <= 0) {
      throw new IllegalArgumentException("bodyLimit must be positive, was " + bodyLimit);
    }
    this.bodyLimit = bodyLimit;
    return this;
  }

  /** How long a request waits for its outcome; 0 = the Nexus default. */
  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public RestDoorOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs < 0) {
      throw new IllegalArgumentException("requestTimeoutMs must be 0 or positive, was " + requestTimeoutMs);
    }
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  /** The {@code source} of the events this door makes (an envelope posted to {@code /api/events} keeps its own). */
  public String getSource() {
    return source;
  }

  public RestDoorOptions setSource(String source) {
    this.source = source;
    return this;
  }
}
