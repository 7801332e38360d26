package io.inos.adapters.bridge;

import io.inos.nexus.redis.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

/**
 * Options of a {@link Bridge}: identity, permissions and the limits every session gets, whatever its protocol. The
 * meter registry and the Redis extension are objects, not configuration: they are set in code and are not part of
 * {@link #toJson()}.
 *
 * <p>JSON keys: {@code rules} ({@link BridgeRules} JSON), {@code jwt} ({@link TokenOptions} JSON),
 * {@code allowGuests}, {@code requestTimeoutMs}, {@code maxAddressLength}, {@code maxSubscriptionsPerSession},
 * {@code maxPendingRequestsPerSession}, {@code maxInboundPerSecond}, {@code maxQueuedMessages},
 * {@code maxQueuedBytes}, {@code slowConsumerPolicy}, {@code expiryCheckMs}. Other keys are ignored, so a door's
 * options may carry these beside their own.
 */
public final class BridgeOptions {

  public static final boolean DEFAULT_ALLOW_GUESTS = true;
  /** 0 = the Nexus's own request timeout. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 0;
  /** As vertx-web's bridge. */
  public static final int DEFAULT_MAX_ADDRESS_LENGTH = 200;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION = 256;
  public static final int DEFAULT_MAX_PENDING_REQUESTS_PER_SESSION = 100;
  /** As the original gateway: 100 messages per second per client. */
  public static final int DEFAULT_MAX_INBOUND_PER_SECOND = 100;
  public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1_000;
  /** Counted as characters of the messages' JSON text. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
  public static final SlowConsumerPolicy DEFAULT_SLOW_CONSUMER_POLICY = SlowConsumerPolicy.DROP_OLDEST;
  /** How often sessions whose token expired lose their subscriptions. */
  public static final long DEFAULT_EXPIRY_CHECK_MS = 5_000;

  private JsonObject rules = BridgeRules.defaults().toJson();
  private TokenOptions tokens = new TokenOptions();
  private boolean allowGuests = DEFAULT_ALLOW_GUESTS;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private int maxAddressLength = DEFAULT_MAX_ADDRESS_LENGTH;
  private int maxSubscriptionsPerSession = DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION;
  private int maxPendingRequestsPerSession = DEFAULT_MAX_PENDING_REQUESTS_PER_SESSION;
  private int maxInboundPerSecond = DEFAULT_MAX_INBOUND_PER_SECOND;
  private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
  private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
  private SlowConsumerPolicy slowConsumerPolicy = DEFAULT_SLOW_CONSUMER_POLICY;
  private long expiryCheckMs = DEFAULT_EXPIRY_CHECK_MS;
  private MeterRegistry meterRegistry;
  private RedisExtension redis;

  public BridgeOptions() {
  }

  public BridgeOptions(BridgeOptions other) {
    this.rules = other.rules.copy();
    this.tokens = new TokenOptions(other.tokens);
    this.allowGuests = other.allowGuests;
    this.requestTimeoutMs = other.requestTimeoutMs;
    this.maxAddressLength = other.maxAddressLength;
    this.maxSubscriptionsPerSession = other.maxSubscriptionsPerSession;
    this.maxPendingRequestsPerSession = other.maxPendingRequestsPerSession;
    this.maxInboundPerSecond = other.maxInboundPerSecond;
    this.maxQueuedMessages = other.maxQueuedMessages;
    this.maxQueuedBytes = other.maxQueuedBytes;
    this.slowConsumerPolicy = other.slowConsumerPolicy;
    this.expiryCheckMs = other.expiryCheckMs;
    this.meterRegistry = other.meterRegistry;
    this.redis = other.redis;
  }

