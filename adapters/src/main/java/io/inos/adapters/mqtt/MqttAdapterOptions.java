package io.inos.adapters.mqtt;

import io.inos.adapters.bridge.BridgeOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

/**
 * Options of the {@link MqttAdapterVerticle}: where the MQTT server listens and the limits it gives every client, and
 * the options of the bridge it makes when it is given none. The meter registry and the authenticator are objects, not
 * configuration: they are set in code and are not part of {@link #toJson()}.
 *
 * <p>JSON keys (each bad value fails with a message naming its key): {@code host}, {@code port} (0 = any free port),
 * {@code websocketPort} (MQTT over WebSocket at {@code /mqtt}; -1 = off, 0 = any free port), {@code tlsPort} (MQTT
 * over TLS; -1 = off, 0 = any free port), {@code tlsCertPath} and {@code tlsKeyPath} (PEM files of its certificate
 * chain and private key, both required when {@code tlsPort} is on), {@code maxMessageSize}
 * (bytes of one packet), {@code maxClientIdLength}, {@code maxKeepAliveSeconds}, {@code maxInflight},
 * {@code maxQueuedMessages} (each session's offline and outbound queue), {@code maxSubscriptionsPerSession},
 * {@code topicAliasMaximum},
 * {@code maxSessionExpirySeconds}, {@code timeoutOnConnectSeconds}, {@code sysIntervalSeconds} (how often the
 * {@code $SYS/broker/…} statistics topics are published; 0 = never), {@code maxRetainedMessages},
 * {@code redisUrl} (where retained messages and persistent sessions survive a restart; unset = memory only),
 * {@code redisKeyPrefix}, {@code bridge} (the {@link BridgeOptions} JSON of the bridge the verticle makes when it is
 * given none).
 */
