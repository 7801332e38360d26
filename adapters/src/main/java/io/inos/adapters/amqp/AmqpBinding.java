package io.inos.adapters.amqp;

import io.inos.nexus.EventType;
import io.inos.nexus.InvalidEventTypeException;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * One configured route between the broker and the Nexus.
 * <ul>
 *   <li>{@link Direction#IN}: the adapter consumes {@link #getQueue() queue} (bound to {@link #getExchange()
 *   exchange} with {@link #getRoutingKey() routing key} as binding key) and publishes each message on the Nexus, as
 *   an event of its envelope's type or of {@link #getEventType() eventType};</li>
 *   <li>{@link Direction#OUT}: the adapter consumes the event-bus {@link #getAddress() address} and publishes each
 *   event to {@link #getExchange() exchange} with {@link #getRoutingKey() routing key} (the event type when unset).</li>
 * </ul>
 *
 * <p>JSON: {@code {"name", "direction": "in"|"out", "exchange", "exchangeType", "queue", "routingKey", "address",
 * "eventType", "declare", "durable", "requireJson", "prefetch", "maxMessageBytes", "deadLetterExchange"}}; the last
 * three override the adapter's defaults for an {@code in} binding when set.
 * {@link #validate(String)} checks the combination; each setter checks its own value.
 */
public final class AmqpBinding {

  /** Which way messages flow. */
  public enum Direction {
    /** broker queue → Nexus */
    IN,
    /** Nexus address → broker exchange */
    OUT;

    static Direction of(String key, String text) {
      if ("in".equalsIgnoreCase(text)) {
        return IN;
      }
      if ("out".equalsIgnoreCase(text)) {
        return OUT;
      }
      throw new IllegalArgumentException(key + " must be 'in' or 'out', was '" + text + "'");
    }

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The exchange types of RabbitMQ (AMQP 0-9-1) the adapter may declare. */
  public static final Set<String> EXCHANGE_TYPES = Set.of("direct", "fanout", "topic", "headers");
  public static final String DEFAULT_EXCHANGE_TYPE = "topic";
  /** For an {@code in} binding on a topic exchange: every routing key. */
  public static final String DEFAULT_IN_ROUTING_KEY = "#";

  private String name;
  private Direction direction;
  private String exchange = "";
  private String exchangeType = DEFAULT_EXCHANGE_TYPE;
  private String queue;
  private String routingKey;
  private String address;
  private String eventType;
  private boolean declare = true;
  private boolean durable = true;
  private boolean requireJson = true;
  private Integer prefetch;
  private Integer maxMessageBytes;
  private String deadLetterExchange;

  public AmqpBinding() {
  }

  public AmqpBinding(AmqpBinding other) {
    this.name = other.name;
    this.direction = other.direction;
    this.exchange = other.exchange;
    this.exchangeType = other.exchangeType;
    this.queue = other.queue;
    this.routingKey = other.routingKey;
    this.address = other.address;
    this.eventType = other.eventType;
    this.declare = other.declare;
    this.durable = other.durable;
    this.requireJson = other.requireJson;
    this.prefetch = other.prefetch;
    this.maxMessageBytes = other.maxMessageBytes;
    this.deadLetterExchange = other.deadLetterExchange;
  }

  /**
   * Reads a binding; a bad value fails with a message naming its key, prefixed with {@code key} (e.g.
   * {@code bindings[2]}).
   */
  public AmqpBinding(String key, JsonObject json) {
    try {
      setName(json.getString("name"));
      String dir = json.getString("direction");
      if (dir == null) {
        throw new IllegalArgumentException("direction must be 'in' or 'out', and is missing");
      }
      setDirection(Direction.of("direction", dir));
      setExchange(json.getString("exchange", ""));
      setExchangeType(json.getString("exchangeType", DEFAULT_EXCHANGE_TYPE));
      setQueue(json.getString("queue"));
      setRoutingKey(json.getString("routingKey"));
      setAddress(json.getString("address"));
      setEventType(json.getString("eventType"));
      setDeclare(json.getBoolean("declare", true));
      setDurable(json.getBoolean("durable", true));
      setRequireJson(json.getBoolean("requireJson", true));
      setPrefetch(json.getInteger("prefetch"));
      setMaxMessageBytes(json.getInteger("maxMessageBytes"));
      setDeadLetterExchange(json.getString("deadLetterExchange"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(key + ": a value has the wrong JSON type: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + "." + e.getMessage(), e);
    }
    validate(key);
  }

  /** @return an {@code in} binding: {@code queue} (bound to {@code exchange} with {@code bindingKey}) → Nexus */
  public static AmqpBinding in(String exchange, String bindingKey, String queue) {
    return new AmqpBinding().setDirection(Direction.IN).setExchange(exchange).setRoutingKey(bindingKey)
      .setQueue(queue);
  }

  /** @return an {@code out} binding: event-bus {@code address} → {@code exchange} with {@code routingKey} */
  public static AmqpBinding out(String address, String exchange, String routingKey) {
    return new AmqpBinding().setDirection(Direction.OUT).setAddress(address).setExchange(exchange)
      .setRoutingKey(routingKey);
  }

  /**
   * Checks the combination of values.
   *
   * @param key how the binding is named in messages, e.g. {@code bindings[0]}
   * @throws IllegalArgumentException naming the key that is wrong
   */
  public void validate(String key) {
    if (direction == null) {
      throw new IllegalArgumentException(key + ".direction must be 'in' or 'out', and is missing");
    }
    if (direction == Direction.IN) {
      if (queue == null || queue.isEmpty()) {
        throw new IllegalArgumentException(key + ".queue must be set for an 'in' binding");
      }
    } else {
      if (address == null || address.isEmpty()) {
        throw new IllegalArgumentException(key + ".address must be set for an 'out' binding (the event-bus address "
          + "whose events go to the broker)");
      }
      if (queue != null) {
        throw new IllegalArgumentException(key + ".queue belongs to 'in' bindings; an 'out' binding publishes to "
          + "exchange '" + exchange + "'");
      }
      if (exchange.isEmpty() && routingKey == null) {
        throw new IllegalArgumentException(key + ".routingKey must be set when publishing to the default exchange "
          + "(it names the queue)");
      }
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (name != null) {
      json.put("name", name);
    }
    json.put("direction", direction == null ? null : direction.wire())
      .put("exchange", exchange)
      .put("exchangeType", exchangeType);
    putIfSet(json, "queue", queue);
    putIfSet(json, "routingKey", routingKey);
    putIfSet(json, "address", address);
    putIfSet(json, "eventType", eventType);
    json.put("declare", declare).put("durable", durable).put("requireJson", requireJson);
    putIfSet(json, "prefetch", prefetch);
    putIfSet(json, "maxMessageBytes", maxMessageBytes);
    putIfSet(json, "deadLetterExchange", deadLetterExchange);
    return json;
  }

  private static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  /** @return the name used in logs and meter tags; by default {@code in:{queue}} or {@code out:{address}} */
  public String getName() {
    if (name != null) {
      return name;
    }
    return direction == Direction.IN ? "in:" + queue : "out:" + address;
  }

  public AmqpBinding setName(String name) {
    this.name = name;
    return this;
  }

  public Direction getDirection() {
    return direction;
  }

  public AmqpBinding setDirection(Direction direction) {
    this.direction = Objects.requireNonNull(direction, "direction");
    return this;
  }

  /** The exchange: the source of an {@code in} binding's queue, the target of an {@code out} binding. */
  public String getExchange() {
    return exchange;
  }

  /** @param exchange the exchange; {@code ""} is the default exchange (routing key = queue name) */
  public AmqpBinding setExchange(String exchange) {
    this.exchange = exchange == null ? "" : exchange;
    return this;
  }

  /** The type the exchange is declared with: direct, fanout, topic (default) or headers. */
  public String getExchangeType() {
    return exchangeType;
  }

  public AmqpBinding setExchangeType(String exchangeType) {
    if (exchangeType == null || !EXCHANGE_TYPES.contains(exchangeType)) {
      throw new IllegalArgumentException("exchangeType must be one of " + EXCHANGE_TYPES + ", was '" + exchangeType
        + "'");
    }
    this.exchangeType = exchangeType;
    return this;
  }

  /** The queue an {@code in} binding consumes. */
  public String getQueue() {
    return queue;
  }

  public AmqpBinding setQueue(String queue) {
    if (queue != null && queue.length() > 255) {
      throw new IllegalArgumentException("queue is longer than 255 characters (the AMQP short-string limit)");
    }
    this.queue = queue;
    return this;
  }

  /**
   * {@code in}: the binding key of the queue on the exchange ({@value #DEFAULT_IN_ROUTING_KEY} when unset);
   * {@code out}: the routing key of every message (the event's type when unset).
   */
  public String getRoutingKey() {
    return routingKey;
  }

  public AmqpBinding setRoutingKey(String routingKey) {
    if (routingKey != null && routingKey.length() > 255) {
      throw new IllegalArgumentException("routingKey is longer than 255 characters (the AMQP short-string limit)");
    }
    this.routingKey = routingKey;
    return this;
  }

  /**
   * {@code out}: the event-bus address whose events go to the broker (an event type, {@code user:{id}}, …);
   * {@code in}: where events are published instead of the Nexus's own routing (their type and scope) — unset by
   * default.
   */
  public String getAddress() {
    return address;
  }

  public AmqpBinding setAddress(String address) {
    this.address = address;
    return this;
  }

  /**
   * {@code in}: the type of the events made from messages that are not canonical envelopes (and carry no AMQP
   * {@code type} property). Unset: such messages are poison ({@code no_type}).
   */
  public String getEventType() {
    return eventType;
  }

  public AmqpBinding setEventType(String eventType) {
    if (eventType != null) {
      try {
        EventType.parse(eventType);
      } catch (InvalidEventTypeException e) {
        throw new IllegalArgumentException("eventType: " + e.getMessage(), e);
      }
    }
    this.eventType = eventType;
    return this;
  }

  /**
   * Whether the adapter declares the exchange, the queue and their binding (idempotent when they exist with the
   * same properties) — else it only checks, passively, that they exist. Default true.
   */
  public boolean isDeclare() {
    return declare;
  }

  public AmqpBinding setDeclare(boolean declare) {
    this.declare = declare;
    return this;
  }

  /** Whether declared exchanges and queues survive a broker restart. Default true. */
  public boolean isDurable() {
    return durable;
  }

  public AmqpBinding setDurable(boolean durable) {
    this.durable = durable;
    return this;
  }

  /**
   * {@code in}: whether a body must be JSON (default). When false, a body that is not JSON becomes the event data
   * {@code {"text": …}} (valid UTF-8) or {@code {"base64": …}}.
   */
  public boolean isRequireJson() {
    return requireJson;
  }

  public AmqpBinding setRequireJson(boolean requireJson) {
    this.requireJson = requireJson;
    return this;
  }

  /** {@code in}: the most unacknowledged messages at a time; unset = the adapter's default. */
  public Integer getPrefetch() {
    return prefetch;
  }

  public AmqpBinding setPrefetch(Integer prefetch) {
    if (prefetch != null && (prefetch < 1 || prefetch > 65_535)) {
      throw new IllegalArgumentException("prefetch must be between 1 and 65535, was " + prefetch);
    }
    this.prefetch = prefetch;
    return this;
  }

  /** {@code in}: larger bodies are poison ({@code too_large}); unset = the adapter's default. */
  public Integer getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public AmqpBinding setMaxMessageBytes(Integer maxMessageBytes) {
    if (maxMessageBytes != null && maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  /** {@code in}: where poison messages go; unset = the adapter's default. */
  public String getDeadLetterExchange() {
    return deadLetterExchange;
  }

  public AmqpBinding setDeadLetterExchange(String deadLetterExchange) {
    this.deadLetterExchange = deadLetterExchange;
    return this;
  }
}
