package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.mqtt.Publication;
import io.inos.nexus.Event;
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
import java.util.List;
import java.util.Map;

/**
 * MQTT payloads ⇄ event envelopes (the payload half of the mapping documented in the package).
 *
 * <p>Device → Nexus: a payload that is a JSON object with a string {@code type} or an object {@code payload} is taken
 * as the event envelope itself; any other JSON object becomes the envelope's {@code payload.data} (what a service
 * reads as its request's data, as with REST); any other JSON value becomes {@code payload.data.value}; other UTF-8
 * text becomes {@code payload.data.text}; other bytes become {@code payload.data.base64}. The envelope's {@code metadata.mqtt} records the topic, QoS, retain flag, client id, which
 * of those forms was used and the MQTT 5 properties. Nexus → device: the event's JSON envelope, encoded once per
 * message and address and shared by every subscriber.
 */
public final class MqttPayloads {

  /** The metadata key marking an event that came from an MQTT client. */
  public static final String METADATA_KEY = "mqtt";

  /** The properties of a Nexus event delivered to a device: its JSON envelope, as UTF-8 text. */
  static final Publication.Properties ENVELOPE = new Publication.Properties(1, "application/json", null, null,
    List.of());

  /**
   * A delivery as an MQTT payload: the event's JSON envelope, or {@code null} when the event came from an MQTT client
   * (such messages reach MQTT subscribers through the adapter's own routing, with their original bytes).
   */
  static final Delivery.Form<Buffer> PAYLOAD = Delivery.Form.of("mqtt-payload", delivery -> {
    Event event = delivery.event();
    if (event != null) {
      // metadata() copies; this runs once per message and address, not per subscriber
      if (event.metadata().containsKey(METADATA_KEY)) {
        return null;
      }
    } else {
      JsonObject object = delivery.jsonObject();
      JsonObject metadata = object == null ? null : object.getJsonObject("metadata");
      if (metadata != null && metadata.containsKey(METADATA_KEY)) {
        return null;
      }
    }
    return Buffer.buffer(delivery.json());
  });

  private MqttPayloads() {
  }

  /** @return the envelope of what {@code clientId} published, per the rule above */
  static JsonObject toEnvelope(Publication message, String clientId) {
    Buffer payload = message.payload();
    JsonObject envelope = null;
    String form;
    Object value = null;
    String text = utf8(payload);
    if (text != null) {
      String trimmed = text.strip();
      if (!trimmed.isEmpty() && looksLikeJson(trimmed.charAt(0))) {
        try {
          value = Json.decodeValue(trimmed);
        } catch (DecodeException e) {
          value = null;
        }
      }
    }
    if (value instanceof JsonObject object) {
      if (object.getValue("type") instanceof String || object.getValue("payload") instanceof JsonObject) {
        envelope = object;
        form = "envelope";
      } else {
        envelope = new JsonObject().put("payload", new JsonObject().put("data", object));
        form = "object";
      }
    } else if (value != null) {
      envelope = data(new JsonObject().put("value", value instanceof JsonArray a ? a : value));
      form = "value";
    } else if (text != null) {
      envelope = data(new JsonObject().put("text", text));
      form = "text";
    } else {
      envelope = data(new JsonObject().put("base64", Base64.getEncoder().encodeToString(payload.getBytes())));
      form = "base64";
    }
    Object metadata = envelope.getValue("metadata");
    JsonObject md = metadata instanceof JsonObject m ? m : new JsonObject();
    envelope.put("metadata", md);
    md.put(METADATA_KEY, describe(message, clientId, form));
    return envelope;
  }

  private static JsonObject describe(Publication message, String clientId, String form) {
    JsonObject mqtt = new JsonObject()
      .put("topic", message.topic())
      .put("qos", message.qos())
      .put("retain", message.retain())
      .put("client_id", clientId)
      .put("form", form);
    Publication.Properties p = message.properties();
    if (p.payloadFormat() != null) {
      mqtt.put("payload_format", p.payloadFormat());
    }
    if (p.contentType() != null) {
      mqtt.put("content_type", p.contentType());
    }
    if (p.responseTopic() != null) {
      mqtt.put("response_topic", p.responseTopic());
    }
    if (p.correlationData() != null) {
      mqtt.put("correlation_data", Base64.getEncoder().encodeToString(p.correlationData().getBytes()));
    }
    if (!p.userProperties().isEmpty()) {
      JsonArray pairs = new JsonArray();
      for (Map.Entry<String, String> pair : p.userProperties()) {
        pairs.add(new JsonArray().add(pair.getKey()).add(pair.getValue()));
      }
      mqtt.put("user_properties", pairs);
    }
    if (message.expiresAtMillis() > 0) {
      mqtt.put("expires_at_ms", message.expiresAtMillis());
    }
    return mqtt;
  }

  private static boolean looksLikeJson(char first) {
    return first == '{' || first == '[' || first == '"' || first == '-' || first >= '0' && first <= '9'
      || first == 't' || first == 'f' || first == 'n';
  }

  /** @return the payload as text when it is valid UTF-8, else {@code null} */
  static String utf8(Buffer payload) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(payload.getBytes())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** @return an envelope whose {@code payload.data} is {@code data} */
  private static JsonObject data(JsonObject data) {
    return new JsonObject().put("payload", new JsonObject().put("data", data));
  }
}
