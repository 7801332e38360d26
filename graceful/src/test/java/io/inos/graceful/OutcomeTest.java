package io.inos.graceful;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomeTest {

  @Test
  void successRoundTripsThroughJson() {
    Outcome success = Outcome.success("created", new JsonObject().put("id", 42).put("name", "Autumn"))
      .withContext("campaign_id", "c-1");

    JsonObject json = success.toJson();
    assertEquals(new JsonObject()
      .put("code", "OK").put("grpc_code", 0).put("message", "created")
      .put("context", new JsonObject().put("campaign_id", "c-1"))
      .put("result", new JsonObject().put("id", 42).put("name", "Autumn")), json);

    Outcome back = Outcome.fromJson(json);
    assertEquals(success, back);
    assertTrue(back.isSuccess());
    assertEquals(42, back.result().getInteger("id"));
  }

  @Test
  void aSuccessCopiesItsResultUnlessItIsHandedOver() {
    JsonObject result = new JsonObject().put("n", 1);
    Outcome copied = Outcome.success(result);
    Outcome adopted = Outcome.successAdopting(result);
    result.put("n", 2);

    assertEquals(1, copied.result().getInteger("n"));
    assertEquals(2, adopted.result().getInteger("n"), "handed over: the caller promised not to change it");
    adopted.result().put("n", 3);
    assertEquals(2, adopted.result().getInteger("n"), "what it hands out is still a copy");
    assertEquals(Outcome.success(new JsonObject().put("n", 2)), adopted);
    assertTrue(Outcome.successAdopting(null).result().isEmpty());
  }

  @Test
  void failureRoundTripsThroughJsonWithoutItsCause() {
    Outcome failure = Outcome.failure(Code.NOT_FOUND, "campaign 42 does not exist")
      .withContext(new JsonObject().put("campaign_id", "42"))
      .withCause(new RuntimeException("row missing"));

    JsonObject json = failure.toJson();
    assertEquals("NOT_FOUND", json.getString("code"));
    assertEquals(5, json.getInteger("grpc_code"));
    assertEquals("campaign 42 does not exist", json.getString("message"));
    assertEquals("42", json.getJsonObject("context").getString("campaign_id"));
    assertFalse(json.containsKey("result"));
    assertFalse(json.encode().contains("row missing"), "the cause is for logs, not for the wire");

    Outcome back = Outcome.fromJson(json);
    assertEquals(failure, back);
    assertNull(back.cause());
    assertNull(back.result());
  }

  @Test
  void readsTheGrpcCodeWhenTheNameIsMissingOrUnknown() {
    assertSame(Code.PERMISSION_DENIED, Outcome.fromJson(new JsonObject().put("grpc_code", 7)).code());
    assertSame(Code.ABORTED, Outcome.fromJson(new JsonObject().put("code", "nope").put("grpc_code", 10)).code());
    assertSame(Code.UNKNOWN, Outcome.fromJson(new JsonObject()).code());
    assertSame(Code.UNKNOWN, Outcome.fromJson(new JsonObject().put("code", 5)).code());
  }

  @Test
  void readsMalformedPartsLeniently() {
    Outcome outcome = Outcome.fromJson(new JsonObject().put("code", "INTERNAL").put("message", 12)
      .put("context", "not an object").put("result", 3));
    assertSame(Code.INTERNAL, outcome.code());
    assertEquals("12", outcome.message());
    assertTrue(outcome.context().isEmpty());
    assertNull(outcome.result());
  }

  @Test
  void isImmutable() {
    JsonObject result = new JsonObject().put("n", 1);
    Outcome outcome = Outcome.success(result);
    result.put("n", 2);
    outcome.result().put("n", 3);
    outcome.context().put("x", 1);
    assertEquals(1, outcome.result().getInteger("n"));
    assertTrue(outcome.context().isEmpty());
    Outcome withContext = outcome.withContext("k", "v");
    assertTrue(outcome.context().isEmpty(), "withContext returns a copy");
    assertEquals("v", withContext.context().getString("k"));
  }

  @Test
  void failureCannotBeOk() {
    assertThrows(IllegalArgumentException.class, () -> Outcome.failure(Code.OK, "fine"));
    assertThrows(IllegalArgumentException.class, () -> new OutcomeException(Outcome.success(null)));
  }

  @Test
  void outcomeExceptionCarriesItsOutcome() {
    OutcomeException e = OutcomeException.of(Code.ALREADY_EXISTS, "user ada exists");
    assertSame(Code.ALREADY_EXISTS, e.code());
    assertEquals("ALREADY_EXISTS: user ada exists", e.getMessage());
    assertSame(e.outcome(), Outcome.of(e));
    assertSame(e.outcome(), e.outcome().toException().outcome());
  }

  @Test
  void classifiesThrowables() {
    assertClassified(Code.INVALID_ARGUMENT, new IllegalArgumentException("bad id"), "bad id");
    assertClassified(Code.DEADLINE_EXCEEDED, new TimeoutException("slow"), "slow");
    assertClassified(Code.DEADLINE_EXCEEDED, new NoStackTraceTimeoutException("Timeout 5 (ms) fired"),
      "Timeout 5 (ms) fired");
    assertClassified(Code.DEADLINE_EXCEEDED, new ReplyException(ReplyFailure.TIMEOUT, "no reply"), "no reply");
    assertClassified(Code.NOT_FOUND, new ReplyException(ReplyFailure.NO_HANDLERS, "nobody"), "nobody");
    assertClassified(Code.INTERNAL, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 3, "boom"), "boom");
    assertClassified(Code.UNIMPLEMENTED, new UnsupportedOperationException("later"), "later");
    assertClassified(Code.FAILED_PRECONDITION, new IllegalStateException("closed"), "closed");
    assertClassified(Code.INTERNAL, new NullPointerException(), "NullPointerException");
    assertClassified(Code.INTERNAL, new Error("bad"), "bad");
  }

  @Test
  void unwrapsCompletionAndExecutionExceptions() {
    OutcomeException inner = OutcomeException.of(Code.NOT_FOUND, "gone");
    assertSame(inner.outcome(), Outcome.of(new CompletionException(inner)));
    assertSame(inner.outcome(), Outcome.of(new ExecutionException(new CompletionException(inner))));
    assertSame(Code.INVALID_ARGUMENT, Outcome.of(new CompletionException(new IllegalArgumentException("x"))).code());
  }

  @Test
  void aMissingCauseIsInternal() {
    Outcome outcome = Outcome.of(null);
    assertSame(Code.INTERNAL, outcome.code());
    assertFalse(outcome.message().isEmpty());
  }

  private static void assertClassified(Code expected, Throwable error, String message) {
    Outcome outcome = Outcome.of(error);
    assertSame(expected, outcome.code(), error.toString());
    assertEquals(message, outcome.message());
    assertSame(error, outcome.cause());
    assertTrue(outcome.isFailure());
  }
}
