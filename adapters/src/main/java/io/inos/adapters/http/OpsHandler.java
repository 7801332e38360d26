package io.inos.adapters.http;

import io.inos.adapters.bridge.Bridge;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.nexus.InvalidEventTypeException;
import io.inos.nexus.Nexus;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The original INOS REST call: {@code POST /api/{service}_ops} with {@code {"action": "create_campaign", ...fields,
 * "metadata": {...}}} becomes the event {@code {service}:{action}:v1:requested} whose {@code payload.data} is the
 * fields and whose metadata is the body's. The answer is the {@code :success} (200) or {@code :failed} event (the
 * outcome code's HTTP status), with the correlation id in {@code X-Correlation-Id}.
 *
 * <p>The service name comes from the path parameter {@value #SERVICE_PARAM}; {@link RestDoor#mount} sets up the route,
 * the method and content-type checks and the body limit around this handler. The correlation id is
 * {@code metadata.global_context.correlation_id} when given, else the {@code X-Correlation-Id} request header, else a
 * new one.
 */
public final class OpsHandler implements Handler<RoutingContext> {

  /** The path parameter holding the service name. */
  public static final String SERVICE_PARAM = "service";

  private final Nexus nexus;
  private final RestDoorOptions options;
  /** {@code null}: an open door (embedders without a bridge). */
  private final RestGuard guard;

  private OpsHandler(Nexus nexus, RestDoorOptions options, RestGuard guard) {
    this.nexus = nexus;
    this.options = new RestDoorOptions(options);
    this.guard = guard;
  }

  /** An open door: anyone may call any service (for embedders who put their own security in front). */
  public static OpsHandler create(Nexus nexus, RestDoorOptions options) {
    return new OpsHandler(nexus, options, null);
  }

  /**
   * A door under the bridge's identity and inbound permissions (see {@link EventsHandler#create(Bridge,
   * RestDoorOptions)}): the request acts as the token's user or a guest, whatever its metadata says.
   */
  public static OpsHandler create(Bridge bridge, RestDoorOptions options) {
    return new OpsHandler(bridge.nexus(), options, new RestGuard(bridge, options.getSource()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String correlationId = RestResponses.requestCorrelationId(ctx);
    Event requested;
    try {
      JsonObject body = RestResponses.jsonObjectBody(ctx);
      correlationId = correlationIdOf(body, correlationId);
      requested = toRequest(ctx.pathParam(SERVICE_PARAM), body, correlationId);
    } catch (InvalidRequestException e) {
      RestResponses.error(ctx, e, correlationId);
      return;
    }
    if (guard == null) {
      RestResponses.exchange(nexus, options.getRequestTimeoutMs(), requested, ctx);
      return;
    }
    String refusedCorrelation = correlationId;
    guard.admit(ctx, requested).onComplete(ar -> {
      if (ar.succeeded()) {
        RestResponses.exchange(nexus, options.getRequestTimeoutMs(), ar.result(), ctx);
      } else {
        RestResponses.refusal(ctx, ar.cause(), refusedCorrelation);
      }
    });
  }

  private Event toRequest(String service, JsonObject body, String correlationId) {
    Object action = body.getValue("action");
    if (action == null) {
      throw InvalidRequestException.badRequest("missing field 'action' (the snake_case name of the operation, e.g. "
        + "\"create_" + (service == null ? "thing" : service) + "\")");
    }
    if (!(action instanceof String name)) {
      throw InvalidRequestException.badRequest("field 'action' must be a string");
    }
    Object metadata = body.getValue("metadata");
    if (metadata != null && !(metadata instanceof JsonObject)) {
      throw InvalidRequestException.badRequest("field 'metadata' must be an object");
    }
    EventType type;
    try {
      type = EventType.of(service, name, 1, EventState.REQUESTED);
    } catch (InvalidEventTypeException e) {
      throw InvalidRequestException.badRequest(e.getMessage());
    }
    JsonObject data = body.copy();
    data.remove("action");
    data.remove("metadata");
    return Event.builder(type)
      .correlationId(correlationId)
      .source(options.getSource())
      .metadata((JsonObject) metadata)
      .data(data)
      .build();
  }

  private static String correlationIdOf(JsonObject body, String fallback) {
    if (body.getValue("metadata") instanceof JsonObject md && md.getValue("global_context") instanceof JsonObject gc
      && gc.getValue("correlation_id") instanceof String id && !id.isBlank()) {
      return id;
    }
    return fallback;
  }
}
