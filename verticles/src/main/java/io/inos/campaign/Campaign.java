package io.inos.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * A campaign as stored: the {@code campaign} row and the uuid of its {@code master} row.
 *
 * @param id          the public campaign id (0 is the default campaign)
 * @param uuid        the uuid of the master row
 * @param masterId    the id of the master row
 * @param slug        unique, {@code [a-z0-9_-]{1,64}}
 * @param title       the title
 * @param description the description, or {@code null}
 * @param status      the free-form status (e.g. {@code active})
 * @param state       the lifecycle state, see {@link CampaignState}
 * @param features    the feature names
 * @param config      the configuration object
 * @param metadata    the campaign's metadata object
 * @param ownerId     the owner's user id, or {@code null}
 * @param createdAt   when it was created
 * @param updatedAt   when it last changed
 */
public record Campaign(long id, UUID uuid, long masterId, String slug, String title, String description,
                       String status, String state, JsonArray features, JsonObject config, JsonObject metadata,
                       String ownerId, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** The id of the default campaign, seeded by the migrations. */
  public static final long DEFAULT_ID = 0;
  /** The slug of the default campaign. */
  public static final String DEFAULT_SLUG = "ovasabi_website";

  /** The columns {@link #fromRow(Row)} reads, for {@code SELECT ... FROM campaign c JOIN master m}. */
  static final String COLUMNS = "c.id, m.uuid, c.master_id, c.slug, c.title, c.description, c.status, c.state, "
    + "c.features, c.config, c.metadata, c.owner_id, c.created_at, c.updated_at";

  /** @return the campaign a row of {@link #COLUMNS} describes */
  static Campaign fromRow(Row row) {
    return new Campaign(row.getLong("id"), row.getUUID("uuid"), row.getLong("master_id"), row.getString("slug"),
      row.getString("title"), row.getString("description"), row.getString("status"), row.getString("state"),
      (JsonArray) row.getJson("features"), (JsonObject) row.getJson("config"), (JsonObject) row.getJson("metadata"),
      row.getString("owner_id"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  /** @return whether this is the default campaign, which cannot be deleted */
  public boolean isDefault() {
    return id == DEFAULT_ID;
  }

  /**
   * @return the wire form, keys as in {@code inos.campaign.v1.Campaign} (plus {@code owner_id}); times in RFC 3339,
   *     UTC; {@code description} and {@code owner_id} absent when not set
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("uuid", uuid.toString())
      .put("slug", slug)
      .put("title", title);
    if (description != null) {
      json.put("description", description);
    }
    json.put("status", status)
      .put("state", state)
      .put("features", features == null ? new JsonArray() : features.copy())
      .put("config", config == null ? new JsonObject() : config.copy())
      .put("metadata", metadata == null ? new JsonObject() : metadata.copy())
      .put("created_at", rfc3339(createdAt))
      .put("updated_at", rfc3339(updatedAt))
      .put("master_id", masterId);
    if (ownerId != null) {
      json.put("owner_id", ownerId);
    }
    return json;
  }

  private static String rfc3339(OffsetDateTime time) {
    return time.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
