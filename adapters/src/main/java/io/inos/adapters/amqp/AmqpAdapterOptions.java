package io.inos.adapters.amqp;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of the {@link AmqpAdapterVerticle}.
 *
 * <p>JSON (the defaults shown):
 * <pre>{
 *   "uri": "amqp://guest:guest@localhost:5672",      // INOS_AMQP_URL; amqps:// for TLS
 *   "connectionName": "inos-amqp-adapter",
 *   "heartbeatSeconds": 30, "connectTimeoutMs": 10000,
 *   "reconnectInitialDelayMs": 250, "reconnectMaxDelayMs": 30000, "requireBrokerAtStart": false,
 *   "prefetch": 100, "maxMessageBytes": 1048576,
 *   "deadLetterExchange": null, "deadLetterExchangeType": "fanout",
 *   "outboundBufferSize": 10000, "stopDrainTimeoutMs": 5000,
 *   "source": "amqp",
 *   "bindings": [ {see AmqpBinding}, … ]
 * }</pre>
 * The meter registry is an object, set in code, and not part of {@link #toJson()}. Every setter checks its value,
 * and the JSON constructor fails with a message naming the key (e.g. {@code bindings[1].queue}).
 */
public final class AmqpAdapterOptions {

  public static final String DEFAULT_URI = "amqp://guest:guest@localhost:5672";
  public static final String DEFAULT_CONNECTION_NAME = "inos-amqp-adapter";
  public static final int DEFAULT_HEARTBEAT_SECONDS = 30;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_RECONNECT_INITIAL_DELAY_MS = 250;
  public static final long DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
  /** Unacknowledged messages per {@code in} binding: enough to keep a LAN link busy, few to redeliver after a loss. */
  public static final int DEFAULT_PREFETCH = 100;
  /** 1 MiB: events are small; larger bodies are poison. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
  public static final String DEFAULT_DEAD_LETTER_EXCHANGE_TYPE = "fanout";
  /** Events held for the broker (waiting or unconfirmed), all {@code out} bindings together. */
  public static final int DEFAULT_OUTBOUND_BUFFER_SIZE = 10_000;
  public static final long DEFAULT_STOP_DRAIN_TIMEOUT_MS = 5_000;
  public static final String DEFAULT_SOURCE = "amqp";

  private String uri = DEFAULT_URI;
  private String connectionName = DEFAULT_CONNECTION_NAME;
  private int heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long reconnectInitialDelayMs = DEFAULT_RECONNECT_INITIAL_DELAY_MS;
  private long reconnectMaxDelayMs = DEFAULT_RECONNECT_MAX_DELAY_MS;
  private boolean requireBrokerAtStart;
  private int prefetch = DEFAULT_PREFETCH;
  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private String deadLetterExchange;
  private String deadLetterExchangeType = DEFAULT_DEAD_LETTER_EXCHANGE_TYPE;
  private int outboundBufferSize = DEFAULT_OUTBOUND_BUFFER_SIZE;
  private long stopDrainTimeoutMs = DEFAULT_STOP_DRAIN_TIMEOUT_MS;
  private String source = DEFAULT_SOURCE;
  private final List<AmqpBinding> bindings = new ArrayList<>();
  private MeterRegistry meterRegistry;

  public AmqpAdapterOptions() {
  }

  public AmqpAdapterOptions(AmqpAdapterOptions other) {
    this.uri = other.uri;
    this.connectionName = other.connectionName;
    this.heartbeatSeconds = other.heartbeatSeconds;
    this.connectTimeoutMs = other.connectTimeoutMs;
    this.reconnectInitialDelayMs = other.reconnectInitialDelayMs;
    this.reconnectMaxDelayMs = other.reconnectMaxDelayMs;
    this.requireBrokerAtStart = other.requireBrokerAtStart;
    this.prefetch = other.prefetch;
    this.maxMessageBytes = other.maxMessageBytes;
    this.deadLetterExchange = other.deadLetterExchange;
    this.deadLetterExchangeType = other.deadLetterExchangeType;
    this.outboundBufferSize = other.outboundBufferSize;
    this.stopDrainTimeoutMs = other.stopDrainTimeoutMs;
    this.source = other.source;
    for (AmqpBinding b : other.bindings) {
      this.bindings.add(new AmqpBinding(b));
    }
    this.meterRegistry = other.meterRegistry;
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public AmqpAdapterOptions(JsonObject json) {
    try {
      setUri(json.getString("uri", DEFAULT_URI));
      setConnectionName(json.getString("connectionName", DEFAULT_CONNECTION_NAME));
      setHeartbeatSeconds(json.getInteger("heartbeatSeconds", DEFAULT_HEARTBEAT_SECONDS));
      setConnectTimeoutMs(json.getInteger("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS));
      setReconnectInitialDelayMs(json.getLong("reconnectInitialDelayMs", DEFAULT_RECONNECT_INITIAL_DELAY_MS));
      setReconnectMaxDelayMs(json.getLong("reconnectMaxDelayMs", DEFAULT_RECONNECT_MAX_DELAY_MS));
      setRequireBrokerAtStart(json.getBoolean("requireBrokerAtStart", false));
      setPrefetch(json.getInteger("prefetch", DEFAULT_PREFETCH));
      setMaxMessageBytes(json.getInteger("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
      setDeadLetterExchange(json.getString("deadLetterExchange"));
      setDeadLetterExchangeType(json.getString("deadLetterExchangeType", DEFAULT_DEAD_LETTER_EXCHANGE_TYPE));
      setOutboundBufferSize(json.getInteger("outboundBufferSize", DEFAULT_OUTBOUND_BUFFER_SIZE));
      setStopDrainTimeoutMs(json.getLong("stopDrainTimeoutMs", DEFAULT_STOP_DRAIN_TIMEOUT_MS));
      setSource(json.getString("source", DEFAULT_SOURCE));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a value of the AMQP adapter options has the wrong JSON type: "
        + e.getMessage(), e);
    }
    Object list = json.getValue("bindings");
    if (list != null && !(list instanceof JsonArray)) {
      throw new IllegalArgumentException("bindings must be an array of objects");
    }
    if (list != null) {
      JsonArray array = (JsonArray) list;
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof JsonObject b)) {
          throw new IllegalArgumentException("bindings[" + i + "] must be an object");
        }
        bindings.add(new AmqpBinding("bindings[" + i + "]", b));
      }
    }
    checkBackoff();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    bindings.forEach(b -> list.add(b.toJson()));
    JsonObject json = new JsonObject()
      .put("uri", uri)
      .put("connectionName", connectionName)
      .put("heartbeatSeconds", heartbeatSeconds)
      .put("connectTimeoutMs", connectTimeoutMs)
      .put("reconnectInitialDelayMs", reconnectInitialDelayMs)
      .put("reconnectMaxDelayMs", reconnectMaxDelayMs)
      .put("requireBrokerAtStart", requireBrokerAtStart)
      .put("prefetch", prefetch)
      .put("maxMessageBytes", maxMessageBytes);
    if (deadLetterExchange != null) {
      json.put("deadLetterExchange", deadLetterExchange);
    }
    return json.put("deadLetterExchangeType", deadLetterExchangeType)
      .put("outboundBufferSize", outboundBufferSize)
      .put("stopDrainTimeoutMs", stopDrainTimeoutMs)
      .put("source", source)
      .put("bindings", list);
  }

  /**
   * Checks what single setters cannot: the backoff bounds, and every binding.
   *
   * @throws IllegalArgumentException naming the key that is wrong
   */
  public void validate() {
    checkBackoff();
    for (int i = 0; i < bindings.size(); i++) {
      bindings.get(i).validate("bindings[" + i + "]");
    }
  }

  private void checkBackoff() {
    if (reconnectMaxDelayMs < reconnectInitialDelayMs) {
      throw new IllegalArgumentException("reconnectMaxDelayMs (" + reconnectMaxDelayMs + ") must not be less than "
        + "reconnectInitialDelayMs (" + reconnectInitialDelayMs + ")");
    }
  }

  /** The broker, as an AMQP URI: {@code amqp[s]://user:password@host:port/vhost}. */
  public String getUri() {
    return uri;
  }

  public AmqpAdapterOptions setUri(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("uri must be an amqp:// or amqps:// URI, and is missing");
    }
    try {
      URI parsed = new URI(uri);
      String scheme = parsed.getScheme();
      if (!"amqp".equalsIgnoreCase(scheme) && !"amqps".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("uri must be an amqp:// or amqps:// URI, was '" + redacted(uri) + "'");
      }
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("uri names no host: '" + redacted(uri) + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("uri is not a URI: " + e.getReason(), e);
    }
    this.uri = uri;
    return this;
  }

  /** @return {@code uri} without its password, for logs and messages */
  public static String redacted(String uri) {
    return uri == null ? null : uri.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }

  /** The name the connection shows in the broker's management UI. */
  public String getConnectionName() {
    return connectionName;
  }

  public AmqpAdapterOptions setConnectionName(String connectionName) {
    this.connectionName = connectionName;
    return this;
  }

  /** The AMQP heartbeat asked of the broker: a silent broker is noticed after about twice this; 0 = off. */
  public int getHeartbeatSeconds() {
    return heartbeatSeconds;
  }

  public AmqpAdapterOptions setHeartbeatSeconds(int heartbeatSeconds) {
    if (heartbeatSeconds < 0 || heartbeatSeconds > 65_535) {
      throw new IllegalArgumentException("heartbeatSeconds must be between 0 and 65535, was " + heartbeatSeconds);
    }
    this.heartbeatSeconds = heartbeatSeconds;
    return this;
  }

  public int getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  public AmqpAdapterOptions setConnectTimeoutMs(int connectTimeoutMs) {
    this.connectTimeoutMs = (int) positive("connectTimeoutMs", connectTimeoutMs);
    return this;
  }

  /** The first delay before reconnecting after a broker loss; each failed attempt doubles it, up to the max. */
  public long getReconnectInitialDelayMs() {
    return reconnectInitialDelayMs;
  }

  public AmqpAdapterOptions setReconnectInitialDelayMs(long reconnectInitialDelayMs) {
    this.reconnectInitialDelayMs = positive("reconnectInitialDelayMs", reconnectInitialDelayMs);
    return this;
  }

  public long getReconnectMaxDelayMs() {
    return reconnectMaxDelayMs;
  }

  public AmqpAdapterOptions setReconnectMaxDelayMs(long reconnectMaxDelayMs) {
    this.reconnectMaxDelayMs = positive("reconnectMaxDelayMs", reconnectMaxDelayMs);
    return this;
  }

  /**
   * Whether the deployment fails when the broker cannot be reached at start. False (default): the adapter starts
   * disconnected, holds outbound events in its buffer and keeps trying with its backoff, so an application (the INOS
   * server) starts while its broker is down. True: the deployment waits for the first connection and fails when it
   * fails. Either way, a broker that answers and refuses (credentials, virtual host, a queue or exchange it will
   * not declare) fails the deployment: retrying would not change its answer.
   */
  public boolean isRequireBrokerAtStart() {
    return requireBrokerAtStart;
  }

  public AmqpAdapterOptions setRequireBrokerAtStart(boolean requireBrokerAtStart) {
    this.requireBrokerAtStart = requireBrokerAtStart;
    return this;
  }

  /** The default prefetch (unacknowledged messages) of {@code in} bindings. */
  public int getPrefetch() {
    return prefetch;
  }

  public AmqpAdapterOptions setPrefetch(int prefetch) {
    if (prefetch < 1 || prefetch > 65_535) {
      throw new IllegalArgumentException("prefetch must be between 1 and 65535, was " + prefetch);
    }
    this.prefetch = prefetch;
    return this;
  }

  /** The default largest body of {@code in} bindings; larger ones are dead-lettered ({@code too_large}). */
  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public AmqpAdapterOptions setMaxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = (int) positive("maxMessageBytes", maxMessageBytes);
    return this;
  }

  /**
   * The default exchange poison messages of {@code in} bindings are republished to, with the reason in the
   * {@code x-inos-reason} header. Unset: poison messages are rejected without requeue (the broker then drops them,
   * or dead-letters them by the queue's own policy, without our reason).
   */
  public String getDeadLetterExchange() {
    return deadLetterExchange;
  }

  public AmqpAdapterOptions setDeadLetterExchange(String deadLetterExchange) {
    this.deadLetterExchange = deadLetterExchange == null || deadLetterExchange.isEmpty() ? null : deadLetterExchange;
    return this;
  }

  /** The type dead-letter exchanges are declared with (fanout by default; the routing key is the source queue). */
  public String getDeadLetterExchangeType() {
    return deadLetterExchangeType;
  }

  public AmqpAdapterOptions setDeadLetterExchangeType(String deadLetterExchangeType) {
    if (deadLetterExchangeType == null || !AmqpBinding.EXCHANGE_TYPES.contains(deadLetterExchangeType)) {
      throw new IllegalArgumentException("deadLetterExchangeType must be one of " + AmqpBinding.EXCHANGE_TYPES
        + ", was '" + deadLetterExchangeType + "'");
    }
    this.deadLetterExchangeType = deadLetterExchangeType;
    return this;
  }

  /**
   * The most events held in memory for the broker (waiting for a connection, or published and not yet confirmed).
   * When it is full, new events are dropped and counted ({@code inos.amqp.outbound.dropped}).
   */
  public int getOutboundBufferSize() {
    return outboundBufferSize;
  }

  public AmqpAdapterOptions setOutboundBufferSize(int outboundBufferSize) {
    this.outboundBufferSize = (int) positive("outboundBufferSize", outboundBufferSize);
    return this;
  }

  /** How long undeploying waits for buffered events to be confirmed before closing the connection. */
  public long getStopDrainTimeoutMs() {
    return stopDrainTimeoutMs;
  }

  public AmqpAdapterOptions setStopDrainTimeoutMs(long stopDrainTimeoutMs) {
    if (stopDrainTimeoutMs < 0) {
      throw new IllegalArgumentException("stopDrainTimeoutMs must be 0 or positive, was " + stopDrainTimeoutMs);
    }
    this.stopDrainTimeoutMs = stopDrainTimeoutMs;
    return this;
  }

  /** The {@code source} of events made from messages that are not envelopes (or envelopes without one). */
  public String getSource() {
    return source;
  }

  public AmqpAdapterOptions setSource(String source) {
    if (source == null || source.isEmpty()) {
      throw new IllegalArgumentException("source must not be empty");
    }
    this.source = source;
    return this;
  }

  /** @return the bindings, in order (the list itself: add to it, or use {@link #addBinding}) */
  public List<AmqpBinding> getBindings() {
    return bindings;
  }

  public AmqpAdapterOptions addBinding(AmqpBinding binding) {
    bindings.add(binding);
    return this;
  }

  /** Where the adapter's meters go; {@code null} (default) = none. */
  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  public AmqpAdapterOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
