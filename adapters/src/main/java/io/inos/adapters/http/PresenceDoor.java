package io.inos.adapters.http;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.graceful.Code;
import io.inos.nexus.Addresses;
import io.inos.nexus.redis.Presence;
import io.inos.nexus.redis.PresenceMember;
import io.inos.nexus.redis.RedisUnavailableException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Who is connected to a campaign, across every node: {@code GET {apiPrefix}/presence/{campaign_id}}, from the Redis
 * extension's {@link Presence} (the WebSocket gateway's connections, and SockJS sockets that registered
 * {@code campaign:{id}}). Mounted only when the node has the Redis extension; without it the path is unknown (404).
 *
 * <p>The caller is identified as by REST ({@code Authorization: Bearer}, a guest without it) and must be permitted
 * to receive {@code campaign:{campaign_id}} by the bridge's rules, as a subscriber would. Answers:
 * <ul>
 *   <li>200 {@code {"campaign_id":"c1","count":2,"members":[{"campaign_id","client_id","user_id","node_id",
 *   "info":{"protocol":"ws"}}, …]}}</li>
 *   <li>400 for a malformed campaign id, 401 for a bad token, 403 when the rules refuse the campaign, 503
 *   ({@code UNAVAILABLE}) while Redis is down.</li>
 * </ul>
 */
public final class PresenceDoor {

  private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

  private final Bridge bridge;
  private final Presence presence;
  private final RestGuard guard;
  private final String path;

  private PresenceDoor(Bridge bridge, Presence presence, String apiPrefix, String source) {
    this.bridge = bridge;
    this.presence = presence;
    this.guard = new RestGuard(bridge, source);
    this.path = apiPrefix + "/presence/:campaign";
  }

  /** @return the door, or {@code null} when the bridge has no Redis extension */
  public static PresenceDoor create(Bridge bridge, RestDoorOptions options) {
    if (bridge.redis() == null) {
      return null;
    }
    return new PresenceDoor(bridge, bridge.redis().presence(), options.getApiPrefix(), "rest");
  }

  public void mount(Router router) {
    router.get(path).handler(this::members);
  }

  private void members(RoutingContext ctx) {
    String correlationId = RestResponses.requestCorrelationId(ctx);
    String campaign = ctx.pathParam("campaign");
    if (campaign == null || !CAMPAIGN.matcher(campaign).matches()) {
      RestResponses.error(ctx, 400, Code.INVALID_ARGUMENT,
        "a campaign id is 1 to 128 letters, digits, '_', '.' or '-'", correlationId);
      return;
    }
    guard.identify(ctx)
      .compose(who -> {
        BridgeRules.Check check = bridge.rules().checkOutbound(Addresses.campaign(campaign), who);
        if (!check.permitted()) {
          return io.vertx.core.Future.<List<PresenceMember>>failedFuture(
            new BridgeException(BridgeError.ACCESS_DENIED, check.reason()));
        }
        return presence.members(campaign);
      })
      .onSuccess(members -> {
        JsonArray list = new JsonArray();
        members.forEach(member -> list.add(member.toJson()));
        RestResponses.json(ctx, 200, correlationId, new JsonObject().put("campaign_id", campaign)
          .put("count", members.size()).put("members", list));
      })
      .onFailure(err -> {
        if (err instanceof RedisUnavailableException) {
          RestResponses.error(ctx, 503, Code.UNAVAILABLE, err.getMessage(), correlationId);
        } else {
          RestResponses.refusal(ctx, err, correlationId);
        }
      });
  }
}
