package io.inos.adapters.bridge;

import io.inos.nexus.redis.Presence;
import io.inos.nexus.redis.RedisExtension;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaigns one connection is present in, kept in the Redis extension's {@link Presence} (who is connected per
 * campaign, across every node, with join and leave events on {@code campaign:{id}}). A door makes one per connection
 * with {@link #of}, joins when its client enters a campaign and calls {@link #leaveAll()} when the connection ends.
 * Without a Redis extension every call does nothing, so a door needs no test of its own.
 *
 * <p>The client id in presence is {@code {node id}/{session id}}: unique per connection across the nodes. Presence
 * failing (Redis down) never fails the connection: it is logged, and the entry comes back with the next join.
 * Call it on the connection's context.
 */
public final class CampaignPresence {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignPresence.class);
  private static final CampaignPresence NONE = new CampaignPresence(null, null, null, null);

  private final Presence presence;
  private final String clientId;
  private final BridgeSession session;
  private final String protocol;
  /** campaign → its join, so a leave waits for it and never overtakes it. */
  private final Map<String, Future<?>> joined = new HashMap<>(2);

  private CampaignPresence(Presence presence, String clientId, BridgeSession session, String protocol) {
    this.presence = presence;
    this.clientId = clientId;
    this.session = session;
    this.protocol = protocol;
  }

  /**
   * @param protocol shared in the member's {@code info} as {@code protocol}, e.g. {@code ws}
   * @return the presence of {@code session}'s connection; a no-op when the bridge has no Redis extension
   */
  public static CampaignPresence of(Bridge bridge, BridgeSession session, String protocol) {
    RedisExtension redis = bridge.redis();
    if (redis == null) {
      return NONE;
    }
    return new CampaignPresence(redis.presence(), redis.nodeId() + "/" + session.id(), session, protocol);
  }

  /** @return the campaign of a {@code campaign:{id}} address, or {@code null} for any other address */
  public static String campaignOf(String address) {
    return address != null && address.startsWith("campaign:") && address.length() > "campaign:".length()
      ? address.substring("campaign:".length()) : null;
  }

  /** @return this connection's client id in presence, or {@code null} without Redis */
  public String clientId() {
    return clientId;
  }

  /** Enters {@code campaignId} (again: its entry is refreshed). */
  public void join(String campaignId) {
    if (presence == null || campaignId == null) {
      return;
    }
    BridgeIdentity who = session.identity();
    String userId = who == null ? null : who.userId();
    Future<?> before = joined.get(campaignId);
    Future<?> join = (before == null ? Future.succeededFuture() : before.otherwiseEmpty())
      .compose(v -> presence.join(campaignId, clientId, userId, new JsonObject().put("protocol", protocol)))
      .onFailure(err -> LOG.debug("presence: {} could not join campaign {}: {}", clientId, campaignId,
        err.toString()));
    joined.put(campaignId, join);
  }

  /** Leaves {@code campaignId}; nothing when not joined. */
  public Future<Void> leave(String campaignId) {
    Future<?> join = joined.remove(campaignId);
    if (presence == null || join == null) {
      return Future.succeededFuture();
    }
    return join.otherwiseEmpty().compose(v -> presence.leave(campaignId, clientId))
      .onFailure(err -> LOG.debug("presence: {} could not leave campaign {}: {}", clientId, campaignId,
        err.toString()))
      .<Void>mapEmpty().otherwiseEmpty();
  }

  /** Leaves every campaign joined; for the connection's end. */
  public Future<Void> leaveAll() {
    List<Future<Void>> leaving = new ArrayList<>();
    for (String campaign : new ArrayList<>(joined.keySet())) {
      leaving.add(leave(campaign));
    }
    return Future.join(leaving).mapEmpty();
  }
}
