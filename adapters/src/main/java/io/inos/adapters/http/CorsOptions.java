package io.inos.adapters.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;

import java.util.List;


/**
 * Cross-origin settings for the HTTP doors (REST, SSE, OpenAPI). No allowed origin (the default) means same-origin
 * only: {@link Cors} then adds no handler and browsers keep pages of other origins out. {@code "*"} allows any origin
 * (without credentials).
 */
public final class CorsOptions {

  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of();
  public static final List<String> DEFAULT_ALLOWED_METHODS = List.of("GET", "POST", "OPTIONS");
  public static final List<String> DEFAULT_ALLOWED_HEADERS = List.of("Content-Type", "Authorization",
    "X-Correlation-Id", "Last-Event-ID");
  public static final List<String> DEFAULT_EXPOSED_HEADERS = List.of("X-Correlation-Id");
  public static final boolean DEFAULT_ALLOW_CREDENTIALS = false;
  /** How long a browser may cache a preflight answer. */
  public static final int DEFAULT_MAX_AGE_SECONDS = 600;

  private List<String> allowedOrigins = DEFAULT_ALLOWED_ORIGINS;
  private List<String> allowedMethods = DEFAULT_ALLOWED_METHODS;
  private List<String> allowedHeaders = DEFAULT_ALLOWED_HEADERS;
  private List<String> exposedHeaders = DEFAULT_EXPOSED_HEADERS;
  private boolean allowCredentials = DEFAULT_ALLOW_CREDENTIALS;
  private int maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS;

  public CorsOptions() {
  }

  public CorsOptions(CorsOptions other) {
    this.allowedOrigins = other.allowedOrigins;
    this.allowedMethods = other.allowedMethods;
    this.allowedHeaders = other.allowedHeaders;
    this.exposedHeaders = other.exposedHeaders;
    this.allowCredentials = other.allowCredentials;
    this.maxAgeSeconds = other.maxAgeSeconds;
  }

  public CorsOptions(JsonObject json) {
    setAllowedOrigins(strings(json, "allowedOrigins", DEFAULT_ALLOWED_ORIGINS));
    setAllowedMethods(strings(json, "allowedMethods", DEFAULT_ALLOWED_METHODS));
    setAllowedHeaders(strings(json, "allowedHeaders", DEFAULT_ALLOWED_HEADERS));
    setExposedHeaders(strings(json, "exposedHeaders", DEFAULT_EXPOSED_HEADERS));
    setAllowCredentials(json.getBoolean("allowCredentials", DEFAULT_ALLOW_CREDENTIALS));
    setMaxAgeSeconds(json.getInteger("maxAgeSeconds", DEFAULT_MAX_AGE_SECONDS));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("allowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins)))
      .put("allowedMethods", new JsonArray(new ArrayList<>(allowedMethods)))
      .put("allowedHeaders", new JsonArray(new ArrayList<>(allowedHeaders)))
      .put("exposedHeaders", new JsonArray(new ArrayList<>(exposedHeaders)))
      .put("allowCredentials", allowCredentials)
      .put("maxAgeSeconds", maxAgeSeconds);
  }

  private static List<String> strings(JsonObject json, String key, List<String> fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("cors: '" + key + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw new IllegalArgumentException("cors: '" + key + "[" + i + "]' must be a string");
      }
      out.add(s);
    }
    return out;
  }

  /** Origins allowed to call, e.g. {@code https://app.example.com}; empty = same-origin only; {@code *} = any. */
  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public CorsOptions setAllowedOrigins(List<String> allowedOrigins) {
    for (String origin : allowedOrigins) {
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("cors: allowed origin '" + origin
          + "' must be '*' or scheme://host[:port] without a path");
      }
    }
    this.allowedOrigins = List.copyOf(allowedOrigins);
    return this;
  }

  public List<String> getAllowedMethods() {
    return allowedMethods;
  }

  public CorsOptions setAllowedMethods(List<String> allowedMethods) {
    for (String method : allowedMethods) {
      HttpMethod.valueOf(method);
    }
    this.allowedMethods = List.copyOf(allowedMethods);
    return this;
  }

  /** Request headers a page may send; {@code Authorization} and {@code X-Correlation-Id} by default. */
  public List<String> getAllowedHeaders() {
    return allowedHeaders;
  }

  public CorsOptions setAllowedHeaders(List<String> allowedHeaders) {
    this.allowedHeaders = List.copyOf(allowedHeaders);
    return this;
  }

  /** Response headers a page may read; {@code X-Correlation-Id} by default. */
  public List<String> getExposedHeaders() {
    return exposedHeaders;
  }

  public CorsOptions setExposedHeaders(List<String> exposedHeaders) {
    this.exposedHeaders = List.copyOf(exposedHeaders);
    return this;
  }

  /** Whether cookies may travel; not with {@code *}. Bearer tokens need no credentials mode. */
  public boolean isAllowCredentials() {
    return allowCredentials;
  }

  public CorsOptions setAllowCredentials(boolean allowCredentials) {
    this.allowCredentials = allowCredentials;
    return this;
  }

  public int getMaxAgeSeconds() {
    return maxAgeSeconds;
  }

  public CorsOptions setMaxAgeSeconds(int maxAgeSeconds) {
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("cors: maxAgeSeconds must be 0 or positive, was " + maxAgeSeconds);
    }
    this.maxAgeSeconds = maxAgeSeconds;
    return this;
  }

}
