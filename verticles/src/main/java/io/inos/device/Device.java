package io.inos.device;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stored device, without its password hash.
 *
 * @param id        the row id
 * @param masterId  its master row
 * @param username  the MQTT user name it logs in with
 * @param userId    the user it acts as on the bridge
 * @param ownerId   the user who registered it through the device service (who may manage it), or {@code null}
 * @param roles     the roles it holds
 * @param campaigns the campaigns it joined
 * @param enabled   whether it may log in
 * @param metadata  free-form data about the device
 * @param createdAt when it was registered
 */
public record Device(long id, long masterId, String username, String userId, String ownerId, Set<String> roles,
                     Set<String> campaigns, boolean enabled, JsonObject metadata, OffsetDateTime createdAt) {

  static final String COLUMNS = "id, master_id, username, user_id, owner_id, roles, campaigns, enabled, metadata, "
    + "created_at";

  static Device fromRow(Row row) {
    return new Device(row.getLong("id"), row.getLong("master_id"), row.getString("username"),
      row.getString("user_id"), row.getString("owner_id"), Set.copyOf(List.of(row.getArrayOfStrings("roles"))),
      Set.copyOf(List.of(row.getArrayOfStrings("campaigns"))), row.getBoolean("enabled"),
      row.getJsonObject("metadata"), row.getOffsetDateTime("created_at"));
  }

  /**
   * @return the wire form: {@code id} (as a string, as the original's ids), {@code username}, {@code user_id},
   *     {@code owner_id} (absent when none), {@code roles} and {@code campaigns} (sorted), {@code enabled},
   *     {@code metadata}, {@code created_at} (RFC 3339, UTC); never a password or its hash
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", Long.toString(id))
      .put("username", username)
      .put("user_id", userId);
    if (ownerId != null) {
      json.put("owner_id", ownerId);
    }
    return json.put("roles", new JsonArray(List.copyOf(new TreeSet<>(roles))))
      .put("campaigns", new JsonArray(List.copyOf(new TreeSet<>(campaigns))))
      .put("enabled", enabled)
      .put("metadata", metadata == null ? new JsonObject() : metadata.copy())
      .put("created_at", createdAt.withOffsetSameInstant(ZoneOffset.UTC)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
  }
}
