package io.inos.adapters.http;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.nexus.Event;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The REST door's identity and inbound permission check, through the shared {@link Bridge}: who the request is
 * ({@code Authorization: Bearer}, a guest without it), whether the rules let it send this event, and the event with
 * {@code metadata.global_context.user_id} forced to that user (a client may only act as itself, as on SockJS).
 *
 * <p>Why a session only to authenticate: the bridge verifies tokens through a session (the one place that counts
 * invalid tokens and applies {@code allowGuests}). The session is closed at once, before the event goes anywhere;
 * the rules are then checked directly with {@link BridgeRules#checkInbound}, which is the same verdict a session's
 * {@code send} reaches, without a second copy of the envelope and with the door's own error shapes for the outcome.
 */
final class RestGuard {

  /** A request has no deliveries: the session lives only long enough to authenticate. */
  private static final DeliverySink NO_SINK = new DeliverySink() {
    @Override
    public void deliver(Delivery delivery) {
    }

    @Override
    public void write(Object frame) {
    }

    @Override
    public void notice(BridgeNotice notice) {
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void drainHandler(Runnable onDrain) {
    }

    @Override
    public void close(BridgeError reason, String message) {
    }
  };

  private final Bridge bridge;
  private final String source;

  RestGuard(Bridge bridge, String source) {
    this.bridge = bridge;
    this.source = source;
  }

  /**
   * @return the credentials of an {@code Authorization} value: a bearer token, or a guest when there is none
   * @throws BridgeException {@link BridgeError#INVALID_TOKEN} for another scheme, so a client that believes it signed
   *                         in is not silently served as a guest
   */
  static BridgeCredentials credentials(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return BridgeCredentials.guest();
    }
    String token = BridgeCredentials.bearerToken(authorization);
    if (token == null) {
      throw new BridgeException(BridgeError.INVALID_TOKEN,
        "invalid_token: the Authorization header must be 'Bearer <token>'");
    }
    return BridgeCredentials.bearer(token);
  }

  /** @return who the request acts as; fails with a {@link BridgeException} (401) */
  Future<BridgeIdentity> identify(RoutingContext ctx) {
    BridgeCredentials credentials;
    try {
      credentials = credentials(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    } catch (BridgeException e) {
      return Future.failedFuture(e);
    }
    return bridge.open(credentials, NO_SINK, source).map(session -> {
      BridgeIdentity who = session.identity();
      session.close();
      return who;
    });
  }

  /**
   * @return {@code event} acting as the request's identity, once the rules permit it; fails with a
   * {@link BridgeException} (401 or 403)
   */
  Future<Event> admit(RoutingContext ctx, Event event) {
    return identify(ctx).compose(who -> {
      JsonObject envelope = event.toJson();
      envelope.getJsonObject("metadata").getJsonObject("global_context").put("user_id", who.userId());
      String address = event.type().toString();
      BridgeRules.Check check = bridge.rules().checkInbound(address, envelope, who);
      if (!check.permitted()) {
        return Future.failedFuture(new BridgeException(BridgeError.ACCESS_DENIED, check.reason()));
      }
      return Future.succeededFuture(Event.fromJson(envelope));
    });
  }
}
