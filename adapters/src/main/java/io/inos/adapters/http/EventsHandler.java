package io.inos.adapters.http;

import io.inos.adapters.bridge.Bridge;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Nexus;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/events}: a whole canonical envelope. A {@code :requested} envelope is exchanged with its service and
 * answered like {@link OpsHandler} does; any other is published on the Nexus and answered 202 with
 * {@code {"accepted": true, "id", "type", "correlation_id"}}. An envelope without {@code source} gets the door's.
 */
public final class EventsHandler implements Handler<RoutingContext> {

  private final Nexus nexus;
  private final RestDoorOptions options;
  /** {@code null}: an open door (embedders without a bridge). */
  private final RestGuard guard;

  private EventsHandler(Nexus nexus, RestDoorOptions options, RestGuard guard) {
    this.nexus = nexus;
    this.options = new RestDoorOptions(options);
    this.guard = guard;
  }

  /** An open door: anyone may publish any event (for embedders who put their own security in front). */
  public static EventsHandler create(Nexus nexus, RestDoorOptions options) {
    return new EventsHandler(nexus, options, null);
  }

  /**
   * A door under the bridge's identity and inbound permissions: {@code Authorization: Bearer <jwt>} (a guest
   * without it), 401 for a bad or expired token, 403 when the rules refuse the event, and
   * {@code metadata.global_context.user_id} forced to the caller.
   */
  public static EventsHandler create(Bridge bridge, RestDoorOptions options) {
    return new EventsHandler(bridge.nexus(), options, new RestGuard(bridge, options.getSource()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String correlationId = RestResponses.requestCorrelationId(ctx);
    Event event;
    try {
      JsonObject envelope = RestResponses.jsonObjectBody(ctx);
      if (envelope.getValue("correlation_id") instanceof String id && !id.isBlank()) {
        correlationId = id;
      }
      if (!envelope.containsKey("source")) {
        envelope.put("source", options.getSource());
      }
      event = Event.fromJson(envelope);
    } catch (InvalidRequestException e) {
      RestResponses.error(ctx, e, correlationId);
      return;
    } catch (IllegalArgumentException e) {
      // InvalidEventTypeException included: the message names the field and what is wrong with it
      RestResponses.error(ctx, InvalidRequestException.badRequest(e.getMessage()), correlationId);
      return;
    }
    if (guard == null) {
      dispatch(ctx, event);
      return;
    }
    String refusedCorrelation = correlationId;
    guard.admit(ctx, event).onComplete(ar -> {
      if (ar.succeeded()) {
        dispatch(ctx, ar.result());
      } else {
        RestResponses.refusal(ctx, ar.cause(), refusedCorrelation);
      }
    });
  }

  private void dispatch(RoutingContext ctx, Event event) {
    if (event.type().hasState(EventState.REQUESTED)) {
      RestResponses.exchange(nexus, options.getRequestTimeoutMs(), event, ctx);
      return;
    }
    nexus.publish(event);
    RestResponses.json(ctx, 202, event.correlationId(), new JsonObject()
      .put("accepted", true)
      .put("id", event.id())
      .put("type", event.type().toString())
      .put("correlation_id", event.correlationId()));
  }
}
