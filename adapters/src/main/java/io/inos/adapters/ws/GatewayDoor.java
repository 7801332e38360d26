package io.inos.adapters.ws;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.CampaignPresence;
import io.inos.adapters.bridge.GuestIds;
import io.inos.adapters.ws.impl.GatewayConnection;
import io.inos.adapters.ws.impl.GatewayFrames;
import io.inos.nexus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The original INOS real-time gateway at {@code /ws/{campaign_id}/{user_id}}, on the node's {@link Bridge}.
 * <ul>
 *   <li>A missing campaign is {@code 0}; a missing user is a new guest ({@code guest_} + 32 hex digits). A user that
 *   is not a guest must present a JWT whose {@code sub} is that user: {@code Authorization: Bearer …} on the upgrade,
 *   or {@code ?token=} (see {@link GatewayDoorOptions#isQueryTokenAllowed()}). Otherwise the upgrade is refused with
 *   HTTP 401 (no or bad token) or 403 (another user, or a campaign it may not receive).</li>
 *   <li>The connection receives {@code user:{id}}, {@code campaign:{campaign}} and {@code system}.</li>
 *   <li>Frames are canonical envelopes: a {@code :requested} one is exchanged and the {@code :success} or
 *   {@code :failed} event comes back; any other is published when the rules permit. Refusals are
 *   {@code error:{parse_error|validation_error|invalid_event_type|rate_limit_exceeded}} envelopes, and the socket
 *   stays open.</li>
 *   <li>Frames of {@link GatewayDoorOptions#getCompressionThreshold()} bytes or more are binary {@code zstd:}
 *   frames, built once per message for every connection; clients may send {@code zstd:} frames too.</li>
 *   <li>One connection per user: a new connection of the same user closes the old one, after sending it
 *   {@code campaign:switch:required} when the campaign differs.</li>
 *   <li>Recovery (with the Redis extension's history): a client that reconnects names the last event it received
 *   at each address: {@code ?since_campaign=<event id>} for {@code campaign:{campaign}}, {@code ?since_user=<event
 *   id>} for {@code user:{id}}, or {@code ?since=<event id>} for both. For each address named it first gets a
 *   {@code notice:recovery} envelope (payload {@code code: "recovery", address, recovered, count, message}), then
 *   the events it missed there in order and without duplicates, then the live flow. {@code recovered: false}: the
 *   history no longer reaches back that far (or the address keeps none, or there is no Redis): read the state
 *   again.</li>
 *   <li>Presence (with the Redis extension): the connection is present in its campaign while it is open
 *   ({@code campaign:presence:join} / {@code :leave} on {@code campaign:{campaign}}; read it at
 *   {@code GET /api/presence/{campaign}}).</li>
 * </ul>
 */
public final class GatewayDoor {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayDoor.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");
  private static final long MIN_SWEEP_MS = 20;

  private final Vertx vertx;
  private final Bridge bridge;
  private final GatewayDoorOptions options;
  private final GatewayFrames frames;
  /** user id → its one connection. */
  private final Map<String, GatewayConnection> connections = new ConcurrentHashMap<>();
  private final long sweepTimer;

  private GatewayDoor(Bridge bridge, GatewayDoorOptions options) {
    this.vertx = bridge.vertx();
    this.bridge = bridge;
    this.options = new GatewayDoorOptions(options);
    this.frames = new GatewayFrames(options.getCompressionThreshold(), options.getSource());
    // one timer for every connection rather than one each: pings and the read deadline
    long sweep = Math.max(MIN_SWEEP_MS, Math.min(options.getPingIntervalMs(), options.getReadTimeoutMs()) / 4);
    this.sweepTimer = vertx.setPeriodic(sweep, id -> sweep());
  }

  /** A door on the node's shared bridge; closing the door leaves the bridge open. */
  public static GatewayDoor create(Bridge bridge, GatewayDoorOptions options) {
    return new GatewayDoor(bridge, options);
  }

  /**
   * Mounts the gateway at {@code {path}} and below. The HTTP server's {@code maxWebSocketMessageSize} (and
   * {@code maxWebSocketFrameSize}) must allow {@link GatewayDoorOptions#getMaxFrameBytes()} for 2 MB frames.
   */
  public void mount(Router router) {
    router.route(options.getPath()).handler(this::upgrade);
    router.route(options.getPath() + "/*").handler(this::upgrade);
  }

  public Bridge bridge() {
    return bridge;
  }

  /** @return the connections open now */
  public int connections() {
    return connections.size();
  }

  /** Closes every connection; the bridge stays open. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    connections.values().forEach(GatewayConnection::close);
    return Future.succeededFuture();
  }

  private void upgrade(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!"websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
      ctx.response().setStatusCode(400).end("a WebSocket upgrade is expected here");
      return;
    }
    String rest = req.path().substring(options.getPath().length());
    String[] parts = rest.startsWith("/") ? rest.substring(1).split("/", -1) : new String[0];
    if (parts.length > 2) {
      ctx.response().setStatusCode(404).end("expected " + options.getPath() + "/{campaign_id}/{user_id}");
      return;
    }
    String campaign = parts.length > 0 && !parts[0].isEmpty() ? parts[0] : "0";
    String user = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
    if (!ID.matcher(campaign).matches() || (user != null && !ID.matcher(user).matches())) {
      ctx.response().setStatusCode(400).end("campaign and user ids are 1 to 128 letters, digits, '_', '.' or '-'");
      return;
    }
    String token = BridgeCredentials.bearerToken(req.getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null && options.isQueryTokenAllowed()) {
      String query = req.getParam("token");
      token = query == null || query.isEmpty() ? null : query;
    }
    BridgeCredentials credentials;
    if (user != null && GuestIds.isGuestId(user)) {
      credentials = BridgeCredentials.guest(user);
    } else if (token != null) {
      credentials = BridgeCredentials.bearer(token);
    } else if (user == null) {
      credentials = BridgeCredentials.guest();
    } else {
      refuse(ctx, 401, "user '" + user + "' must present a bearer token (Authorization header or ?token=)");
      return;
    }
    // the upgrade waits for the token check and the subscriptions: the request must not be read meanwhile
    req.pause();
    GatewayConnection connection = new GatewayConnection(campaign, user, frames, options.getMaxFrameBytes());
    bridge.open(credentials, connection, options.getSource())
      .recover(err -> Future.failedFuture(new Refusal(401, BridgeException.of(err, BridgeError.INVALID_TOKEN)
        .getMessage())))
      .compose(session -> {
        String who = session.identity().userId();
        if (user != null && !user.equals(who)) {
          session.close();
          return Future.failedFuture(new Refusal(403, "the token is user '" + who + "', not '" + user + "'"));
        }
        return subscribe(session, who, campaign, positionsOf(req)).map(session);
      })
      .compose(session -> req.toWebSocket()
        .onFailure(err -> session.close())
        .map(ws -> {
          connection.start(ws, session, CampaignPresence.of(bridge, session, options.getSource()),
            options.getWriteQueueMaxSize(),
            () -> connections.remove(session.identity().userId(), connection));
          admit(session.identity().userId(), connection);
          return ws;
        }))
      .onFailure(err -> {
        if (err instanceof Refusal refusal) {
          refuse(ctx, refusal.status, refusal.getMessage());
        } else {
          LOG.debug("gateway: upgrade of {} failed: {}", req.path(), err.toString());
          if (!ctx.response().headWritten()) {
            refuse(ctx, 500, "the upgrade failed");
          }
        }
      });
  }

  /** The client's positions: {@code [campaign, user]}, each an event id or {@code null}. */
  private static String[] positionsOf(HttpServerRequest req) {
    String both = blankToNull(req.getParam("since"));
    String campaign = blankToNull(req.getParam("since_campaign"));
    String user = blankToNull(req.getParam("since_user"));
    return new String[] {campaign != null ? campaign : both, user != null ? user : both};
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * {@code user:{id}} and {@code campaign:{id}} must be permitted (recovered from the client's positions when it
   * gave them); {@code system} when the rules make it public.
   */
  private Future<Void> subscribe(BridgeSession session, String userId, String campaign, String[] since) {
    return session.subscribe(Addresses.user(userId), since[1])
      .compose(v -> session.subscribe(Addresses.campaign(campaign), since[0]))
      .recover(err -> {
        session.close();
        return Future.failedFuture(new Refusal(403, BridgeException.of(err, BridgeError.ACCESS_DENIED).getMessage()));
      })
      .compose(v -> session.subscribe(Addresses.SYSTEM).otherwise(err -> {
        LOG.debug("gateway: '{}' receives no system events: {}", userId, err.getMessage());
        return null;
      }));
  }

  /** One connection per user: the older one is closed, told first when it was under another campaign. */
  private void admit(String userId, GatewayConnection connection) {
    GatewayConnection old = connections.put(userId, connection);
    if (old == null || old == connection) {
      return;
    }
    if (old.campaignId().equals(connection.campaignId())) {
      old.replaced();
    } else {
      old.switchedTo(connection.campaignId());
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (GatewayConnection c : connections.values()) {
      c.check(now, options.getPingIntervalMs(), options.getReadTimeoutMs());
    }
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .end(message);
  }

  /** An upgrade refused with an HTTP status. */
  private static final class Refusal extends RuntimeException {
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
