package io.inos.adapters.sockjs;

import io.vertx.core.json.JsonObject;

/**
 * Options of the {@link BrowserBridgeVerticle}: where its HTTP server listens, and the door's options (with the
 * bridge's).
 *
 * <p>JSON: {@code {"host", "port", "bridge": {…BrowserBridgeOptions…}}}.
 */
public final class BrowserBridgeVerticleOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  /** 0 = any free port (see {@link BrowserBridgeVerticle#actualPort()}). */
  public static final int DEFAULT_PORT = 8080;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private BrowserBridgeOptions bridge = new BrowserBridgeOptions();

  public BrowserBridgeVerticleOptions() {
  }

  public BrowserBridgeVerticleOptions(BrowserBridgeVerticleOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.bridge = new BrowserBridgeOptions(other.bridge);
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public BrowserBridgeVerticleOptions(JsonObject json) {
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    this.bridge = new BrowserBridgeOptions(json.getJsonObject("bridge", new JsonObject()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("bridge", bridge.toJson());
  }

  public String getHost() {
    return host;
  }

  public BrowserBridgeVerticleOptions setHost(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public BrowserBridgeVerticleOptions setPort(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  public BrowserBridgeOptions getBridge() {
    return new BrowserBridgeOptions(bridge);
  }

  public BrowserBridgeVerticleOptions setBridge(BrowserBridgeOptions bridge) {
    this.bridge = new BrowserBridgeOptions(bridge);
    return this;
  }
}
