package io.inos.adapters.http;

import io.inos.adapters.bridge.Bridge;
import io.inos.graceful.Code;
import io.inos.nexus.Nexus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The REST door: {@code POST {prefix}/{service}_ops} ({@link OpsHandler}) and {@code POST {prefix}/events}
 * ({@link EventsHandler}) on a vertx-web {@link Router}.
 *
 * <p>Around both handlers it answers, always with {@code {"error": {"code", "message"}, "correlation_id"}}:
 * 405 for another method, 415 for a body that is not {@code application/json} (or {@code +json}), 413 for a body
 * over {@link RestDoorOptions#getBodyLimit()}, 500 for a failure of its own. Its body handler is on its own routes
 * only, so it never reads the body of a request meant for another door (gRPC, SockJS).
 */
public final class RestDoor {

  private static final Logger LOG = LoggerFactory.getLogger(RestDoor.class);

  private final RestDoorOptions options;
  private final OpsHandler ops;
  private final EventsHandler events;

  private RestDoor(RestDoorOptions options, OpsHandler ops, EventsHandler events) {
    this.options = options;
    this.ops = ops;
    this.events = events;
  }

  /**
   * An open door: no identity, no permission check. Keep it for embedders who put their own security in front of
   * the router; a node facing clients uses {@link #create(Bridge, RestDoorOptions)}.
   */
  public static RestDoor create(Nexus nexus, RestDoorOptions options) {
    RestDoorOptions copy = new RestDoorOptions(options);
    return new RestDoor(copy, OpsHandler.create(nexus, copy), EventsHandler.create(nexus, copy));
  }

  /**
   * A door under the shared bridge's identity and inbound permissions: {@code Authorization: Bearer <jwt>} (a guest
   * without it; 401 UNAUTHENTICATED for a bad, expired or non-Bearer credential), the bridge's inbound rules on the
   * event type (403 PERMISSION_DENIED), and {@code metadata.global_context.user_id} forced to the caller. Events go
   * to the bridge's Nexus.
   */
  public static RestDoor create(Bridge bridge, RestDoorOptions options) {
    RestDoorOptions copy = new RestDoorOptions(options);
    return new RestDoor(copy, OpsHandler.create(bridge, copy), EventsHandler.create(bridge, copy));
  }

  /** Adds the door's routes to {@code router}. */
  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.getBodyLimit());
    // vertx-web wants handlers that run before the body handler to be platform handlers; this one refuses
    // requests without reading their body, so it must run first
    PlatformHandler postJsonOnly = this::requirePostJson;
    String prefix = options.getApiPrefix();
    router.route(prefix + "/events")
      .handler(postJsonOnly).handler(body).handler(events).failureHandler(this::onFailure);
    router.routeWithRegex(prefix.replace(".", "\\.") + "/(?<" + OpsHandler.SERVICE_PARAM + ">[^/]+)_ops")
      .handler(postJsonOnly).handler(body).handler(ops).failureHandler(this::onFailure);
  }

  private void requirePostJson(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.POST) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
      RestResponses.error(ctx, 405, Code.UNIMPLEMENTED, "method " + ctx.request().method() + " is not allowed on "
        + ctx.request().path() + "; use POST", RestResponses.requestCorrelationId(ctx));
      return;
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (!isJson(contentType)) {
      RestResponses.error(ctx, 415, Code.INVALID_ARGUMENT, (contentType == null ? "no content type"
        : "content type '" + contentType + "'") + " is not supported; send application/json",
        RestResponses.requestCorrelationId(ctx));
      return;
    }
    ctx.next();
  }

  private void onFailure(RoutingContext ctx) {
    String correlationId = RestResponses.requestCorrelationId(ctx);
    int status = ctx.statusCode();
    if (status == 413) {
      RestResponses.error(ctx, 413, Code.RESOURCE_EXHAUSTED, "the request body is larger than "
        + options.getBodyLimit() + " bytes", correlationId);
    } else if (status >= 400 && status < 500) {
      RestResponses.error(ctx, status, Code.INVALID_ARGUMENT, "the request was refused (HTTP " + status + ")",
        correlationId);
    } else {
      LOG.error("REST door failed on {} {} (correlation {})", ctx.request().method(), ctx.request().path(),
        correlationId, ctx.failure());
      RestResponses.error(ctx, 500, Code.INTERNAL, "internal error (correlation " + correlationId + ")", correlationId);
    }
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
  }
}
