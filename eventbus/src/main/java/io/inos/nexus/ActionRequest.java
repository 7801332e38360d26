package io.inos.nexus;

import io.vertx.core.json.JsonObject;

/**
 * What an {@link ActionHandler} is asked: the {@code :requested} event and convenient views of it.
 *
 * @param event the request event
 */
public record ActionRequest(Event event) {

  /** @return the action name */
  public String action() {
    return event.type().action();
  }

  /** @return a copy of {@code payload.data} (an empty object when absent) */
  public JsonObject data() {
    return event.data();
  }

  /** @return a copy of the metadata */
  public JsonObject metadata() {
    return event.metadata();
  }

  public String userId() {
    return event.userId();
  }

  public String campaignId() {
    return event.campaignId();
  }

  public String correlationId() {
    return event.correlationId();
  }
}
