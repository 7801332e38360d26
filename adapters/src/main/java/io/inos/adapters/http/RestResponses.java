package io.inos.adapters.http;

import io.inos.adapters.bridge.BridgeException;
import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Nexus;
import io.inos.nexus.Outcomes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** How the REST door reads bodies and answers: event JSON for outcomes, one error shape for everything else. */
final class RestResponses {

  /** The response header (and optional request header) carrying the correlation id. */
  static final String CORRELATION_HEADER = "X-Correlation-Id";
  private static final int MAX_CORRELATION_ID = 128;
  private static final String JSON = "application/json";

  private RestResponses() {
  }

  /** @return the caller's {@value #CORRELATION_HEADER} when usable, else a new id */
  static String requestCorrelationId(RoutingContext ctx) {
    String given = ctx.request().getHeader(CORRELATION_HEADER);
    return given != null && !given.isBlank() && given.length() <= MAX_CORRELATION_ID ? given : UUID.randomUUID().toString();
  }

  /**
   * @return the request body as a JSON object
   * @throws InvalidRequestException 400 when the body is empty, malformed or not an object
   */
  static JsonObject jsonObjectBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw InvalidRequestException.badRequest("the request body is empty; expected a JSON object");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw InvalidRequestException.badRequest("malformed JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject json)) {
      throw InvalidRequestException.badRequest("the request body must be a JSON object, not "
        + (parsed == null ? "null" : "a JSON " + kind(parsed)));
    }
    return json;
  }

  /**
   * Exchanges {@code requested} with its service and answers with the outcome event: 200 for {@code :success}, the
   * outcome code's HTTP status for {@code :failed}; an error body when no service answered.
   */
  static void exchange(Nexus nexus, long timeoutMs, Event requested, RoutingContext ctx) {
    long timeout = timeoutMs > 0 ? timeoutMs : nexus.options().getRequestTimeoutMs();
    nexus.exchange(requested, timeout).onComplete(ar -> {
      if (ar.succeeded()) {
        event(ctx, ar.result());
      } else {
        Outcome outcome = Outcome.of(ar.cause());
        error(ctx, outcome.code().httpStatus(), outcome.code(), outcome.message(), requested.correlationId());
      }
    });
  }

  /** Answers with an outcome event. */
  static void event(RoutingContext ctx, Event answer) {
    int status = answer.type().hasState(EventState.SUCCESS) ? Code.OK.httpStatus()
      : Outcomes.outcomeOf(answer).code().httpStatus();
    json(ctx, status, answer.correlationId(), answer.toJson());
  }

  /** Answers with {@code {"error": {"code", "message"}, "correlation_id"}}. */
  static void error(RoutingContext ctx, int status, Code code, String message, String correlationId) {
    JsonObject body = new JsonObject()
      .put("error", new JsonObject().put("code", code.name()).put("message", message))
      .put("correlation_id", correlationId);
    json(ctx, status, correlationId, body);
  }

  /**
   * Answers a refusal of the bridge (its outcome code's status: 401, 403, 429…) or, for an envelope that the identity
   * made invalid, 400; anything else is the door's own failure, 500.
   */
  static void refusal(RoutingContext ctx, Throwable failure, String correlationId) {
    if (failure instanceof BridgeException refused) {
      Code code = refused.error().outcome();
      error(ctx, code.httpStatus(), code, refused.getMessage(), correlationId);
    } else if (failure instanceof IllegalArgumentException) {
      error(ctx, 400, Code.INVALID_ARGUMENT, failure.getMessage(), correlationId);
    } else {
      ctx.fail(failure);
    }
  }

  static void error(RoutingContext ctx, InvalidRequestException e, String correlationId) {
    error(ctx, e.status(), e.code(), e.getMessage(), correlationId);
  }

  static void json(RoutingContext ctx, int status, String correlationId, JsonObject body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
      .putHeader(CORRELATION_HEADER, correlationId)
      .end(body.toBuffer());
  }

  private static String kind(Object value) {
    if (value instanceof io.vertx.core.json.JsonArray) {
      return "array";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Number) {
      return "number";
    }
    return value instanceof Boolean ? "boolean" : value.getClass().getSimpleName();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
