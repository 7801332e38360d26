package io.inos.adapters.http;

import io.vertx.core.json.JsonObject;

/** Options of the {@link EventStream} (Server-Sent Events) door. */
public final class EventStreamOptions {

  public static final String DEFAULT_PATH = "/api/events/stream";
  /** A comment line this often keeps proxies from closing an idle stream (most cut at 30–60 s). */
  public static final long DEFAULT_KEEP_ALIVE_MS = 15_000;
  /** 0 = the transport's own write queue bound; beyond it, the bridge's outbound queue and its policy take over. */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 0;
  /**
   * The smallest bound taken. Netty turns writable again only below half the bound: with a bound of 1 that is never,
   * and the stream would stall for good (seen with a bound of 1 byte).
   */
  public static final int MIN_WRITE_QUEUE_MAX_SIZE = 1024;
  /** EventSource cannot set headers, so browsers need the query parameter; see {@link #setAllowQueryToken}. */
  public static final boolean DEFAULT_ALLOW_QUERY_TOKEN = true;
  public static final String DEFAULT_SOURCE = "sse";
  /** Sent in the stream's first {@code retry:} line: how long EventSource waits before it reconnects. */
  public static final long DEFAULT_RETRY_MS = 3_000;

  private String path = DEFAULT_PATH;
  private long keepAliveMs = DEFAULT_KEEP_ALIVE_MS;
  private int writeQueueMaxSize = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private boolean allowQueryToken = DEFAULT_ALLOW_QUERY_TOKEN;
  private String source = DEFAULT_SOURCE;
  private long retryMs = DEFAULT_RETRY_MS;

  public EventStreamOptions() {
  }

  public EventStreamOptions(EventStreamOptions other) {
    this.path = other.path;
    this.keepAliveMs = other.keepAliveMs;
    this.writeQueueMaxSize = other.writeQueueMaxSize;
    this.allowQueryToken = other.allowQueryToken;
    this.source = other.source;
    this.retryMs = other.retryMs;
  }

  public EventStreamOptions(JsonObject json) {
    setPath(json.getString("path", DEFAULT_PATH));
    setKeepAliveMs(json.getLong("keepAliveMs", DEFAULT_KEEP_ALIVE_MS));
    setWriteQueueMaxSize(json.getInteger("writeQueueMaxSize", DEFAULT_WRITE_QUEUE_MAX_SIZE));
    setAllowQueryToken(json.getBoolean("allowQueryToken", DEFAULT_ALLOW_QUERY_TOKEN));
    setSource(json.getString("source", DEFAULT_SOURCE));
    setRetryMs(json.getLong("retryMs", DEFAULT_RETRY_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("path", path)
      .put("keepAliveMs", keepAliveMs)
      .put("writeQueueMaxSize", writeQueueMaxSize)
      .put("allowQueryToken", allowQueryToken)
      .put("source", source)
      .put("retryMs", retryMs);
  }

  /** Where the stream is served ({@code GET}). */
  public String getPath() {
    return path;
  }

  public EventStreamOptions setPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
    }
    this.path = path;
    return this;
  }

  /** How often a keep-alive comment ({@code : keep-alive}) is written on an idle or busy stream. */
  public long getKeepAliveMs() {
    return keepAliveMs;
  }

  public EventStreamOptions setKeepAliveMs(long keepAliveMs) {
    if (keepAliveMs < 1) {
      throw new IllegalArgumentException("keepAliveMs must be positive, was " + keepAliveMs);
    }
    this.keepAliveMs = keepAliveMs;
    return this;
  }

  /**
   * The response's write queue bound in bytes; 0 = the transport's default. Once it is full, deliveries wait in the
   * bridge session's bounded queue ({@code maxQueuedMessages}/{@code maxQueuedBytes}) and then meet the
   * slow-consumer policy.
   */
  public int getWriteQueueMaxSize() {
    return writeQueueMaxSize;
  }

  public EventStreamOptions setWriteQueueMaxSize(int writeQueueMaxSize) {
    if (writeQueueMaxSize != 0 && writeQueueMaxSize < MIN_WRITE_QUEUE_MAX_SIZE) {
      throw new IllegalArgumentException("writeQueueMaxSize must be 0 (the transport's) or at least "
        + MIN_WRITE_QUEUE_MAX_SIZE + " bytes, was " + writeQueueMaxSize);
    }
    this.writeQueueMaxSize = writeQueueMaxSize;
    return this;
  }

  /**
   * Whether {@code ?access_token=<jwt>} is accepted when there is no {@code Authorization} header. Browsers' EventSource
   * cannot set headers, so this is the only way for them to sign in; the cost is that the token may end up in access
   * logs, proxy logs and browser history. Use short-lived tokens, or turn it off when your clients can set headers.
   */
  public boolean isAllowQueryToken() {
    return allowQueryToken;
  }

  public EventStreamOptions setAllowQueryToken(boolean allowQueryToken) {
    this.allowQueryToken = allowQueryToken;
    return this;
  }

  /** The bridge session's source. */
  public String getSource() {
    return source;
  }

  public EventStreamOptions setSource(String source) {
    this.source = source;
    return this;
  }

  /** The reconnect delay the stream announces to EventSource ({@code retry:}). */
  public long getRetryMs() {
    return retryMs;
  }

  public EventStreamOptions setRetryMs(long retryMs) {
    if (retryMs < 0) {
      throw new IllegalArgumentException("retryMs must be 0 or positive, was " + retryMs);
    }
    this.retryMs = retryMs;
    return this;
  }
}
