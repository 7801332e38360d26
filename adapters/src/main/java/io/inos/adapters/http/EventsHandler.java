package io.inos.adapters.http;

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

  private EventsHandler(Nexus nexus, RestDoorOptions options) {
    this.nexus = nexus;
    this.options = new RestDoorOptions(options);
  }

  public static EventsHandler create(Nexus nexus, RestDoorOptions options) {
    return new EventsHandler(nexus, options);
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
