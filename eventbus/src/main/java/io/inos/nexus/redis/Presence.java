package io.inos.nexus.redis;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Who is connected to each campaign, across every node.
 *
 * <p>Doors call {@link #join} when a client enters a campaign and {@link #leave} when it goes. Each node refreshes
 * its own entries every third of {@link RedisExtensionOptions#getPresenceTtlMs()}; the entries of a node that dies
 * stop being refreshed, expire, and are removed by whichever live node sweeps first, which publishes the leave.
 *
 * <p>Events on the Nexus (delivered to {@code campaign:{id}}, since they name no user in their global context):
 * {@value #JOIN_TYPE} and {@value #LEAVE_TYPE}, with {@code payload.data} = the member
 * ({@code campaign_id, client_id, user_id, node_id, info}) and for a leave {@code reason}: {@code left} or
 * {@code expired}. Each join and each leave is published once, by one node.
 */
public interface Presence {

  String JOIN_TYPE = "campaign:presence:join";
  String LEAVE_TYPE = "campaign:presence:leave";

  /**
   * @return {@code true} when the client was not present yet (a join event was published), {@code false} when it
   * was (only its info was refreshed); fails with {@link RedisUnavailableException} when Redis is down
   */
  Future<Boolean> join(String campaignId, String clientId, String userId, JsonObject info);

  /** @return {@code true} when the client was present (a leave event was published) */
  Future<Boolean> leave(String campaignId, String clientId);

  /** @return the members of the campaign whose entries have not expired */
  Future<List<PresenceMember>> members(String campaignId);

  /** The clients of this node that are present now. */
  int localCount();
}