  /** Reads the options; a bad value fails with a message naming its key. */
  public BridgeOptions(JsonObject json) {
    Object rulesJson = json.getValue("rules");
    if (rulesJson != null && !(rulesJson instanceof JsonObject)) {
      throw new IllegalArgumentException("bridge 'rules' must be an object");
    }
    setRules(rulesJson == null ? BridgeRules.defaults().toJson() : (JsonObject) rulesJson);
    Object jwt = json.getValue("jwt");
    if (jwt != null && !(jwt instanceof JsonObject)) {
      throw new IllegalArgumentException("bridge 'jwt' must be an object");
    }
    this.tokens = jwt == null ? new TokenOptions() : new TokenOptions((JsonObject) jwt);
    setAllowGuests(json.getBoolean("allowGuests", DEFAULT_ALLOW_GUESTS));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setMaxAddressLength(json.getInteger("maxAddressLength", DEFAULT_MAX_ADDRESS_LENGTH));
    setMaxSubscriptionsPerSession(json.getInteger("maxSubscriptionsPerSession", DEFAULT_MAX_SUBSCRIPTIONS_PER_SESSION));
    setMaxPendingRequestsPerSession(json.getInteger("maxPendingRequestsPerSession",
      DEFAULT_MAX_PENDING_REQUESTS_PER_SESSION));
    setMaxInboundPerSecond(json.getInteger("maxInboundPerSecond", DEFAULT_MAX_INBOUND_PER_SECOND));
    setMaxQueuedMessages(json.getInteger("maxQueuedMessages", DEFAULT_MAX_QUEUED_MESSAGES));
    setMaxQueuedBytes(json.getLong("maxQueuedBytes", DEFAULT_MAX_QUEUED_BYTES));
    String policy = json.getString("slowConsumerPolicy", DEFAULT_SLOW_CONSUMER_POLICY.name());
    try {
      setSlowConsumerPolicy(SlowConsumerPolicy.valueOf(policy));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bridge 'slowConsumerPolicy' must be DROP_OLDEST or DISCONNECT, was '"
        + policy + "'");
    }
    setExpiryCheckMs(json.getLong("expiryCheckMs", DEFAULT_EXPIRY_CHECK_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("rules", rules.copy())
      .put("jwt", tokens.toJson())
      .put("allowGuests", allowGuests)
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("maxAddressLength", maxAddressLength)
      .put("maxSubscriptionsPerSession", maxSubscriptionsPerSession)
      .put("maxPendingRequestsPerSession", maxPendingRequestsPerSession)
      .put("maxInboundPerSecond", maxInboundPerSecond)
      .put("maxQueuedMessages", maxQueuedMessages)
      .put("maxQueuedBytes", maxQueuedBytes)
      .put("slowConsumerPolicy", slowConsumerPolicy.name())
      .put("expiryCheckMs", expiryCheckMs);
  }

  /** The permission rules, in the JSON form of {@link BridgeRules#fromJson}; {@link BridgeRules#defaults()} unless set. */
  public JsonObject getRules() {
    return rules.copy();
  }

  /** @throws IllegalArgumentException when the rules do not load, with the reason */
  public BridgeOptions setRules(JsonObject rules) {
    BridgeRules.fromJson(rules);
    this.rules = rules.copy();
    return this;
  }

  public BridgeOptions setRules(BridgeRules rules) {
    this.rules = rules.toJson();
    return this;
  }

  /** How tokens are verified (JSON key {@code jwt}). */
  public TokenOptions getTokens() {
    return new TokenOptions(tokens);
  }

  public BridgeOptions setTokens(TokenOptions tokens) {
    this.tokens = new TokenOptions(tokens);
    return this;
  }

  /** Whether a connection without a token becomes a guest; {@code false} refuses it with {@code not_authenticated}. */
  public boolean isAllowGuests() {
    return allowGuests;
  }

  public BridgeOptions setAllowGuests(boolean allowGuests) {
    this.allowGuests = allowGuests;
    return this;
  }

  /** How long a request waits for its outcome; 0 = the Nexus default. */
  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public BridgeOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs < 0) {
      throw new IllegalArgumentException("bridge 'requestTimeoutMs' must be 0 or positive, was " + requestTimeoutMs);
    }
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  /** Longer addresses are refused ({@code max_address_length_reached}) before any rule looks at them. */
  public int getMaxAddressLength() {
    return maxAddressLength;
  }

