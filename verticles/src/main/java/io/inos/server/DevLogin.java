package io.inos.server;

import io.inos.adapters.WebDoorsVerticle;
import io.inos.server.config.InosConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /api/auth/dev-login {"user_id": "alice"}} → {@code {"token": "…", "token_type": "Bearer"}}: a bearer
 * token for any user id, signed with the bridge's key, so that browsers and tools can sign in before the user service
 * exists.
 *
 * <p>It is open only on a development node that runs on the generated development key ({@code environment} is
 * {@code development} and {@code INOS_JWT_KEY} is unset): such tokens die with the process and no other node accepts
 * them. Tokens carry no role and no campaign, so they grant a user's own scope and nothing the rules reserve for roles.
 * Anywhere else the route does not exist (404).
 */
final class DevLogin {

  static final String PATH = "/api/auth/dev-login";

  private static final Logger LOG = LoggerFactory.getLogger(DevLogin.class);
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
  private static final int MAX_BODY = 4096;

  private DevLogin() {
  }

  static boolean allowed(InosConfig config) {
    return config.isDevelopment() && config.jwtKey().isEmpty();
  }

  static void mountIfAllowed(Router router, InosConfig config, WebDoorsVerticle web) {
    if (!allowed(config)) {
      return;
    }
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(ctx -> login(ctx, web));
  }

  static void announce(InosConfig config) {
    if (allowed(config)) {
      LOG.warn("*** DEVELOPMENT LOGIN OPEN at POST {}: anyone can get a token for any user id (no role). Set "
        + "INOS_JWT_KEY or INOS_ENVIRONMENT=production to close it.", PATH);
    }
  }

  private static void login(RoutingContext ctx, WebDoorsVerticle web) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      refuse(ctx, "the body is not a JSON object");
      return;
    }
    Object user = body == null ? null : body.getValue("user_id");
    if (!(user instanceof String id) || !USER_ID.matcher(id).matches()) {
      refuse(ctx, "user_id must be 1 to 64 letters, digits, '_', '.' or '-'");
      return;
    }
    if (id.startsWith("guest_")) {
      refuse(ctx, "user_id must not be a guest id");
      return;
    }
    String token = web.doors().bridge().tokenIssuer().issue(id, List.of(), List.of());
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .end(new JsonObject().put("token", token).put("token_type", "Bearer").put("user_id", id).encode());
  }

  private static void refuse(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("code", "INVALID_ARGUMENT").put("message", message).encode());
  }
}
