package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One JSON form of an MQTT message, with its payload and properties as they were: how the nodes of a cluster hand
 * each other messages and how Redis keeps retained and queued ones. Bytes are base64 (Vert.x's JSON binary form).
 */
final class PublicationJson {

  private PublicationJson() {
  }

  static JsonObject toJson(Publication m) {
    Publication.Properties p = m.properties();
    JsonObject json = new JsonObject()
      .put("topic", m.topic())
      .put("payload", m.payload().getBytes())
      .put("qos", m.qos())
      .put("retain", m.retain())
      .put("expires", m.expiresAtMillis())
      .put("origin", m.origin());
    if (!p.isEmpty()) {
      JsonObject props = new JsonObject().put("format", p.payloadFormat()).put("contentType", p.contentType())
        .put("responseTopic", p.responseTopic())
        .put("correlation", p.correlationData() == null ? null : p.correlationData().getBytes());
      JsonArray user = new JsonArray();
      p.userProperties().forEach(e -> user.add(new JsonArray().add(e.getKey()).add(e.getValue())));
      json.put("properties", props.put("user", user));
    }
    return json;
  }

  static Publication fromJson(JsonObject json) {
    JsonObject props = json.getJsonObject("properties");
    Publication.Properties p = Publication.Properties.NONE;
    if (props != null) {
      List<Map.Entry<String, String>> user = new ArrayList<>();
      props.getJsonArray("user").forEach(o -> {
        JsonArray pair = (JsonArray) o;
        user.add(Map.entry(pair.getString(0), pair.getString(1)));
      });
      byte[] correlation = props.getBinary("correlation");
      p = new Publication.Properties(props.getInteger("format"), props.getString("contentType"),
        props.getString("responseTopic"), correlation == null ? null : Buffer.buffer(correlation), user);
    }
    return new Publication(json.getString("topic"), Buffer.buffer(json.getBinary("payload")), json.getInteger("qos"),
      json.getBoolean("retain"), p, json.getLong("expires"), json.getString("origin"));
  }
}
