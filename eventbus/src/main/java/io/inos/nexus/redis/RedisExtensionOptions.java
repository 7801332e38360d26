package io.inos.nexus.redis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Options of the {@link RedisExtension}. Read from JSON ({@link #RedisExtensionOptions(JsonObject)}) and written back
 * ({@link #toJson()}) with the same keys; a bad value fails with an {@link IllegalArgumentException} whose message
 * names its key (for example {@code historyScopes[1].maxLength}).
 *
 * <pre>{
 *   "url": "redis://localhost:6379", "keyPrefix": "inos:",
 *   "historyScopes": [{"pattern": "campaign:*", "maxLength": 1000, "maxAgeMs": 3600000}, {"pattern": "system", "maxLength": 100}],
 *   "appendBufferLimit": 10000, "maxRecovered": 10000,
 *   "relay": {"clusterId": "eu-1", "types": ["content:*"], "toOriginal": true, "fromOriginal": true,
 *             "betweenClusters": true, "originalChannel": "nexus:events", "dedupWindowMs": 60000},
 *   "presenceTtlMs": 30000,
 *   "rateLimit": {"permitsPerSecond": 100, "burst": 100},
 *   "reconnect": {"initialDelayMs": 100, "maxDelayMs": 5000, "healthCheckIntervalMs": 1000}
 * }</pre>
 */
public final class RedisExtensionOptions {

  public static final String DEFAULT_URL = "redis://localhost:6379";
  public static final String DEFAULT_KEY_PREFIX = "inos:";
  public static final int DEFAULT_APPEND_BUFFER_LIMIT = 10_000;
  public static final int DEFAULT_MAX_RECOVERED = 10_000;
  public static final String DEFAULT_ORIGINAL_CHANNEL = "nexus:events";
  public static final long DEFAULT_DEDUP_WINDOW_MS = 60_000;
  public static final long DEFAULT_PRESENCE_TTL_MS = 30_000;
  public static final double DEFAULT_PERMITS_PER_SECOND = 100;
  public static final double DEFAULT_BURST = 100;
  public static final long DEFAULT_RECONNECT_INITIAL_MS = 100;
  public static final long DEFAULT_RECONNECT_MAX_MS = 5_000;
  public static final long DEFAULT_HEALTH_CHECK_MS = 1_000;

  private String url = DEFAULT_URL;
  private String keyPrefix = DEFAULT_KEY_PREFIX;
  private List<HistoryScope> historyScopes = new ArrayList<>();
  private int appendBufferLimit = DEFAULT_APPEND_BUFFER_LIMIT;
  private int maxRecovered = DEFAULT_MAX_RECOVERED;
  private String clusterId = UUID.randomUUID().toString();
  private List<String> relayTypes = new ArrayList<>();
  private boolean relayToOriginal = true;
  private boolean relayFromOriginal = false;
  private boolean relayBetweenClusters = true;
  private String originalChannel = DEFAULT_ORIGINAL_CHANNEL;
  private long dedupWindowMs = DEFAULT_DEDUP_WINDOW_MS;
  private long presenceTtlMs = DEFAULT_PRESENCE_TTL_MS;
  private double permitsPerSecond = DEFAULT_PERMITS_PER_SECOND;
  private double burst = DEFAULT_BURST;
  private long reconnectInitialDelayMs = DEFAULT_RECONNECT_INITIAL_MS;
  private long reconnectMaxDelayMs = DEFAULT_RECONNECT_MAX_MS;
  private long healthCheckIntervalMs = DEFAULT_HEALTH_CHECK_MS;

  public RedisExtensionOptions() {
  }

  public RedisExtensionOptions(RedisExtensionOptions other) {
    this(other.toJson());
  }

  /** Reads the options; absent keys keep their defaults, a bad value fails with a message naming its key. */
  public RedisExtensionOptions(JsonObject json) {
    setUrl(string(json, "url", DEFAULT_URL));
    setKeyPrefix(string(json, "keyPrefix", DEFAULT_KEY_PREFIX));
    Object scopes = json.getValue("historyScopes");
    if (scopes != null) {
      if (!(scopes instanceof JsonArray array)) {
        throw new IllegalArgumentException("historyScopes must be an array");
      }
      List<HistoryScope> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        String key = "historyScopes[" + i + "]";
        if (!(array.getValue(i) instanceof JsonObject scope)) {
          throw new IllegalArgumentException(key + " must be an object");
        }
        list.add(HistoryScope.fromJson(scope, key));
      }
      setHistoryScopes(list);
    }
    setAppendBufferLimit(integer(json, "appendBufferLimit", DEFAULT_APPEND_BUFFER_LIMIT));
    setMaxRecovered(integer(json, "maxRecovered", DEFAULT_MAX_RECOVERED));
    JsonObject relay = object(json, "relay");
    if (relay.containsKey("clusterId")) {
      setClusterId(string(relay, "relay.clusterId", "clusterId", null));
    }
    Object types = relay.getValue("types");
    if (types != null) {
      if (!(types instanceof JsonArray array)) {
        throw new IllegalArgumentException("relay.types must be an array of event type patterns");
      }
      List<String> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String s) || s.isEmpty()) {
          throw new IllegalArgumentException("relay.types[" + i + "] must be a non-empty string");
        }
        list.add(s);
      }
      setRelayTypes(list);
    }
    setRelayToOriginal(bool(relay, "relay.toOriginal", "toOriginal", true));
    setRelayFromOriginal(bool(relay, "relay.fromOriginal", "fromOriginal", false));
    setRelayBetweenClusters(bool(relay, "relay.betweenClusters", "betweenClusters", true));
    setOriginalChannel(string(relay, "relay.originalChannel", "originalChannel", DEFAULT_ORIGINAL_CHANNEL));
    setDedupWindowMs(number(relay, "relay.dedupWindowMs", "dedupWindowMs", DEFAULT_DEDUP_WINDOW_MS));
    setPresenceTtlMs(number(json, "presenceTtlMs", "presenceTtlMs", DEFAULT_PRESENCE_TTL_MS));
    JsonObject rate = object(json, "rateLimit");
    setPermitsPerSecond(decimal(rate, "rateLimit.permitsPerSecond", "permitsPerSecond", DEFAULT_PERMITS_PER_SECOND));
    setBurst(decimal(rate, "rateLimit.burst", "burst", DEFAULT_BURST));
    JsonObject reconnect = object(json, "reconnect");
    setReconnectInitialDelayMs(number(reconnect, "reconnect.initialDelayMs", "initialDelayMs",
      DEFAULT_RECONNECT_INITIAL_MS));
    setReconnectMaxDelayMs(number(reconnect, "reconnect.maxDelayMs", "maxDelayMs", DEFAULT_RECONNECT_MAX_MS));
    setHealthCheckIntervalMs(number(reconnect, "reconnect.healthCheckIntervalMs", "healthCheckIntervalMs",
      DEFAULT_HEALTH_CHECK_MS));
    validate();
  }

  public JsonObject toJson() {
    JsonArray scopes = new JsonArray();
    historyScopes.forEach(s -> scopes.add(s.toJson()));
    return new JsonObject()
      .put("url", url)
      .put("keyPrefix", keyPrefix)
      .put("historyScopes", scopes)
      .put("appendBufferLimit", appendBufferLimit)
      .put("maxRecovered", maxRecovered)
      .put("relay", new JsonObject()
        .put("clusterId", clusterId)
        .put("types", new JsonArray(new ArrayList<>(relayTypes)))
        .put("toOriginal", relayToOriginal)
        .put("fromOriginal", relayFromOriginal)
        .put("betweenClusters", relayBetweenClusters)
        .put("originalChannel", originalChannel)
        .put("dedupWindowMs", dedupWindowMs))
      .put("presenceTtlMs", presenceTtlMs)
      .put("rateLimit", new JsonObject().put("permitsPerSecond", permitsPerSecond).put("burst", burst))
      .put("reconnect", new JsonObject()
        .put("initialDelayMs", reconnectInitialDelayMs)
        .put("maxDelayMs", reconnectMaxDelayMs)
        .put("healthCheckIntervalMs", healthCheckIntervalMs));
  }

  /** Checks what single setters cannot: relations between values. */
  public RedisExtensionOptions validate() {
    if (reconnectMaxDelayMs < reconnectInitialDelayMs) {
      throw new IllegalArgumentException("reconnect.maxDelayMs (" + reconnectMaxDelayMs
        + ") must not be less than reconnect.initialDelayMs (" + reconnectInitialDelayMs + ")");
    }
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < historyScopes.size(); i++) {
      String p = historyScopes.get(i).pattern();
      if (seen.contains(p)) {
        throw new IllegalArgumentException("historyScopes[" + i + "].pattern '" + p + "' is listed twice");
      }
      seen.add(p);
    }
    return this;
  }

  /** The Redis to use, e.g. {@code redis://localhost:6379} ({@code rediss://} for TLS, user and password allowed). */
  public String getUrl() {
    return url;
  }

  public RedisExtensionOptions setUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url must be set, e.g. " + DEFAULT_URL);
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url '" + url + "' is no URL: " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme) && !"unix".equals(scheme)) {
      throw new IllegalArgumentException("url '" + url + "' must start with redis://, rediss:// or unix://");
    }
    this.url = url;
    return this;
  }

  /**
   * Put before every key and INOS channel this extension uses, so several deployments (or tests) share one Redis.
   * Nodes and clusters that should see each other's history, presence and relay use the same prefix.
   */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  public RedisExtensionOptions setKeyPrefix(String keyPrefix) {
    if (keyPrefix == null || keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("keyPrefix must not be empty");
    }
    if (keyPrefix.contains("{") || keyPrefix.contains("}") || keyPrefix.contains("*")) {
      throw new IllegalArgumentException("keyPrefix must not contain '{', '}' or '*', was '" + keyPrefix + "'");
    }
    this.keyPrefix = keyPrefix;
    return this;
  }

  /** The addresses whose events are kept in history, first match wins. */
  public List<HistoryScope> getHistoryScopes() {
    return Collections.unmodifiableList(historyScopes);
  }

  public RedisExtensionOptions setHistoryScopes(List<HistoryScope> scopes) {
    this.historyScopes = new ArrayList<>(Objects.requireNonNull(scopes, "historyScopes"));
    return this;
  }

  public RedisExtensionOptions addHistoryScope(HistoryScope scope) {
    historyScopes.add(Objects.requireNonNull(scope, "scope"));
    return this;
  }

  /**
   * The most appends waiting for Redis (while it is slow or down); past it, appends are dropped and counted, and
   * the scopes that lost events are marked with a gap so that recovery across it answers {@code recovered: false}.
   */
  public int getAppendBufferLimit() {
    return appendBufferLimit;
  }

  public RedisExtensionOptions setAppendBufferLimit(int limit) {
    this.appendBufferLimit = (int) positive("appendBufferLimit", limit);
    return this;
  }

  /** The most events one recovery returns; a client further behind is answered {@code recovered: false}. */
  public int getMaxRecovered() {
    return maxRecovered;
  }

  public RedisExtensionOptions setMaxRecovered(int max) {
    this.maxRecovered = (int) positive("maxRecovered", max);
    return this;
  }

  /**
   * This INOS cluster's id, stamped on every relayed event ({@code metadata.relay_origin}) so its own events are
   * never taken in again; all nodes of one cluster must share it. Default: a random id (one cluster per process).
   */
  public String getClusterId() {
    return clusterId;
  }

  public RedisExtensionOptions setClusterId(String clusterId) {
    if (clusterId == null || clusterId.isBlank()) {
      throw new IllegalArgumentException("relay.clusterId must not be empty");
    }
    this.clusterId = clusterId;
    return this;
  }

  /**
   * The event types relayed out, as patterns where {@code *} matches any characters (e.g. {@code content:*},
   * {@code *:success}). Empty (the default): nothing goes out. {@code :requested} events go out too when matched.
   */
  public List<String> getRelayTypes() {
    return Collections.unmodifiableList(relayTypes);
  }

  public RedisExtensionOptions setRelayTypes(List<String> types) {
    this.relayTypes = new ArrayList<>(Objects.requireNonNull(types, "relay.types"));
    return this;
  }

  /** Whether relayed events are published on the original INOS channels ({@link #getOriginalChannel()}). */
  public boolean isRelayToOriginal() {
    return relayToOriginal;
  }

  public RedisExtensionOptions setRelayToOriginal(boolean on) {
    this.relayToOriginal = on;
    return this;
  }

  /** Whether events published by original INOS services on the original channels are taken into this Nexus. */
  public boolean isRelayFromOriginal() {
    return relayFromOriginal;
  }

  public RedisExtensionOptions setRelayFromOriginal(boolean on) {
    this.relayFromOriginal = on;
    return this;
  }

  /** Whether relayed events go to, and come from, other INOS clusters on the INOS relay channel. */
  public boolean isRelayBetweenClusters() {
    return relayBetweenClusters;
  }

  public RedisExtensionOptions setRelayBetweenClusters(boolean on) {
    this.relayBetweenClusters = on;
    return this;
  }

  /** The original INOS channel: {@code nexus:events}, with one channel per action below it. */
  public String getOriginalChannel() {
    return originalChannel;
  }

  public RedisExtensionOptions setOriginalChannel(String channel) {
    if (channel == null || channel.isEmpty() || channel.contains("*")) {
      throw new IllegalArgumentException("relay.originalChannel must be a channel name without '*'");
    }
    this.originalChannel = channel;
    return this;
  }

  /** How long a relayed event id is remembered to drop its duplicates and echoes. */
  public long getDedupWindowMs() {
    return dedupWindowMs;
  }

  public RedisExtensionOptions setDedupWindowMs(long ms) {
    this.dedupWindowMs = positive("relay.dedupWindowMs", ms);
    return this;
  }

  /**
   * How long a presence entry lives without a heartbeat; the node refreshes its entries every third of it, so a
   * dead node's entries vanish (with a leave event) within about this time.
   */
  public long getPresenceTtlMs() {
    return presenceTtlMs;
  }

  public RedisExtensionOptions setPresenceTtlMs(long ms) {
    if (ms < 30) {
      throw new IllegalArgumentException("presenceTtlMs must be at least 30, was " + ms);
    }
    this.presenceTtlMs = ms;
    return this;
  }

  /** The default refill rate of a client's token bucket. */
  public double getPermitsPerSecond() {
    return permitsPerSecond;
  }

  public RedisExtensionOptions setPermitsPerSecond(double permits) {
    if (!(permits > 0) || Double.isInfinite(permits)) {
      throw new IllegalArgumentException("rateLimit.permitsPerSecond must be positive, was " + permits);
    }
    this.permitsPerSecond = permits;
    return this;
  }

  /** The default size of a client's token bucket: how many permits it may take at once. */
  public double getBurst() {
    return burst;
  }

  public RedisExtensionOptions setBurst(double burst) {
    if (!(burst >= 1) || Double.isInfinite(burst)) {
      throw new IllegalArgumentException("rateLimit.burst must be at least 1, was " + burst);
    }
    this.burst = burst;
    return this;
  }

  /** The first wait before trying Redis again after it went away; doubled at each failure up to the max. */
  public long getReconnectInitialDelayMs() {
    return reconnectInitialDelayMs;
  }

  public RedisExtensionOptions setReconnectInitialDelayMs(long ms) {
    this.reconnectInitialDelayMs = positive("reconnect.initialDelayMs", ms);
    return this;
  }

  public long getReconnectMaxDelayMs() {
    return reconnectMaxDelayMs;
  }

  public RedisExtensionOptions setReconnectMaxDelayMs(long ms) {
    this.reconnectMaxDelayMs = positive("reconnect.maxDelayMs", ms);
    return this;
  }

  /** How often an idle link checks that Redis still answers (PING). */
  public long getHealthCheckIntervalMs() {
    return healthCheckIntervalMs;
  }

  public RedisExtensionOptions setHealthCheckIntervalMs(long ms) {
    this.healthCheckIntervalMs = positive("reconnect.healthCheckIntervalMs", ms);
    return this;
  }

  /**
   * One history scope: the event-bus addresses it covers and how much of their history Redis keeps.
   *
   * @param pattern an exact address ({@code system}, a named feed) or a prefix ending in {@code *}
   *                ({@code campaign:*}, {@code user:*}); each matching address has its own stream
   * @param maxLength the most entries kept per address (trimmed approximately, {@code MAXLEN ~}); 0 = no bound
   * @param maxAgeMs how long entries are kept ({@code MINID ~}, and the stream expires when idle that long);
   *                 0 = no bound. At least one of the two must be set.
   */
  public record HistoryScope(String pattern, long maxLength, long maxAgeMs) {

    public HistoryScope {
      check("historyScopes[].", pattern, maxLength, maxAgeMs);
    }

    public static HistoryScope ofLength(String pattern, long maxLength) {
      return new HistoryScope(pattern, maxLength, 0);
    }

    static HistoryScope fromJson(JsonObject json, String key) {
      String pattern = string(json, key + ".pattern", "pattern", null);
      long maxLength = number(json, key + ".maxLength", "maxLength", 0);
      long maxAgeMs = number(json, key + ".maxAgeMs", "maxAgeMs", 0);
      check(key + ".", pattern, maxLength, maxAgeMs);
      return new HistoryScope(pattern, maxLength, maxAgeMs);
    }

    private static void check(String key, String pattern, long maxLength, long maxAgeMs) {
      if (pattern == null || pattern.isEmpty()) {
        throw new IllegalArgumentException(key + "pattern must be set, e.g. campaign:*");
      }
      int star = pattern.indexOf('*');
      if (star >= 0 && star != pattern.length() - 1) {
        throw new IllegalArgumentException(key + "pattern '" + pattern + "' may hold '*' only at its end");
      }
      if (pattern.contains("{") || pattern.contains("}")) {
        throw new IllegalArgumentException(key + "pattern '" + pattern + "' must not contain '{' or '}'");
      }
      if (maxLength < 0) {
        throw new IllegalArgumentException(key + "maxLength must not be negative, was " + maxLength);
      }
      if (maxAgeMs < 0) {
        throw new IllegalArgumentException(key + "maxAgeMs must not be negative, was " + maxAgeMs);
      }
      if (maxLength == 0 && maxAgeMs == 0) {
        throw new IllegalArgumentException(key + "maxLength or " + key + "maxAgeMs must be set: history '"
          + pattern + "' must be bounded");
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("pattern", pattern).put("maxLength", maxLength).put("maxAgeMs", maxAgeMs);
    }
  }

  // --- reading JSON with messages that name the key ---

  private static JsonObject object(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException(key + " must be an object");
    }
    return o;
  }

  private static String string(JsonObject json, String key, String def) {
    return string(json, key, key, def);
  }

  private static String string(JsonObject json, String fullKey, String key, String def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(fullKey + " must be a string");
    }
    return s;
  }

  private static int integer(JsonObject json, String key, int def) {
    long v = number(json, key, key, def);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(key + " is out of range: " + v);
    }
    return (int) v;
  }

  private static long number(JsonObject json, String fullKey, String key, long def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException(fullKey + " must be a whole number, was " + v);
  }

  private static double decimal(JsonObject json, String fullKey, String key, double def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(fullKey + " must be a number, was " + v);
  }

  private static boolean bool(JsonObject json, String fullKey, String key, boolean def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(fullKey + " must be true or false, was " + v);
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
