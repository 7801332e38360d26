package io.inos.adapters.ws.impl;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.Delivery;
import io.inos.nexus.Event;
import io.inos.nexus.EventIds;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The gateway's server-to-client frames. A frame is a canonical envelope, sent as a text message, or, at
 * {@code compressionThreshold} UTF-8 bytes and more, as a binary {@code zstd:} message. The value of
 * {@link #encode(String)} is therefore a {@code String} (text) or a {@code Buffer} (binary).
 */
public final class GatewayFrames {

  public static final String PARSE_ERROR = "parse_error";
  public static final String VALIDATION_ERROR = "validation_error";
  public static final String INVALID_EVENT_TYPE = "invalid_event_type";
  public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
  public static final String SWITCH_REQUIRED = "campaign:switch:required";

  private final int compressionThreshold;
  private final String source;
  /** A delivery's frame (and its compressed form), built once per message and address for every connection. */
  private final Delivery.Form<Object> deliveryForm;

  public GatewayFrames(int compressionThreshold, String source) {
    this.compressionThreshold = compressionThreshold;
    this.source = source;
    this.deliveryForm = Delivery.Form.of("ws-gateway", d -> encode(d.json()));
  }

  public Delivery.Form<Object> deliveryForm() {
    return deliveryForm;
  }

  /** @return the text, or its {@code zstd:} binary form when it has {@code compressionThreshold} bytes or more */
  public Object encode(String json) {
    // a JSON text has at most 3 UTF-8 bytes per char: short texts need no byte count
    if (json.length() * 3 < compressionThreshold) {
      return json;
    }
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    return utf8.length >= compressionThreshold ? ZstdFrames.compress(utf8) : json;
  }

  /** @return an outcome event's frame */
  public Object answer(Event outcome) {
    return encode(outcome.toJson().encode());
  }

  /**
   * {@code error:{kind}}: an envelope whose payload is {@code {code, message}}; {@code code} is the precise reason
   * (the kind itself, or the bridge's code such as {@code access_denied}), and the correlation id is the refused
   * frame's when it had one.
   */
  public Object error(String kind, String code, String message, String correlationId) {
    return encode(envelope("error:" + kind, correlationId, new JsonObject().put("code", code).put("message", message))
      .encode());
  }

  /** @return the error kind of a bridge refusal: the limits are {@code rate_limit_exceeded}, the rest are invalid */
  public static String kindOf(BridgeError error) {
    return switch (error) {
      case RATE_LIMIT_EXCEEDED, TOO_MANY_PENDING_REQUESTS, TOO_MANY_SUBSCRIPTIONS -> RATE_LIMIT_EXCEEDED;
      default -> VALIDATION_ERROR;
    };
  }

  /** {@code campaign:switch:required} with {@code {old_campaign_id, new_campaign_id, reason}}. */
  public Object switchRequired(String oldCampaign, String newCampaign) {
    return encode(envelope(SWITCH_REQUIRED, null, new JsonObject().put("old_campaign_id", oldCampaign)
      .put("new_campaign_id", newCampaign)
      .put("reason", "the user connected under campaign '" + newCampaign + "'; this connection is closed")).encode());
  }

  /**
   * {@code notice:dropped} (with {@code count}), {@code notice:subscription_revoked} (with {@code address}) or
   * {@code notice:recovery} (with {@code address}, {@code recovered} and {@code count}).
   */
  public Object notice(BridgeNotice notice) {
    JsonObject payload = new JsonObject().put("code", notice.kind().code()).put("message", notice.message());
    if (notice.kind() == BridgeNotice.Kind.DROPPED || notice.kind() == BridgeNotice.Kind.RECOVERY) {
      payload.put("count", notice.count());
    }
    if (notice.kind() == BridgeNotice.Kind.RECOVERY) {
      payload.put("recovered", notice.recovered());
    }
    if (notice.address() != null) {
      payload.put("address", notice.address());
    }
    return encode(envelope("notice:" + notice.kind().code(), null, payload).encode());
  }

  private JsonObject envelope(String type, String correlationId, JsonObject payload) {
    return new JsonObject()
      .put("id", EventIds.next())
      .put("type", type)
      .put("correlation_id", correlationId != null ? correlationId : EventIds.next())
      .put("timestamp", Instant.now().toString())
      .put("version", Event.ENVELOPE_VERSION)
      .put("source", source)
      .put("metadata", new JsonObject())
      .put("payload", payload);
  }
}
