package io.inos.adapters.amqp.impl;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import io.inos.nexus.Event;
import io.inos.nexus.EventIds;
import io.inos.nexus.EventType;
import io.inos.nexus.InvalidEventTypeException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns a broker message into a Nexus event, or says why it is poison. The mapping (see the package documentation):
 * <ol>
 *   <li>a body larger than the route's maxMessageBytes is poison ({@code too_large}), before it is parsed;</li>
 *   <li>a JSON object with a {@code type} field is a canonical envelope, read as it is (its id, correlation id and
 *   type are kept), but for {@code metadata.amqp}, which says where this message came from;</li>
 *   <li>any other body is wrapped: the type is the AMQP {@code type} property, else the route's eventType; the data
 *   is the JSON object itself, {@code {"value": …}} for other JSON, and, when the route accepts non-JSON bodies,
 *   {@code {"text": …}} (UTF-8) or {@code {"base64": …}}; the id is the AMQP {@code message-id} (so a redelivery
 *   keeps its id), the correlation id the AMQP {@code correlation-id}, the timestamp the AMQP {@code timestamp}, and
 *   {@code metadata.amqp} says where the message came from.</li>
 * </ol>
 * {@code metadata.amqp} ({@link #ORIGIN_KEY}) holds the exchange, routing key, queue, redelivered flag and
 * {@code event_id}, the id of the event made from the message: the outbound side reads it to never send that event
 * back where it came from ({@link OutboundRoute#returnsToOrigin}). The events that follow it in its lifecycle
 * inherit the metadata but not the id, so an outcome is not mistaken for the message.
 */
public final class MessageDecoder {

  /** The metadata key of the origin of an event made from a broker message. */
  public static final String ORIGIN_KEY = "amqp";
  /** The origin's field naming the event made from the message. */
  public static final String ORIGIN_EVENT_ID = "event_id";
  /** Event ids longer than this are refused by {@link Event#fromJson}; a longer message-id is not used as the id. */
  private static final int MAX_ID = 128;

  private MessageDecoder() {
  }

  /**
   * @throws PoisonMessage when the message can never be an event
   */
  public static Event decode(InboundRoute route, Envelope envelope, AMQP.BasicProperties props, byte[] body)
    throws PoisonMessage {
    if (body.length > route.maxMessageBytes()) {
      throw new PoisonMessage(PoisonMessage.TOO_LARGE, "the body has " + body.length + " bytes, more than "
        + "maxMessageBytes " + route.maxMessageBytes() + " of binding '" + route.name() + "'");
    }
    Object json;
    try {
      json = body.length == 0 ? null : Json.decodeValue(Buffer.buffer(body));
    } catch (DecodeException e) {
      if (route.requireJson()) {
        throw new PoisonMessage(PoisonMessage.BAD_JSON, "the body is not JSON: " + firstLine(e.getMessage()));
      }
      json = NOT_JSON;
    }
    if (json == null && route.requireJson()) {
      throw new PoisonMessage(PoisonMessage.BAD_JSON, "the body is empty, and binding '" + route.name()
        + "' requires JSON");
    }
    if (json instanceof JsonObject object && object.containsKey("type")) {
      return envelope(route, envelope, object);
    }
    return wrapped(route, envelope, props, dataOf(json, body));
  }

  private static final Object NOT_JSON = new Object();

  private static Event envelope(InboundRoute route, Envelope envelope, JsonObject object) throws PoisonMessage {
    // the id is fixed here, before the event is built, so the origin can name it
    if (object.getValue("id") == null) {
      object.put("id", EventIds.next());
    }
    Object metadata = object.getValue("metadata");
    if (metadata == null) {
      metadata = new JsonObject();
      object.put("metadata", metadata);
    }
    if (metadata instanceof JsonObject md && object.getValue("id") instanceof String id) {
      // replaces the origin of an earlier hop (another INOS that imported it): this is where it came from now
      md.put(ORIGIN_KEY, origin(route, envelope, id));
    } // else Event.fromJson says what is wrong with the envelope
    try {
      return Event.fromJson(object);
    } catch (InvalidEventTypeException e) {
      throw new PoisonMessage(PoisonMessage.BAD_TYPE, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new PoisonMessage(PoisonMessage.BAD_ENVELOPE, "not a valid event envelope: " + e.getMessage());
    }
  }

  private static JsonObject dataOf(Object json, byte[] body) {
    if (json instanceof JsonObject object) {
      return object;
    }
    if (json == NOT_JSON) {
      String text = utf8(body);
      return text != null ? new JsonObject().put("text", text)
        : new JsonObject().put("base64", Base64.getEncoder().encodeToString(body));
    }
    if (json == null) {
      return new JsonObject();
    }
    // arrays and scalars: JsonArray stays a JsonArray, numbers, strings and booleans as they are
    return new JsonObject().put("value", json instanceof JsonArray a ? a : json);
  }

  private static Event wrapped(InboundRoute route, Envelope envelope, AMQP.BasicProperties props, JsonObject data)
    throws PoisonMessage {
    String typeText = props.getType() != null && !props.getType().isEmpty() ? props.getType() : route.eventType();
    if (typeText == null) {
      throw new PoisonMessage(PoisonMessage.NO_TYPE, "the body is no event envelope (no 'type' field), the message "
        + "has no 'type' property, and binding '" + route.name() + "' has no eventType");
    }
    EventType type;
    try {
      type = EventType.parse(typeText);
    } catch (InvalidEventTypeException e) {
      throw new PoisonMessage(PoisonMessage.BAD_TYPE, e.getMessage());
    }
    String messageId = props.getMessageId();
    String id = messageId != null && !messageId.isEmpty() && messageId.length() <= MAX_ID ? messageId : EventIds.next();
    Event.Builder b = Event.builder(type)
      .id(id)
      .correlationId(props.getCorrelationId())
      .source(route.source())
      .metadata(new JsonObject().put(ORIGIN_KEY, origin(route, envelope, id)))
      .data(data);
    if (props.getTimestamp() != null) {
      b.timestamp(props.getTimestamp().toInstant());
    }
    return b.build();
  }

  private static JsonObject origin(InboundRoute route, Envelope envelope, String eventId) {
    return new JsonObject()
      .put("exchange", envelope.getExchange())
      .put("routing_key", envelope.getRoutingKey())
      .put("queue", route.queue())
      .put("redelivered", envelope.isRedeliver())
      .put(ORIGIN_EVENT_ID, eventId);
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
