package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.BridgeRules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

import java.util.ArrayList;

/**
 * Options of the {@link BrowserBridge}: the SockJS door's own (path, idle timeout, frame size, write queue, SockJS
 * handler) and, for a door that makes its own bridge, the {@link BridgeOptions} (identity, rules, limits).
 *
 * <p>The JSON form is flat: the door's keys ({@code path}, {@code pingTimeoutMs}, {@code maxFrameBytes},
 * {@code writeQueueMaxSize}, {@code source}, {@code sockJS}) beside the bridge's ({@code rules}, {@code jwt},
 * {@code maxInboundPerSecond}, … see {@link BridgeOptions}).
 */
public final class BrowserBridgeOptions {

  public static final String DEFAULT_PATH = "/eventbus";
  /** As vertx-web's bridge: a socket silent this long is closed (the JS client pings every 5 s). */
  public static final long DEFAULT_PING_TIMEOUT_MS = 10_000;
  /**
   * The largest client frame: 64 KiB, plenty for event-bus frames from a browser (the WebSocket gateway allows 2 MB
   * frames, as the original did). Larger frames are refused with {@code frame_too_large} up to the HTTP server's own
   * WebSocket message limit ({@code maxWebSocketMessageSize}, 256 KiB by default), which closes the connection.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  /** 0 = the transport's own bound (for WebSocket, Netty's 64 KiB write-buffer high-water mark). */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 0;
  public static final String DEFAULT_SOURCE = "sockjs";

  private String path = DEFAULT_PATH;
  private long pingTimeoutMs = DEFAULT_PING_TIMEOUT_MS;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private int writeQueueMaxSize = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private String source = DEFAULT_SOURCE;
  private SockJSHandlerOptions sockJSOptions = new SockJSHandlerOptions();
  private BridgeOptions bridgeOptions = new BridgeOptions();

  public BrowserBridgeOptions() {
  }

