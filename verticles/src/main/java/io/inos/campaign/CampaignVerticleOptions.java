package io.inos.campaign;

import io.vertx.core.json.JsonObject;

/**
 * Options of {@link CampaignVerticle}.
 */
public class CampaignVerticleOptions {

  /** Default longest time an action may run: 0, the Nexus's own handler timeout. */
  public static final long DEFAULT_HANDLER_TIMEOUT_MS = 0;

  private long handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS;

  /** Options with the defaults. */
  public CampaignVerticleOptions() {
  }

  /** @param other options to copy */
  public CampaignVerticleOptions(CampaignVerticleOptions other) {
    this.handlerTimeoutMs = other.handlerTimeoutMs;
  }

  /** @param json options as produced by {@link #toJson()}; absent fields keep their defaults */
  public CampaignVerticleOptions(JsonObject json) {
    this.handlerTimeoutMs = json.getLong("handlerTimeoutMs", DEFAULT_HANDLER_TIMEOUT_MS);
  }

  /** @return the options as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("handlerTimeoutMs", handlerTimeoutMs);
  }

  /** @return the longest an action may run before it fails with DEADLINE_EXCEEDED; 0 = the Nexus default */
  public long getHandlerTimeoutMs() {
    return handlerTimeoutMs;
  }

  /**
   * @param handlerTimeoutMs the longest an action may run; 0 = the Nexus default
   * @return this
   */
  public CampaignVerticleOptions setHandlerTimeoutMs(long handlerTimeoutMs) {
    if (handlerTimeoutMs < 0) {
      throw new IllegalArgumentException("handlerTimeoutMs must be 0 or more, not " + handlerTimeoutMs);
    }
    this.handlerTimeoutMs = handlerTimeoutMs;
    return this;
  }
}
