package io.inos.adapters.sockjs.impl;

import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.sockjs.BridgeFrames;
import io.inos.graceful.Code;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Outcomes;
import io.vertx.core.MultiMap;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Encodes the server-to-client frames, in the shapes of vertx-web's EventBusBridgeImpl. */
public final class Frames {

  /**
   * {@code {"type":"rec","address":…,"body":…,"headers":{…}}}, built once per message and address from the delivery's
   * shared JSON text and written as it is to every socket subscribed there.
   */
  static final Delivery.Form<String> REC = Delivery.Form.of("sockjs-rec", Frames::delivery);

  private Frames() {
  }

  private static String delivery(Delivery delivery) {
    String json = delivery.json();
    StringBuilder frame = new StringBuilder(json.length() + delivery.address().length() + 48)
      .append("{\"type\":\"rec\",\"address\":").append(Json.encode(delivery.address()))
      .append(",\"body\":").append(json);
    MultiMap headers = delivery.headers();
    if (!headers.isEmpty()) {
      JsonObject copy = new JsonObject();
      for (String name : headers.names()) {
        List<String> values = headers.getAll(name);
        copy.put(name, values.size() == 1 ? values.get(0) : values);
      }
      frame.append(",\"headers\":").append(copy.encode());
    }
    return frame.append('}').toString();
  }

  /** A {@code rec} frame to the client's reply address, carrying the outcome event. */
  static String reply(String replyAddress, Event answer, BridgeIdentity who) {
    String outcome = answer.type().hasState(EventState.SUCCESS) ? Code.OK.name()
      : Outcomes.outcomeOf(answer).code().name();
    JsonObject headers = new JsonObject().put(BridgeFrames.OUTCOME_HEADER, outcome)
      .put(BridgeFrames.USER_ID_HEADER, who.userId());
    if (who.guest()) {
      headers.put(BridgeFrames.GUEST_ID_HEADER, who.userId());
    }
    return new JsonObject()
      .put("type", BridgeFrames.REC)
      .put("address", replyAddress)
      .put("body", answer.toJson())
      .put("headers", headers)
      .encode();
  }

  /**
   * A refusal: {@code {"type":"err","body":code,"message":…}} as vertx-web sends it; when the refused frame asked for
   * a reply, also {@code address} (the reply address), {@code failureCode} and {@code failureType}, so the client's
   * reply callback gets the error instead of waiting forever.
   */
  static String refusal(String code, Code outcome, String message, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", BridgeFrames.ERR).put("body", code).put("message", message);
    if (replyAddress != null) {
      frame.put("address", replyAddress).put("failureCode", outcome.grpcStatus()).put("failureType", outcome.name());
    }
    return frame.encode();
  }

  /**
   * A notice, as an {@code err} frame the JS client understands: {@code dropped} (with the count) goes to its
   * {@code onerror}; {@code subscription_revoked} carries the address, so the handlers registered there get the error.
   */
  static String notice(BridgeNotice notice) {
    if (notice.kind() == BridgeNotice.Kind.RECOVERY) {
      return recovery(notice, BridgeFrames.RECOVERY);
    }
    JsonObject frame = new JsonObject().put("type", BridgeFrames.ERR).put("body", notice.kind().code())
      .put("message", notice.message());
    if (notice.kind() == BridgeNotice.Kind.DROPPED) {
      frame.put("dropped", notice.count());
    }
    if (notice.address() != null) {
      frame.put("address", notice.address()).put("failureCode", Code.PERMISSION_DENIED.grpcStatus())
        .put("failureType", Code.PERMISSION_DENIED.name());
    }
    return frame.encode();
  }

  /**
   * {@code {"type":<type>,"address":…,"body":{"recovered":…,"count":…,"message":…}}}: the outcome of a recovery, for
   * the SockJS door and the TCP-bridge door alike.
   */
  public static String recovery(BridgeNotice notice, String type) {
    return new JsonObject().put("type", type).put("address", notice.address())
      .put("body", new JsonObject().put("recovered", notice.recovered()).put("count", notice.count())
        .put("message", notice.message()))
      .encode();
  }
}