public final class MqttAdapterOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The IANA port of MQTT. */
  public static final int DEFAULT_PORT = 1883;
  /** -1 = no WebSocket listener. */
  public static final int DEFAULT_WEBSOCKET_PORT = -1;
  /** -1 = no TLS listener (8883 is MQTT over TLS's IANA port). */
  public static final int DEFAULT_TLS_PORT = -1;
  /** As Mosquitto's default message size limit is unbounded, this is ours: 256 KiB, like Vert.x's WebSocket messages. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
  /** MQTT 5 allows any length; 3.1.1 servers must accept 23 and may accept more. */
  public static final int DEFAULT_MAX_CLIENT_ID_LENGTH = 256;
  /** The most a client may ask for (MQTT allows 65,535 s); MQTT 5 clients asking more are told this value. */
  public static final int DEFAULT_MAX_KEEP_ALIVE_SECONDS = 3_600;
  /** QoS 1 and 2 messages sent to one client and not acknowledged yet (the server's receive maximum too). */
  public static final int DEFAULT_MAX_INFLIGHT = 32;
  /** Messages waiting for one client (offline, or its in-flight window full); past it the oldest is dropped. */
  public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1_000;
  /** Topic filters one session may hold; a SUBSCRIBE's filters past it are refused (quota exceeded). */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION = 100;
  public static final int DEFAULT_TOPIC_ALIAS_MAXIMUM = 16;
  /** The longest a persistent session outlives its connection: one day. */
  public static final long DEFAULT_MAX_SESSION_EXPIRY_SECONDS = 86_400;
  public static final int DEFAULT_TIMEOUT_ON_CONNECT_SECONDS = 10;
  /** Mosquitto's default $SYS interval. */
  public static final int DEFAULT_SYS_INTERVAL_SECONDS = 10;
  /** Topics holding a retained message; past it a new topic's retained message is not kept. */
  public static final int DEFAULT_MAX_RETAINED_MESSAGES = 100_000;
  /** Beside the Redis extension's {@code inos:} keys. */
  public static final String DEFAULT_REDIS_KEY_PREFIX = "inos:mqtt:";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int websocketPort = DEFAULT_WEBSOCKET_PORT;
  private int tlsPort = DEFAULT_TLS_PORT;
  private String tlsCertPath;
  private String tlsKeyPath;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private int maxClientIdLength = DEFAULT_MAX_CLIENT_ID_LENGTH;
  private int maxKeepAliveSeconds = DEFAULT_MAX_KEEP_ALIVE_SECONDS;
  private int maxInflight = DEFAULT_MAX_INFLIGHT;
  private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
  private int maxSubscriptionsPerSession = DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION;
  private int topicAliasMaximum = DEFAULT_TOPIC_ALIAS_MAXIMUM;
  private long maxSessionExpirySeconds = DEFAULT_MAX_SESSION_EXPIRY_SECONDS;
  private int timeoutOnConnectSeconds = DEFAULT_TIMEOUT_ON_CONNECT_SECONDS;
  private int sysIntervalSeconds = DEFAULT_SYS_INTERVAL_SECONDS;
  private int maxRetainedMessages = DEFAULT_MAX_RETAINED_MESSAGES;
  private String redisUrl;
  private String redisKeyPrefix = DEFAULT_REDIS_KEY_PREFIX;
  private BridgeOptions bridge = new BridgeOptions();
  private MeterRegistry meterRegistry;
  private MqttAuthenticator authenticator;

  public MqttAdapterOptions() {
  }

  public MqttAdapterOptions(MqttAdapterOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.websocketPort = other.websocketPort;
    this.tlsPort = other.tlsPort;
    this.tlsCertPath = other.tlsCertPath;
    this.tlsKeyPath = other.tlsKeyPath;
    this.maxMessageSize = other.maxMessageSize;
    this.maxClientIdLength = other.maxClientIdLength;
    this.maxKeepAliveSeconds = other.maxKeepAliveSeconds;
    this.maxInflight = other.maxInflight;
    this.maxQueuedMessages = other.maxQueuedMessages;
    this.maxSubscriptionsPerSession = other.maxSubscriptionsPerSession;
    this.topicAliasMaximum = other.topicAliasMaximum;
    this.maxSessionExpirySeconds = other.maxSessionExpirySeconds;
    this.timeoutOnConnectSeconds = other.timeoutOnConnectSeconds;
    this.sysIntervalSeconds = other.sysIntervalSeconds;
    this.maxRetainedMessages = other.maxRetainedMessages;
    this.redisUrl = other.redisUrl;
    this.redisKeyPrefix = other.redisKeyPrefix;
    this.bridge = new BridgeOptions(other.bridge);
    this.meterRegistry = other.meterRegistry;
    this.authenticator = other.authenticator;
  }

  /** Reads the options; a bad value fails with an {@link IllegalArgumentException} naming its key. */
  public MqttAdapterOptions(JsonObject json) {
    setHost(string(json, "host", DEFAULT_HOST));
    setPort(integer(json, "port", DEFAULT_PORT));
    setWebsocketPort(integer(json, "websocketPort", DEFAULT_WEBSOCKET_PORT));
    setTlsPort(integer(json, "tlsPort", DEFAULT_TLS_PORT));
    this.tlsCertPath = string(json, "tlsCertPath", null);
    this.tlsKeyPath = string(json, "tlsKeyPath", null);
    setMaxMessageSize(integer(json, "maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE));
    setMaxClientIdLength(integer(json, "maxClientIdLength", DEFAULT_MAX_CLIENT_ID_LENGTH));
    setMaxKeepAliveSeconds(integer(json, "maxKeepAliveSeconds", DEFAULT_MAX_KEEP_ALIVE_SECONDS));
    setMaxInflight(integer(json, "maxInflight", DEFAULT_MAX_INFLIGHT));
    setMaxQueuedMessages(integer(json, "maxQueuedMessages", DEFAULT_MAX_QUEUED_MESSAGES));
    setMaxSubscriptionsPerSession(integer(json, "maxSubscriptionsPerSession", DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION));
    setTopicAliasMaximum(integer(json, "topicAliasMaximum", DEFAULT_TOPIC_ALIAS_MAXIMUM));
    setMaxSessionExpirySeconds(longValue(json, "maxSessionExpirySeconds", DEFAULT_MAX_SESSION_EXPIRY_SECONDS));
    setTimeoutOnConnectSeconds(integer(json, "timeoutOnConnectSeconds", DEFAULT_TIMEOUT_ON_CONNECT_SECONDS));
    setSysIntervalSeconds(integer(json, "sysIntervalSeconds", DEFAULT_SYS_INTERVAL_SECONDS));
    setMaxRetainedMessages(integer(json, "maxRetainedMessages", DEFAULT_MAX_RETAINED_MESSAGES));
    setRedisUrl(string(json, "redisUrl", null));
    setRedisKeyPrefix(string(json, "redisKeyPrefix", DEFAULT_REDIS_KEY_PREFIX));
    Object bridgeJson = json.getValue("bridge");
    if (bridgeJson != null && !(bridgeJson instanceof JsonObject)) {
      throw new IllegalArgumentException("mqtt 'bridge' must be an object");
    }
    this.bridge = bridgeJson == null ? new BridgeOptions() : new BridgeOptions((JsonObject) bridgeJson);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("websocketPort", websocketPort)
      .put("tlsPort", tlsPort)
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("maxMessageSize", maxMessageSize)
      .put("maxClientIdLength", maxClientIdLength)
      .put("maxKeepAliveSeconds", maxKeepAliveSeconds)
      .put("maxInflight", maxInflight)
      .put("maxQueuedMessages", maxQueuedMessages)
      .put("maxSubscriptionsPerSession", maxSubscriptionsPerSession)
      .put("topicAliasMaximum", topicAliasMaximum)
      .put("maxSessionExpirySeconds", maxSessionExpirySeconds)
      .put("timeoutOnConnectSeconds", timeoutOnConnectSeconds)
      .put("sysIntervalSeconds", sysIntervalSeconds)
      .put("maxRetainedMessages", maxRetainedMessages)
      .put("redisKeyPrefix", redisKeyPrefix)
      .put("bridge", bridge.toJson());
    if (redisUrl != null) {
      json.put("redisUrl", redisUrl);
    }
    return json;
  }

  /** The interface the server binds. */
  public String getHost() {
    return host;
  }

  public MqttAdapterOptions setHost(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("mqtt 'host' must not be empty");
    }
    this.host = host;
    return this;
  }

  /** The MQTT (TCP) port; 0 = any free port (see {@link MqttAdapterVerticle#actualPort()}). */
  public int getPort() {
    return port;
  }

  public MqttAdapterOptions setPort(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("mqtt 'port' must be 0 to 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The port of MQTT over WebSocket, served at the path {@code /mqtt} (fixed by vertx-mqtt); -1 = off, 0 = any free
   * port (see {@link MqttAdapterVerticle#actualWebsocketPort()}).
   */
  public int getWebsocketPort() {
    return websocketPort;
  }

  public MqttAdapterOptions setWebsocketPort(int websocketPort) {
    if (websocketPort < -1 || websocketPort > 65_535) {
      throw new IllegalArgumentException("mqtt 'websocketPort' must be -1 (off) or 0 to 65535, was " + websocketPort);
    }
    this.websocketPort = websocketPort;
    return this;
  }

  /**
   * The port of MQTT over TLS; -1 = off, 0 = any free port (see {@link MqttAdapterVerticle#actualTlsPort()}). It needs
   * {@link #setTlsCertPath} and {@link #setTlsKeyPath}.
   */
  public int getTlsPort() {
    return tlsPort;
  }

  public MqttAdapterOptions setTlsPort(int tlsPort) {
    if (tlsPort < -1 || tlsPort > 65_535) {
      throw new IllegalArgumentException("mqtt 'tlsPort' must be -1 (off) or 0 to 65535, was " + tlsPort);
    }
    this.tlsPort = tlsPort;
    return this;
  }

  /** The PEM file of the TLS listener's certificate (its chain, the server's own first). */
  public String getTlsCertPath() {
    return tlsCertPath;
  }

  public MqttAdapterOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = tlsCertPath;
    return this;
  }

  /** The PEM file of the TLS listener's private key (PKCS#8 or PKCS#1). */
  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  public MqttAdapterOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = tlsKeyPath;
    return this;
  }

  /**
   * The largest packet a client may send, in bytes (told to MQTT 5 clients as the Maximum Packet Size); a larger one
   * ends the connection (MQTT 5: DISCONNECT 0x95 Packet too large).
   */
  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public MqttAdapterOptions setMaxMessageSize(int maxMessageSize) {
    if (maxMessageSize < 64 || maxMessageSize > 268_435_455) {
      throw new IllegalArgumentException("mqtt 'maxMessageSize' must be 64 to 268435455 (MQTT's largest packet), was "
        + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  /** The longest client identifier accepted (longer ones are refused: 0x02 / 0x85). */
  public int getMaxClientIdLength() {
    return maxClientIdLength;
  }

  public MqttAdapterOptions setMaxClientIdLength(int maxClientIdLength) {
    if (maxClientIdLength < 23 || maxClientIdLength > 65_535) {
      throw new IllegalArgumentException("mqtt 'maxClientIdLength' must be 23 (MQTT 3.1.1's minimum) to 65535, was "
        + maxClientIdLength);
    }
    this.maxClientIdLength = maxClientIdLength;
    return this;
  }

  /** The longest keep-alive a client gets; an MQTT 5 client asking for more (or none) is told this one. */
  public int getMaxKeepAliveSeconds() {
    return maxKeepAliveSeconds;
  }

  public MqttAdapterOptions setMaxKeepAliveSeconds(int maxKeepAliveSeconds) {
    if (maxKeepAliveSeconds < 1 || maxKeepAliveSeconds > 65_535) {
      throw new IllegalArgumentException("mqtt 'maxKeepAliveSeconds' must be 1 to 65535, was " + maxKeepAliveSeconds);
    }
    this.maxKeepAliveSeconds = maxKeepAliveSeconds;
    return this;
  }

  /**
   * The in-flight window: QoS 1 and 2 messages sent to one client and not yet acknowledged (lowered to the client's
   * Receive Maximum in MQTT 5); the rest wait in the session's queue. Also the server's Receive Maximum.
   */
  public int getMaxInflight() {
    return maxInflight;
  }

  public MqttAdapterOptions setMaxInflight(int maxInflight) {
    if (maxInflight < 1 || maxInflight > 65_535) {
      throw new IllegalArgumentException("mqtt 'maxInflight' must be 1 to 65535, was " + maxInflight);
    }
    this.maxInflight = maxInflight;
    return this;
  }

  /**
   * The bound of each session's queue (messages waiting while the client is offline or its in-flight window is full);
   * past it the oldest message is dropped and counted.
   */
  public int getMaxQueuedMessages() {
    return maxQueuedMessages;
  }

  public MqttAdapterOptions setMaxQueuedMessages(int maxQueuedMessages) {
    if (maxQueuedMessages < 1) {
      throw new IllegalArgumentException("mqtt 'maxQueuedMessages' must be positive, was " + maxQueuedMessages);
    }
    this.maxQueuedMessages = maxQueuedMessages;
    return this;
  }

  /**
   * The most topic filters one session may hold (a shared subscription counts as one; a filter subscribed again does
   * not count twice): a SUBSCRIBE's new filters past it get SUBACK 0x97 Quota exceeded in MQTT 5, 0x80 in 3.1.1, and
   * the session keeps the ones it has. A session restored or handed over with more (the bound was lowered) keeps them
   * and takes no new ones.
   */
  public int getMaxSubscriptionsPerSession() {
    return maxSubscriptionsPerSession;
  }

  public MqttAdapterOptions setMaxSubscriptionsPerSession(int maxSubscriptionsPerSession) {
    if (maxSubscriptionsPerSession < 1) {
      throw new IllegalArgumentException("mqtt 'maxSubscriptionsPerSession' must be positive, was "
        + maxSubscriptionsPerSession);
    }
    this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
    return this;
  }

  /** The most topic aliases an MQTT 5 client may use towards the server (0 = none). */
  public int getTopicAliasMaximum() {
    return topicAliasMaximum;
  }

  public MqttAdapterOptions setTopicAliasMaximum(int topicAliasMaximum) {
    if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
      throw new IllegalArgumentException("mqtt 'topicAliasMaximum' must be 0 to 65535, was " + topicAliasMaximum);
    }
    this.topicAliasMaximum = topicAliasMaximum;
    return this;
  }

  /**
   * The longest a session outlives its connection: an MQTT 5 session expiry above it is lowered (and the client
   * told), and an MQTT 3.1.1 persistent session (clean session false) expires after it.
   */
  public long getMaxSessionExpirySeconds() {
    return maxSessionExpirySeconds;
  }

  public MqttAdapterOptions setMaxSessionExpirySeconds(long maxSessionExpirySeconds) {
    if (maxSessionExpirySeconds < 0 || maxSessionExpirySeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("mqtt 'maxSessionExpirySeconds' must be 0 to 4294967295, was "
        + maxSessionExpirySeconds);
    }
    this.maxSessionExpirySeconds = maxSessionExpirySeconds;
    return this;
  }

  /** How long a new connection may take to send its CONNECT. */
  public int getTimeoutOnConnectSeconds() {
    return timeoutOnConnectSeconds;
  }

  public MqttAdapterOptions setTimeoutOnConnectSeconds(int timeoutOnConnectSeconds) {
    if (timeoutOnConnectSeconds < 1) {
      throw new IllegalArgumentException("mqtt 'timeoutOnConnectSeconds' must be positive, was "
        + timeoutOnConnectSeconds);
    }
    this.timeoutOnConnectSeconds = timeoutOnConnectSeconds;
    return this;
  }

  /**
   * How often the statistics topics {@code $SYS/broker/…} are published (retained, QoS 0); 0 = never. Any client
   * that is not a guest may subscribe to them; no client may publish to a {@code $} topic.
   */
  public int getSysIntervalSeconds() {
    return sysIntervalSeconds;
  }

  public MqttAdapterOptions setSysIntervalSeconds(int sysIntervalSeconds) {
    if (sysIntervalSeconds < 0 || sysIntervalSeconds > 86_400) {
      throw new IllegalArgumentException("mqtt 'sysIntervalSeconds' must be 0 (off) to 86400, was "
        + sysIntervalSeconds);
    }
    this.sysIntervalSeconds = sysIntervalSeconds;
    return this;
  }

  /** The most topics holding a retained message; a retained message of a new topic past it is not kept (logged). */
  public int getMaxRetainedMessages() {
    return maxRetainedMessages;
  }

  public MqttAdapterOptions setMaxRetainedMessages(int maxRetainedMessages) {
    if (maxRetainedMessages < 1) {
      throw new IllegalArgumentException("mqtt 'maxRetainedMessages' must be positive, was " + maxRetainedMessages);
    }
    this.maxRetainedMessages = maxRetainedMessages;
    return this;
  }

  /**
   * The Redis where retained messages and persistent sessions are kept, so that they survive a restart
   * ({@code redis://host:port}, or {@code rediss://}; a password and a database number as Vert.x's Redis client takes
   * them); {@code null} = this node's memory only.
   *
   * <p>Memory still serves every match and delivery; Redis is the durable copy, written behind it in order over one
   * connection and read at start. While Redis is away the adapter serves from memory (counted as
   * {@code inos.mqtt.redis.failures}) and writes what it missed when Redis is back. The sessions of a node are its own:
   * nodes of a cluster sharing a Redis need a {@link #setRedisKeyPrefix key prefix} each, or each would restore the
   * others' sessions.
   */
  public String getRedisUrl() {
    return redisUrl;
  }

  public MqttAdapterOptions setRedisUrl(String redisUrl) {
    if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
      // not the value: it may hold a password
      throw new IllegalArgumentException("mqtt 'redisUrl' must be redis://host:port or rediss://host:port");
    }
    this.redisUrl = redisUrl;
    return this;
  }

  /** What the names of the adapter's Redis keys start with: {@code {prefix}retained}, {@code {prefix}session:{id}}. */
  public String getRedisKeyPrefix() {
    return redisKeyPrefix;
  }

  public MqttAdapterOptions setRedisKeyPrefix(String redisKeyPrefix) {
    if (redisKeyPrefix == null || redisKeyPrefix.isEmpty()) {
      throw new IllegalArgumentException("mqtt 'redisKeyPrefix' must not be empty");
    }
    this.redisKeyPrefix = redisKeyPrefix;
    return this;
  }

  /**
   * Who checks the CONNECT's user name and password; {@code null} = {@link MqttAuthenticator#bearerTokens()} (the
   * password is a JWT).
   */
  public MqttAuthenticator getAuthenticator() {
    return authenticator;
  }

  public MqttAdapterOptions setAuthenticator(MqttAuthenticator authenticator) {
    this.authenticator = authenticator;
    return this;
  }

  /** The options of the bridge the verticle makes when it is given none (JSON key {@code bridge}). */
  public BridgeOptions getBridge() {
    return new BridgeOptions(bridge);
  }

  public MqttAdapterOptions setBridge(BridgeOptions bridge) {
    this.bridge = new BridgeOptions(bridge);
    return this;
  }

  /** Where the adapter's meters go ({@code inos.mqtt.*}); {@code null} = the bridge's, else the Nexus's, if any. */
  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  public MqttAdapterOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  private static String string(JsonObject json, String key, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("mqtt '" + key + "' must be a string, was " + value);
    }
    return s;
  }

  private static int integer(JsonObject json, String key, int fallback) {
    long value = longValue(json, key, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("mqtt '" + key + "' is out of range: " + value);
    }
    return (int) value;
  }

  private static long longValue(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        // fall through to the message naming the key
      }
    }
    throw new IllegalArgumentException("mqtt '" + key + "' must be a whole number, was '" + value + "'");
  }
}