  public BrowserBridgeOptions(BrowserBridgeOptions other) {
    this.path = other.path;
    this.pingTimeoutMs = other.pingTimeoutMs;
    this.maxFrameBytes = other.maxFrameBytes;
    this.writeQueueMaxSize = other.writeQueueMaxSize;
    this.source = other.source;
    this.sockJSOptions = new SockJSHandlerOptions(other.sockJSOptions);
    this.bridgeOptions = new BridgeOptions(other.bridgeOptions);
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public BrowserBridgeOptions(JsonObject json) {
    setPath(json.getString("path", DEFAULT_PATH));
    setPingTimeoutMs(json.getLong("pingTimeoutMs", DEFAULT_PING_TIMEOUT_MS));
    setMaxFrameBytes(json.getInteger("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES));
    setWriteQueueMaxSize(json.getInteger("writeQueueMaxSize", DEFAULT_WRITE_QUEUE_MAX_SIZE));
    setSource(json.getString("source", DEFAULT_SOURCE));
    JsonObject sockJS = json.getJsonObject("sockJS");
    this.sockJSOptions = sockJS == null ? new SockJSHandlerOptions() : new SockJSHandlerOptions(sockJS);
    this.bridgeOptions = new BridgeOptions(json);
  }

  public JsonObject toJson() {
    return bridgeOptions.toJson()
      .put("path", path)
      .put("pingTimeoutMs", pingTimeoutMs)
      .put("maxFrameBytes", maxFrameBytes)
      .put("writeQueueMaxSize", writeQueueMaxSize)
      .put("source", source)
      .put("sockJS", sockJSJson(sockJSOptions));
  }

  /** SockJSHandlerOptions has a JSON constructor but no toJson(); this is its inverse. */
  private static JsonObject sockJSJson(SockJSHandlerOptions o) {
    JsonObject json = new JsonObject()
      .put("sessionTimeout", o.getSessionTimeout())
      .put("insertJSESSIONID", o.isInsertJSESSIONID())
      .put("heartbeatInterval", o.getHeartbeatInterval())
      .put("maxBytesStreaming", o.getMaxBytesStreaming())
      .put("libraryURL", o.getLibraryURL())
      .put("disabledTransports", new JsonArray(new ArrayList<>(o.getDisabledTransports())))
      .put("registerWriteHandler", o.isRegisterWriteHandler())
      .put("localWriteHandler", o.isLocalWriteHandler());
    if (o.getOrigin() != null) {
      json.put("origin", o.getOrigin());
    }
    return json;
  }

  /** Where SockJS is mounted; the raw WebSocket transport is at {@code {path}/websocket}. */
  public String getPath() {
    return path;
  }

  public BrowserBridgeOptions setPath(String path) {
    if (path == null || !path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must start with '/' and not end with one, was '" + path + "'");
    }
    this.path = path;
    return this;
  }

  /** A socket that sends nothing (not even a ping) for this long is closed. */
  public long getPingTimeoutMs() {
    return pingTimeoutMs;
  }

  public BrowserBridgeOptions setPingTimeoutMs(long pingTimeoutMs) {
    this.pingTimeoutMs = positive("pingTimeoutMs", pingTimeoutMs);
    return this;
  }

  /** Client frames larger than this many bytes are refused with {@code frame_too_large}, unread. */
  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public BrowserBridgeOptions setMaxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = (int) positive("maxFrameBytes", maxFrameBytes);
    return this;
  }

  /**
   * The bound of each socket's own write queue (the transport's unit: bytes for WebSocket, characters for the
   * SockJS session transports). When it is full the socket counts as slow and the bridge queues for it, within
   * {@link BridgeOptions#getMaxQueuedMessages()}. 0 = the transport's default.
   */
  public int getWriteQueueMaxSize() {
    return writeQueueMaxSize;
  }

  public BrowserBridgeOptions setWriteQueueMaxSize(int writeQueueMaxSize) {
    if (writeQueueMaxSize < 0) {
      throw new IllegalArgumentException("writeQueueMaxSize must be 0 or positive, was " + writeQueueMaxSize);
    }
    this.writeQueueMaxSize = writeQueueMaxSize;
    return this;
  }

  /** The {@code source} given to envelopes that arrive without one. */
  public String getSource() {
    return source;
  }

  public BrowserBridgeOptions setSource(String source) {
    this.source = source;
    return this;
  }

  /** The options of the SockJS handler itself (heartbeats, session timeout, disabled transports, origin). */
  public SockJSHandlerOptions getSockJSOptions() {
    return new SockJSHandlerOptions(sockJSOptions);
  }

  public BrowserBridgeOptions setSockJSOptions(SockJSHandlerOptions sockJSOptions) {
    this.sockJSOptions = new SockJSHandlerOptions(sockJSOptions);
    return this;
  }

  /**
   * The options of the bridge a door makes for itself ({@link BrowserBridge#create(io.vertx.core.Vertx,
   * io.inos.nexus.Nexus, BrowserBridgeOptions)}); a door on a shared bridge ignores them.
   */
  public BridgeOptions getBridgeOptions() {
    return new BridgeOptions(bridgeOptions);
  }

  public BrowserBridgeOptions setBridgeOptions(BridgeOptions bridgeOptions) {
    this.bridgeOptions = new BridgeOptions(bridgeOptions);
    return this;
  }

  /** The bridge's permission rules: a shortcut to {@link BridgeOptions#getRules()}. */
  public JsonObject getRules() {
    return bridgeOptions.getRules();
  }

  /** @throws IllegalArgumentException when the rules do not load, with the reason */
  public BrowserBridgeOptions setRules(JsonObject rules) {
    bridgeOptions.setRules(rules);
    return this;
  }

  public BrowserBridgeOptions setRules(BridgeRules rules) {
    bridgeOptions.setRules(rules);
    return this;
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
