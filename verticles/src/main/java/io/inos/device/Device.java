package io.inos.device;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * A stored device, without its password hash.
 *
 * @param id        the row id
 * @param masterId  its master row
 * @param username  the MQTT user name it logs in with
 * @param userId    the user it acts as on the bridge
 * @param roles     the roles it holds
 * @param campaigns the campaigns it joined
 * @param enabled   whether it may log in
 * @param metadata  free-form data about the device
 * @param createdAt when it was registered
 */
public record Device(long id, long masterId, String username, String userId, Set<String> roles, Set<String> campaigns,
                     boolean enabled, JsonObject metadata, OffsetDateTime createdAt) {

  static final String COLUMNS = "id, master_id, username, user_id, roles, campaigns, enabled, metadata, created_at";

  static Device fromRow(Row row) {
    return new Device(row.getLong("id"), row.getLong("master_id"), row.getString("username"),
      row.getString("user_id"), Set.copyOf(List.of(row.getArrayOfStrings("roles"))),
      Set.copyOf(List.of(row.getArrayOfStrings("campaigns"))), row.getBoolean("enabled"),
      row.getJsonObject("metadata"), row.getOffsetDateTime("created_at"));
  }
}
