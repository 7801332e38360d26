package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.nexus.Event;
import io.vertx.core.json.JsonObject;

/** What a client sends, made into an event it may send. */
final class InboundEvents {

  private InboundEvents() {
  }

  /**
   * The body as an event: the envelope's type defaults to the address and must equal it, a missing source becomes
   * {@code source}, and the sender's user id is forced into {@code metadata.global_context.user_id} (a client may only
   * act as itself).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static Event toEvent(String address, Object body, BridgeIdentity who, String source) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("the body must be an event envelope (a JSON object)");
    }
    JsonObject envelope = json.copy();
    Object type = envelope.getValue("type");
    if (type == null) {
      envelope.put("type", address);
    } else if (!address.equals(type)) {
      throw new IllegalArgumentException("the envelope's type '" + type + "' is not the address '" + address + "'");
    }
    if (!envelope.containsKey("source")) {
      envelope.put("source", source);
    }
    Object metadata = envelope.getValue("metadata");
    if (metadata == null) {
      metadata = new JsonObject();
      envelope.put("metadata", metadata);
    } else if (!(metadata instanceof JsonObject)) {
      throw new IllegalArgumentException("field 'metadata' must be an object");
    }
    JsonObject md = (JsonObject) metadata;
    Object globalContext = md.getValue("global_context");
    if (globalContext == null) {
      globalContext = new JsonObject();
      md.put("global_context", globalContext);
    } else if (!(globalContext instanceof JsonObject)) {
      throw new IllegalArgumentException("field 'metadata.global_context' must be an object");
    }
    ((JsonObject) globalContext).put("user_id", who.userId());
    return Event.fromJson(envelope);
  }
}
