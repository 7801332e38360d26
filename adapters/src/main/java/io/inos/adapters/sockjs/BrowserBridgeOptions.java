package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.BridgeRules;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/** Options of the {@link BrowserBridge}. */
public final class BrowserBridgeOptions {

  public static final String DEFAULT_PATH = "/eventbus";
  /** 0 = the Nexus's own request timeout. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 0;
  /** As vertx-web's bridge: a socket silent this long is closed (the JS client pings every 5 s). */
  public static final long DEFAULT_PING_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_ADDRESS_LENGTH = 200;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_SOCKET = 1000;
  public static final int DEFAULT_MAX_PENDING_REQUESTS_PER_SOCKET = 100;
  /** 0 = the transport's own bound. */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 0;
  public static final String DEFAULT_SOURCE = "sockjs";

  private String path = DEFAULT_PATH;
  private JsonObject rules = BridgeRules.guestDefaults().toJson();
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long pingTimeoutMs = DEFAULT_PING_TIMEOUT_MS;
  private int maxAddressLength = DEFAULT_MAX_ADDRESS_LENGTH;
  private int maxSubscriptionsPerSocket = DEFAULT_MAX_SUBSCRIPTIONS_PER_SOCKET;
  private int maxPendingRequestsPerSocket = DEFAULT_MAX_PENDING_REQUESTS_PER_SOCKET;
  private int writeQueueMaxSize = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private String source = DEFAULT_SOURCE;
  private SockJSHandlerOptions sockJSOptions = new SockJSHandlerOptions();

  public BrowserBridgeOptions() {
  }

  public BrowserBridgeOptions(BrowserBridgeOptions other) {
    this.path = other.path;
    this.rules = other.rules.copy();
    this.requestTimeoutMs = other.requestTimeoutMs;
    this.pingTimeoutMs = other.pingTimeoutMs;
    this.maxAddressLength = other.maxAddressLength;
    this.maxSubscriptionsPerSocket = other.maxSubscriptionsPerSocket;
    this.maxPendingRequestsPerSocket = other.maxPendingRequestsPerSocket;
    this.writeQueueMaxSize = other.writeQueueMaxSize;
    this.source = other.source;
    this.sockJSOptions = new SockJSHandlerOptions(other.sockJSOptions);
  }

  public BrowserBridgeOptions(JsonObject json) {
    setPath(json.getString("path", DEFAULT_PATH));
    setRules(json.getJsonObject("rules", BridgeRules.guestDefaults().toJson()));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setPingTimeoutMs(json.getLong("pingTimeoutMs", DEFAULT_PING_TIMEOUT_MS));
    setMaxAddressLength(json.getInteger("maxAddressLength", DEFAULT_MAX_ADDRESS_LENGTH));
    setMaxSubscriptionsPerSocket(json.getInteger("maxSubscriptionsPerSocket", DEFAULT_MAX_SUBSCRIPTIONS_PER_SOCKET));
    setMaxPendingRequestsPerSocket(json.getInteger("maxPendingRequestsPerSocket",
      DEFAULT_MAX_PENDING_REQUESTS_PER_SOCKET));
    setWriteQueueMaxSize(json.getInteger("writeQueueMaxSize", DEFAULT_WRITE_QUEUE_MAX_SIZE));
    setSource(json.getString("source", DEFAULT_SOURCE));
    JsonObject sockJS = json.getJsonObject("sockJS");
    this.sockJSOptions = sockJS == null ? new SockJSHandlerOptions() : new SockJSHandlerOptions(sockJS);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("path", path)
      .put("rules", rules.copy())
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("pingTimeoutMs", pingTimeoutMs)
      .put("maxAddressLength", maxAddressLength)
      .put("maxSubscriptionsPerSocket", maxSubscriptionsPerSocket)
      .put("maxPendingRequestsPerSocket", maxPendingRequestsPerSocket)
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
      .put("disabledTransports", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(o.getDisabledTransports())))
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

  /** The permission rules, in the JSON form of {@link BridgeRules#fromJson}; guest defaults unless set. */
  public JsonObject getRules() {
    return rules.copy();
  }

  /** @throws IllegalArgumentException when the rules do not load, with the reason */
  public BrowserBridgeOptions setRules(JsonObject rules) {
    BridgeRules.fromJson(rules);
    this.rules = rules.copy();
    return this;
  }

  public BrowserBridgeOptions setRules(BridgeRules rules) {
    this.rules = rules.toJson();
    return this;
  }

  /** How long a request sent by a browser waits for its outcome; 0 = the Nexus default. */
  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public BrowserBridgeOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs < 0) {
      throw new IllegalArgumentException("requestTimeoutMs must be 0 or positive, was " + requestTimeoutMs);
    }
    this.requestTimeoutMs = requestTimeoutMs;
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

  /** Longer addresses are refused with {@code max_address_length_reached}. */
  public int getMaxAddressLength() {
    return maxAddressLength;
  }

  public BrowserBridgeOptions setMaxAddressLength(int maxAddressLength) {
    this.maxAddressLength = (int) positive("maxAddressLength", maxAddressLength);
    return this;
  }

  /** Registrations past this many on one socket are refused with {@code max_handlers_reached}. */
  public int getMaxSubscriptionsPerSocket() {
    return maxSubscriptionsPerSocket;
  }

  public BrowserBridgeOptions setMaxSubscriptionsPerSocket(int max) {
    this.maxSubscriptionsPerSocket = (int) positive("maxSubscriptionsPerSocket", max);
    return this;
  }

  /** Requests awaiting a reply past this many on one socket are refused with {@code max_handlers_reached}. */
  public int getMaxPendingRequestsPerSocket() {
    return maxPendingRequestsPerSocket;
  }

  public BrowserBridgeOptions setMaxPendingRequestsPerSocket(int max) {
    this.maxPendingRequestsPerSocket = (int) positive("maxPendingRequestsPerSocket", max);
    return this;
  }

  /**
   * The bound of each socket's outbound queue (the transport's unit: bytes for WebSocket, characters for the
   * SockJS session transports); deliveries to a socket whose queue is full are dropped and counted. 0 = the
   * transport's default.
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

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
