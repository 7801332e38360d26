package io.inos.adapters.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.inos.nexus.Event;
import io.inos.proto.common.v1.EventEnvelope;
import io.vertx.core.json.JsonObject;

/**
 * Between the proto {@link EventEnvelope} and the {@link Event}: both have the same snake_case JSON form, so the
 * translation goes through it ({@code JsonFormat} with proto field names).
 *
 * <p>The proto is narrower than the event: {@code Payload} holds only {@code data} and {@code Metadata} has fixed
 * fields. Going to proto, the other payload members (a lifecycle event's {@code action}, {@code error},
 * {@code completed_at}, …) and metadata keys the proto does not know are left out; metadata of a shape the proto
 * cannot hold is reduced to its {@code global_context}.
 */
public final class EventEnvelopes {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
    .omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private EventEnvelopes() {
  }

  /**
   * @param defaultSource the source of an envelope that has none
   * @throws IllegalArgumentException (or {@link io.inos.nexus.InvalidEventTypeException}) naming what is wrong
   */
  public static Event toEvent(EventEnvelope envelope, String defaultSource) {
    JsonObject json;
    try {
      json = new JsonObject(PRINTER.print(envelope));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("the envelope cannot be read: " + e.getMessage());
    }
    if (!json.containsKey("source") && defaultSource != null) {
      json.put("source", defaultSource);
    }
    return Event.fromJson(json);
  }

  /** @return the proto form of {@code event}, as complete as the proto allows */
  public static EventEnvelope toProto(Event event) {
    JsonObject json = event.toJson();
    JsonObject payload = json.getJsonObject("payload");
    JsonObject data = new JsonObject();
    if (payload.getValue("data") instanceof JsonObject d) {
      data.put("data", d);
    }
    json.put("payload", data);
    EventEnvelope.Builder builder = EventEnvelope.newBuilder();
    try {
      PARSER.merge(json.encode(), builder);
    } catch (InvalidProtocolBufferException e) {
      json.put("metadata", new JsonObject().put("global_context", gcOf(event)));
      builder.clear();
      try {
        PARSER.merge(json.encode(), builder);
      } catch (InvalidProtocolBufferException again) {
        throw new IllegalStateException("event " + event + " has no proto form: " + again.getMessage(), again);
      }
    }
    return builder.build();
  }

  private static JsonObject gcOf(Event event) {
    JsonObject gc = event.metadata().getJsonObject("global_context");
    JsonObject strings = new JsonObject();
    gc.forEach(e -> {
      if (e.getValue() != null) {
        strings.put(e.getKey(), e.getValue().toString());
      }
    });
    return strings;
  }
}
