package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.mqtt.Publication;
import io.vertx.core.json.JsonObject;

/**
 * An MQTT client's message as a Nexus envelope ({@link MqttPayloads#toEnvelope}), made on first need: making it
 * decodes and parses the payload, and most messages never need it (a topic that is no event type stays among MQTT
 * clients, and only rules that match bodies read it).
 */
final class LazyEnvelope {

  private final Publication message;
  private final String clientId;
  private final String address;
  private JsonObject envelope;
  private Delivery delivery;

  LazyEnvelope(Publication message, String clientId, String address) {
    this.message = message;
    this.clientId = clientId;
    this.address = address;
  }

  JsonObject envelope() {
    if (envelope == null) {
      envelope = MqttPayloads.toEnvelope(message, clientId);
    }
    return envelope;
  }

  /** @return the envelope as a delivery at the message's address, for the outbound rules that match bodies */
  Delivery delivery() {
    if (delivery == null) {
      delivery = Delivery.of(address, envelope(), null);
    }
    return delivery;
  }
}
