package io.inos.bench.fanout;

import io.vertx.core.json.JsonObject;

/**
 * The body of feed message {@code seq}: the bare {@code {"seq","sent_ns"}} object, or an INOS event envelope whose
 * {@code payload.data} is that object and whose {@code global_context.campaign_id} makes the Nexus deliver it to
 * {@code campaign:{id}} as well as to its type.
 */
public final class FeedMessages {

  private final String eventType;
  private final String campaignId;

  private FeedMessages(String eventType, String campaignId) {
    this.eventType = eventType;
    this.campaignId = campaignId;
  }

  /** Plain bodies, for the bare bridge. */
  public static FeedMessages plain() {
    return new FeedMessages(null, null);
  }

  /**
   * Event envelopes of type {@code eventType} (not {@code :requested}: those go to one service, not to subscribers),
   * scoped to {@code campaignId} when not {@code null}.
   */
  public static FeedMessages envelopes(String eventType, String campaignId) {
    return new FeedMessages(eventType, campaignId);
  }

  public boolean isEnvelope() {
    return eventType != null;
  }

  public JsonObject body(long seq, long dueNs) {
    JsonObject data = BusFrames.feedBody(seq, dueNs);
    if (eventType == null) {
      return data;
    }
    JsonObject globalContext = new JsonObject();
    if (campaignId != null) {
      globalContext.put("campaign_id", campaignId);
    }
    return new JsonObject()
      .put("type", eventType)
      .put("source", "bench")
      .put("metadata", new JsonObject().put("global_context", globalContext))
      .put("payload", new JsonObject().put("data", data));
  }

  public String describe() {
    return eventType == null ? "{\"seq\",\"sent_ns\"} bodies"
      : "event envelopes of type " + eventType + (campaignId == null ? "" : " in campaign " + campaignId);
  }
}
