package io.inos.graceful;

import io.vertx.core.json.JsonObject;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one result model of INOS: a success or a failure, with a {@link Code}, a message, a context (what the
 * operation was about: ids, fields) and either a result (success) or a cause (failure).
 *
 * <p>Outcomes are immutable. Their JSON form ({@link #toJson()}) is what every protocol carries:
 * <pre>{"code":"NOT_FOUND","grpc_code":5,"message":"campaign 42 does not exist","context":{...},"result":{...}}</pre>
 */
public final class Outcome {

  private final Code code;
  private final String message;
  private final JsonObject context;
  private final JsonObject result;
  private final Throwable cause;

  private Outcome(Code code, String message, JsonObject context, JsonObject result, Throwable cause) {
    this.code = Objects.requireNonNull(code, "code");
    this.message = message == null ? "" : message;
    this.context = context == null ? new JsonObject() : context;
    this.result = result;
    this.cause = cause;
  }

  /** A success carrying {@code result}. */
  public static Outcome success(JsonObject result) {
    return new Outcome(Code.OK, "ok", null, result == null ? new JsonObject() : result.copy(), null);
  }

  /**
   * A success that keeps {@code result} itself rather than a copy, for code that has just made (or copied)
   * {@code result} for this outcome and hands it over: the caller must not change it afterwards. The outcome stays
   * immutable for everyone else, as {@link #result()} still returns copies. {@link #success(JsonObject)} is the
   * safe default; this one saves a copy on hot paths (the Nexus makes one copy of a handler's result and shares it
   * between the outcome and the {@code :success} event).
   */
  public static Outcome successAdopting(JsonObject result) {
    return new Outcome(Code.OK, "ok", null, result == null ? new JsonObject() : result, null);
  }

  /** A success with a message for people, carrying {@code result}. */
  public static Outcome success(String message, JsonObject result) {
    return new Outcome(Code.OK, message, null, result == null ? new JsonObject() : result.copy(), null);
  }

  /**
   * A failure.
   *
   * @throws IllegalArgumentException when {@code code} is {@link Code#OK}
   */
  public static Outcome failure(Code code, String message) {
    if (code == Code.OK) {
      throw new IllegalArgumentException("a failure cannot have code OK");
    }
    return new Outcome(code, message, null, null, null);
  }

  /**
   * The failure that best describes {@code error}: the outcome of an {@link OutcomeException} (also when wrapped in a
   * {@link CompletionException} or {@link ExecutionException}), else a code chosen from the exception's type:
   * <ul>
   *   <li>{@link IllegalArgumentException} → {@link Code#INVALID_ARGUMENT};</li>
   *   <li>{@link TimeoutException} (also Vert.x's own time-outs) and an event-bus reply time-out →
   *   {@link Code#DEADLINE_EXCEEDED};</li>
   *   <li>an event-bus request nobody consumes → {@link Code#NOT_FOUND};</li>
   *   <li>{@link UnsupportedOperationException} → {@link Code#UNIMPLEMENTED};</li>
   *   <li>{@link IllegalStateException} → {@link Code#FAILED_PRECONDITION};</li>
   *   <li>anything else, and {@code null} → {@link Code#INTERNAL}.</li>
   * </ul>
   */
  public static Outcome of(Throwable error) {
    if (error == null) {
      return new Outcome(Code.INTERNAL, "failed without a cause", null, null, null);
    }
    Throwable unwrapped = error;
    while ((unwrapped instanceof CompletionException || unwrapped instanceof ExecutionException)
      && unwrapped.getCause() != null) {
      unwrapped = unwrapped.getCause();
    }
    if (unwrapped instanceof OutcomeException oe) {
      return oe.outcome();
    }
    error = unwrapped;
    Code code;
    if (error instanceof IllegalArgumentException) {
      code = Code.INVALID_ARGUMENT;
    } else if (error instanceof TimeoutException) {
      code = Code.DEADLINE_EXCEEDED;
    } else if (error instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      code = Code.DEADLINE_EXCEEDED;
    } else if (error instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      code = Code.NOT_FOUND;
    } else if (error instanceof UnsupportedOperationException) {
      code = Code.UNIMPLEMENTED;
    } else if (error instanceof IllegalStateException) {
      code = Code.FAILED_PRECONDITION;
    } else {
      code = Code.INTERNAL;
    }
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new Outcome(code, message, null, null, error);
  }

  /** @return a copy of this outcome with {@code key} set in its context */
  public Outcome withContext(String key, Object value) {
    return new Outcome(code, message, context.copy().put(key, value), result, cause);
  }

  /** @return a copy of this outcome with its context merged with {@code more} */
  public Outcome withContext(JsonObject more) {
    return new Outcome(code, message, context.copy().mergeIn(more), result, cause);
  }

  /** @return a copy of this failure carrying {@code cause} (never serialised, kept for logs) */
  public Outcome withCause(Throwable cause) {
    return new Outcome(code, message, context, result, cause);
  }

  public Code code() {
    return code;
  }

  public String message() {
    return message;
  }

  /** @return a copy of the context */
  public JsonObject context() {
    return context.copy();
  }

  /** @return a copy of the result of a success, or {@code null} for a failure */
  public JsonObject result() {
    return result == null ? null : result.copy();
  }

  /** @return the cause of a failure, or {@code null} */
  public Throwable cause() {
    return cause;
  }

  public boolean isSuccess() {
    return code == Code.OK;
  }

  public boolean isFailure() {
    return code != Code.OK;
  }

  /** @return this failure as an exception to fail a {@code Future} with */
  public OutcomeException toException() {
    return new OutcomeException(this);
  }

  /** @return the wire form, with snake_case keys */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("code", code.name())
      .put("grpc_code", code.grpcStatus())
      .put("message", message);
    if (!context.isEmpty()) {
      json.put("context", context.copy());
    }
    if (result != null) {
      json.put("result", result.copy());
    }
    return json;
  }

  /**
   * Reads the wire form back. A missing or unknown code reads as {@link Code#UNKNOWN} (or as the code of
   * {@code grpc_code} when that is a known number); a {@code context} or {@code result} that is not an object is
   * ignored, so a malformed answer still yields an outcome.
   */
  public static Outcome fromJson(JsonObject json) {
    Code code = json.getValue("code") instanceof String name ? Code.ofName(name) : Code.UNKNOWN;
    if (code == Code.UNKNOWN && json.getValue("grpc_code") instanceof Number n) {
      code = Code.ofGrpcStatus(n.intValue());
    }
    Object message = json.getValue("message");
    JsonObject result = object(json, "result");
    if (code == Code.OK && result == null) {
      result = new JsonObject();
    }
    return new Outcome(code, message == null ? null : message.toString(), object(json, "context"), result, null);
  }

  private static JsonObject object(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o.copy() : null;
  }

  /** Two outcomes are equal when their code, message, context and result are (the cause is not compared). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome other && code == other.code && message.equals(other.message)
      && context.equals(other.context) && Objects.equals(result, other.result);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, message, context, result);
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
