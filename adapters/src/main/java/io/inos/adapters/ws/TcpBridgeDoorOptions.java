package io.inos.adapters.ws;

import io.vertx.core.json.JsonObject;

/**
 * Options of the {@link TcpBridgeDoor}.
 *
 * <p>JSON: {@code {"path", "pingIntervalMs", "readTimeoutMs", "maxFrameBytes", "writeQueueMaxSize", "source"}}.
 */
public final class TcpBridgeDoorOptions {

  public static final String DEFAULT_PATH = "/bridge/ws";
  public static final long DEFAULT_PING_INTERVAL_MS = 45_000;
  public static final long DEFAULT_READ_TIMEOUT_MS = 60_000;
  /** 64 KiB, as the SockJS door: plenty for event-bus frames. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 0;
  public static final String DEFAULT_SOURCE = "tcp-bridge";

  private String path = DEFAULT_PATH;
  private long pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  private long readTimeoutMs = DEFAULT_READ_TIMEOUT_MS;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private int writeQueueMaxSize = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private String source = DEFAULT_SOURCE;

  public TcpBridgeDoorOptions() {
  }

  public TcpBridgeDoorOptions(TcpBridgeDoorOptions other) {
    this.path = other.path;
    this.pingIntervalMs = other.pingIntervalMs;
    this.readTimeoutMs = other.readTimeoutMs;
    this.maxFrameBytes = other.maxFrameBytes;
    this.writeQueueMaxSize = other.writeQueueMaxSize;
    this.source = other.source;
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public TcpBridgeDoorOptions(JsonObject json) {
    setPath(json.getString("path", DEFAULT_PATH));
    setPingIntervalMs(json.getLong("pingIntervalMs", DEFAULT_PING_INTERVAL_MS));
    setReadTimeoutMs(json.getLong("readTimeoutMs", DEFAULT_READ_TIMEOUT_MS));
    setMaxFrameBytes(json.getInteger("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES));
    setWriteQueueMaxSize(json.getInteger("writeQueueMaxSize", DEFAULT_WRITE_QUEUE_MAX_SIZE));
    setSource(json.getString("source", DEFAULT_SOURCE));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("path", path)
      .put("pingIntervalMs", pingIntervalMs)
      .put("readTimeoutMs", readTimeoutMs)
      .put("maxFrameBytes", maxFrameBytes)
      .put("writeQueueMaxSize", writeQueueMaxSize)
      .put("source", source);
  }

  public String getPath() {
    return path;
  }

  public TcpBridgeDoorOptions setPath(String path) {
    if (path == null || !path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must start with '/' and not end with one, was '" + path + "'");
    }
    this.path = path;
    return this;
  }

  /** How often the server sends a WebSocket ping. */
  public long getPingIntervalMs() {
    return pingIntervalMs;
  }

  public TcpBridgeDoorOptions setPingIntervalMs(long pingIntervalMs) {
    this.pingIntervalMs = positive("pingIntervalMs", pingIntervalMs);
    return this;
  }

  /** A connection from which nothing arrives (no frame, no pong) for this long is closed. */
  public long getReadTimeoutMs() {
    return readTimeoutMs;
  }

  public TcpBridgeDoorOptions setReadTimeoutMs(long readTimeoutMs) {
    this.readTimeoutMs = positive("readTimeoutMs", readTimeoutMs);
    return this;
  }

  /** Larger client frames are refused with {@code frame_too_large}. */
  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public TcpBridgeDoorOptions setMaxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = (int) positive("maxFrameBytes", maxFrameBytes);
    return this;
  }

  /** The bound of each socket's own write queue in bytes; 0 = the transport's. */
  public int getWriteQueueMaxSize() {
    return writeQueueMaxSize;
  }

  public TcpBridgeDoorOptions setWriteQueueMaxSize(int writeQueueMaxSize) {
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

  public TcpBridgeDoorOptions setSource(String source) {
    this.source = source;
    return this;
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
