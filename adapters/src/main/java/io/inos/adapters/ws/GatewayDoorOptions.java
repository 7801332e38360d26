package io.inos.adapters.ws;

import io.vertx.core.json.JsonObject;

/**
 * Options of the {@link GatewayDoor}, the original INOS WebSocket gateway. The defaults are the original's: 2 MB
 * frames, a ping every 45 s, a 60 s read deadline, zstd at 512 bytes.
 *
 * <p>JSON: {@code {"path", "pingIntervalMs", "readTimeoutMs", "maxFrameBytes", "compressionThreshold",
 * "writeQueueMaxSize", "source", "queryTokenAllowed"}}.
 */
public final class GatewayDoorOptions {

  public static final String DEFAULT_PATH = "/ws";
  public static final long DEFAULT_PING_INTERVAL_MS = 45_000;
  public static final long DEFAULT_READ_TIMEOUT_MS = 60_000;
  /** 2 MB, as the original. The HTTP server's {@code maxWebSocketMessageSize} must allow it (256 KiB by default). */
  public static final int DEFAULT_MAX_FRAME_BYTES = 2 * 1024 * 1024;
  public static final int DEFAULT_COMPRESSION_THRESHOLD = 512;
  /** 0 = the transport's own bound (Netty's 64 KiB write-buffer high-water mark). */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 0;
  public static final String DEFAULT_SOURCE = "ws";
  /** The original browser client could not set headers, so {@code ?token=} is accepted by default. */
  public static final boolean DEFAULT_QUERY_TOKEN_ALLOWED = true;

  private String path = DEFAULT_PATH;
  private long pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  private long readTimeoutMs = DEFAULT_READ_TIMEOUT_MS;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
  private int writeQueueMaxSize = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private String source = DEFAULT_SOURCE;
  private boolean queryTokenAllowed = DEFAULT_QUERY_TOKEN_ALLOWED;

  public GatewayDoorOptions() {
  }

  public GatewayDoorOptions(GatewayDoorOptions other) {
    this.path = other.path;
    this.pingIntervalMs = other.pingIntervalMs;
    this.readTimeoutMs = other.readTimeoutMs;
    this.maxFrameBytes = other.maxFrameBytes;
    this.compressionThreshold = other.compressionThreshold;
    this.writeQueueMaxSize = other.writeQueueMaxSize;
    this.source = other.source;
    this.queryTokenAllowed = other.queryTokenAllowed;
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public GatewayDoorOptions(JsonObject json) {
    setPath(json.getString("path", DEFAULT_PATH));
    setPingIntervalMs(json.getLong("pingIntervalMs", DEFAULT_PING_INTERVAL_MS));
    setReadTimeoutMs(json.getLong("readTimeoutMs", DEFAULT_READ_TIMEOUT_MS));
    setMaxFrameBytes(json.getInteger("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES));
    setCompressionThreshold(json.getInteger("compressionThreshold", DEFAULT_COMPRESSION_THRESHOLD));
    setWriteQueueMaxSize(json.getInteger("writeQueueMaxSize", DEFAULT_WRITE_QUEUE_MAX_SIZE));
    setSource(json.getString("source", DEFAULT_SOURCE));
    setQueryTokenAllowed(json.getBoolean("queryTokenAllowed", DEFAULT_QUERY_TOKEN_ALLOWED));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("path", path)
      .put("pingIntervalMs", pingIntervalMs)
      .put("readTimeoutMs", readTimeoutMs)
      .put("maxFrameBytes", maxFrameBytes)
      .put("compressionThreshold", compressionThreshold)
      .put("writeQueueMaxSize", writeQueueMaxSize)
      .put("source", source)
      .put("queryTokenAllowed", queryTokenAllowed);
  }

  /** The gateway's path: connections go to {@code {path}}, {@code {path}/{campaign}} or {@code {path}/{campaign}/{user}}. */
  public String getPath() {
    return path;
  }

  public GatewayDoorOptions setPath(String path) {
    if (path == null || !path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must start with '/' and not end with one, was '" + path + "'");
    }
    this.path = path;
    return this;
  }

  /** How often the server pings each connection. */
  public long getPingIntervalMs() {
    return pingIntervalMs;
  }

  public GatewayDoorOptions setPingIntervalMs(long pingIntervalMs) {
    this.pingIntervalMs = positive("pingIntervalMs", pingIntervalMs);
    return this;
  }

  /** A connection from which nothing arrives (no frame, no pong) for this long is closed. */
  public long getReadTimeoutMs() {
    return readTimeoutMs;
  }

  public GatewayDoorOptions setReadTimeoutMs(long readTimeoutMs) {
    this.readTimeoutMs = positive("readTimeoutMs", readTimeoutMs);
    return this;
  }

  /** The largest client frame, and the largest a {@code zstd:} frame may inflate to. */
  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public GatewayDoorOptions setMaxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = (int) positive("maxFrameBytes", maxFrameBytes);
    return this;
  }

  /** Server frames of this many UTF-8 bytes or more are sent as binary {@code zstd:} frames. */
  public int getCompressionThreshold() {
    return compressionThreshold;
  }

  public GatewayDoorOptions setCompressionThreshold(int compressionThreshold) {
    this.compressionThreshold = (int) positive("compressionThreshold", compressionThreshold);
    return this;
  }

  /** The bound of each socket's own write queue in bytes; 0 = the transport's. Beyond it the bridge queues. */
  public int getWriteQueueMaxSize() {
    return writeQueueMaxSize;
  }

  public GatewayDoorOptions setWriteQueueMaxSize(int writeQueueMaxSize) {
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

  public GatewayDoorOptions setSource(String source) {
    this.source = source;
    return this;
  }

  /**
   * Whether a token may come as {@code ?token=} on the upgrade URL (the original browser client could not set
   * headers). Query strings end up in access and proxy logs: turn it off when every client can send an
   * {@code Authorization} header.
   */
  public boolean isQueryTokenAllowed() {
    return queryTokenAllowed;
  }

  public GatewayDoorOptions setQueryTokenAllowed(boolean queryTokenAllowed) {
    this.queryTokenAllowed = queryTokenAllowed;
    return this;
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