  public BridgeOptions setMaxAddressLength(int maxAddressLength) {
    if (maxAddressLength <= 0 || maxAddressLength > BridgeRules.MAX_MATCHED_LENGTH) {
      throw new IllegalArgumentException("bridge 'maxAddressLength' must be 1 to " + BridgeRules.MAX_MATCHED_LENGTH
        + ", was " + maxAddressLength);
    }
    this.maxAddressLength = maxAddressLength;
    return this;
  }

  /** Subscriptions past this many on one session are refused ({@code too_many_subscriptions}). */
  public int getMaxSubscriptionsPerSession() {
    return maxSubscriptionsPerSession;
  }

  public BridgeOptions setMaxSubscriptionsPerSession(int max) {
    this.maxSubscriptionsPerSession = (int) positive("maxSubscriptionsPerSession", max);
    return this;
  }

  /** Requests awaiting their outcome past this many on one session are refused ({@code too_many_pending_requests}). */
  public int getMaxPendingRequestsPerSession() {
    return maxPendingRequestsPerSession;
  }

  public BridgeOptions setMaxPendingRequestsPerSession(int max) {
    this.maxPendingRequestsPerSession = (int) positive("maxPendingRequestsPerSession", max);
    return this;
  }

  /**
   * Inbound messages per second per session (a token bucket holding one second's worth, so short bursts pass);
   * past it they are refused ({@code rate_limit_exceeded}) and counted. With the Redis extension ({@link #setRedis})
   * and Redis up, the operations of an authenticated session draw from one bucket per user (guests per guest id)
   * shared by every node and every connection of that user, so reconnecting elsewhere does not multiply the quota;
   * frames that carry no operation (pings, malformed frames) still count on the session's own bucket.
   */
  public int getMaxInboundPerSecond() {
    return maxInboundPerSecond;
  }

  public BridgeOptions setMaxInboundPerSecond(int max) {
    this.maxInboundPerSecond = (int) positive("maxInboundPerSecond", max);
    return this;
  }

  /** The bound of each session's outbound queue, in messages; past it the slow-consumer policy applies. */
  public int getMaxQueuedMessages() {
    return maxQueuedMessages;
  }

  public BridgeOptions setMaxQueuedMessages(int max) {
    this.maxQueuedMessages = (int) positive("maxQueuedMessages", max);
    return this;
  }

  /**
   * The bound of each session's outbound queue, in characters of the queued messages' JSON text; past it the
   * slow-consumer policy applies.
   */
  public long getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  public BridgeOptions setMaxQueuedBytes(long max) {
    this.maxQueuedBytes = positive("maxQueuedBytes", max);
    return this;
  }

  /** What happens when a session's outbound queue is full. */
  public SlowConsumerPolicy getSlowConsumerPolicy() {
    return slowConsumerPolicy;
  }

  public BridgeOptions setSlowConsumerPolicy(SlowConsumerPolicy policy) {
    this.slowConsumerPolicy = java.util.Objects.requireNonNull(policy, "slowConsumerPolicy");
    return this;
  }

  /** How often sessions are checked for an expired token (they then lose their subscriptions). */
  public long getExpiryCheckMs() {
    return expiryCheckMs;
  }

  public BridgeOptions setExpiryCheckMs(long expiryCheckMs) {
    this.expiryCheckMs = positive("expiryCheckMs", expiryCheckMs);
    return this;
  }

  /** Where the bridge's meters go; {@code null} = the Nexus's registry, if it has one. */
  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  public BridgeOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  /**
   * The node's Redis extension, or {@code null} (the default: a single node, everything local). With it, sessions
   * recover missed events from its history ({@link BridgeSession#subscribe(String, String)}), their inbound rate is
   * one bucket per user shared by every node, and the doors keep campaign presence.
   */
  public RedisExtension getRedis() {
    return redis;
  }

  public BridgeOptions setRedis(RedisExtension redis) {
    this.redis = redis;
    return this;
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("bridge '" + key + "' must be positive, was " + value);
    }
    return value;
  }
}
