package io.inos.nexus.redis;

import io.vertx.core.json.JsonObject;

/**
 * One connected client of a campaign.
 *
 * @param campaignId the campaign
 * @param clientId the connection's id (unique per connection)
 * @param userId the user behind it, or {@code null}
 * @param nodeId the node holding the connection
 * @param info what the door chose to share (protocol, device …), never {@code null}
 */
public record PresenceMember(String campaignId, String clientId, String userId, String nodeId, JsonObject info) {

  /** @return the member as in the join/leave payloads: {@code campaign_id, client_id, user_id, node_id, info} */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("campaign_id", campaignId).put("client_id", clientId).put("node_id", nodeId)
      .put("info", info);
    if (userId != null) {
      json.put("user_id", userId);
    }
    return json;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static PresenceMember fromJson(JsonObject json) {
    JsonObject info = json.getValue("info") instanceof JsonObject i ? i : new JsonObject();
    return new PresenceMember(json.getString("campaign_id"), json.getString("client_id"), json.getString("user_id"),
      json.getString("node_id"), info);
  }
}
