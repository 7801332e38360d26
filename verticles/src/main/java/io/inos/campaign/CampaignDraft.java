package io.inos.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A campaign to create, validated. The id, uuid, master id and times are assigned when it is stored.
 *
 * @param slug        unique, {@code [a-z0-9_-]{1,64}}
 * @param title       not blank, at most 200 characters
 * @param description or {@code null}
 * @param status      the status ({@value #DEFAULT_STATUS} when not given)
 * @param state       the initial state ({@link CampaignState#INITIAL} when not given)
 * @param features    the feature names (empty when not given)
 * @param config      the configuration (empty when not given)
 * @param metadata    the metadata (empty when not given)
 * @param ownerId     the owner's user id, or {@code null}
 */
public record CampaignDraft(String slug, String title, String description, String status, CampaignState state,
                            JsonArray features, JsonObject config, JsonObject metadata, String ownerId) {

  /** The status of a new campaign when its creator names none. */
  public static final String DEFAULT_STATUS = "active";
}
