package io.inos.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What an update changes: each field that is not {@code null} replaces the stored value; the others stay.
 *
 * @param title       new title, or {@code null}
 * @param description new description, or {@code null}
 * @param status      new status, or {@code null}
 * @param state       new state (subject to {@link CampaignState#canMoveTo}), or {@code null}
 * @param features    new feature list, or {@code null}
 * @param config      new configuration, or {@code null}
 * @param metadata    new metadata, or {@code null}
 */
public record CampaignChanges(String title, String description, String status, CampaignState state,
                              JsonArray features, JsonObject config, JsonObject metadata) {

  /** @return whether nothing would change */
  public boolean isEmpty() {
    return title == null && description == null && status == null && state == null && features == null
      && config == null && metadata == null;
  }
}
