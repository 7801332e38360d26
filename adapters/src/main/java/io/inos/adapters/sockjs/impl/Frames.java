package io.inos.adapters.sockjs.impl;

import io.inos.adapters.sockjs.BridgeFrames;
import io.inos.graceful.Code;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Outcomes;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Encodes the server-to-client frames, in the shapes of vertx-web's EventBusBridgeImpl. */
final class Frames {

  private Frames() {
  }

  /** {@code {"type":"rec","address":…,"body":…,"headers":{…}}}: a delivery. */
  static String delivery(String address, Object body, MultiMap headers) {
    JsonObject frame = new JsonObject().put("type", BridgeFrames.REC).put("address", address).put("body", wire(body));
    if (headers != null && !headers.isEmpty()) {
      JsonObject copy = new JsonObject();
      for (String name : headers.names()) {
        List<String> values = headers.getAll(name);
        copy.put(name, values.size() == 1 ? values.get(0) : values);
      }
      frame.put("headers", copy);
    }
    return frame.encode();
  }

  /** A {@code rec} frame to the client's reply address, carrying the outcome event. */
  static String reply(String replyAddress, Event answer, String guestId) {
    String outcome = answer.type().hasState(EventState.SUCCESS) ? Code.OK.name()
      : Outcomes.outcomeOf(answer).code().name();
    return new JsonObject()
      .put("type", BridgeFrames.REC)
      .put("address", replyAddress)
      .put("body", answer.toJson())
      .put("headers", new JsonObject().put(BridgeFrames.OUTCOME_HEADER, outcome).put(BridgeFrames.GUEST_ID_HEADER, guestId))
      .encode();
  }

  /**
   * A refusal: {@code {"type":"err","body":code,"message":…}} as vertx-web sends it; when the refused frame asked for
   * a reply, also {@code address} (the reply address), {@code failureCode} and {@code failureType}, so the client's
   * reply callback gets the error instead of waiting forever.
   */
  static String refusal(String code, String message, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", BridgeFrames.ERR).put("body", code).put("message", message);
    if (replyAddress != null) {
      Code outcome = outcomeOf(code);
      frame.put("address", replyAddress).put("failureCode", outcome.grpcStatus()).put("failureType", outcome.name());
    }
    return frame.encode();
  }

  private static Code outcomeOf(String code) {
    return switch (code) {
      case BridgeFrames.ACCESS_DENIED -> Code.PERMISSION_DENIED;
      case BridgeFrames.MAX_HANDLERS_REACHED, BridgeFrames.MAX_ADDRESS_LENGTH_REACHED -> Code.RESOURCE_EXHAUSTED;
      case BridgeFrames.REGISTRATION_FAILURE -> Code.UNAVAILABLE;
      default -> Code.INVALID_ARGUMENT;
    };
  }

  /** What a bus message body becomes in a frame: events as their wire envelope, JSON types as they are. */
  private static Object wire(Object body) {
    if (body instanceof Event event) {
      return event.toJson();
    }
    if (body == null || body instanceof JsonObject || body instanceof io.vertx.core.json.JsonArray
      || body instanceof String || body instanceof Number || body instanceof Boolean) {
      return body;
    }
    if (body instanceof io.vertx.core.buffer.Buffer buffer) {
      return buffer.toString();
    }
    return body.toString();
  }
}
