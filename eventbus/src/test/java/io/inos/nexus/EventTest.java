package io.inos.nexus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTest {

  /** An envelope as the original frontend sends it. */
  private static JsonObject originalEnvelope() {
    return new JsonObject()
      .put("id", "evt-1")
      .put("type", "campaign:create_campaign:v1:requested")
      .put("correlation_id", "corr-1")
      .put("causation_id", "evt-0")
      .put("timestamp", "2026-11-27T16:00:00Z")
      .put("version", "1.0.0")
      .put("environment", "production")
      .put("source", "frontend")
      .put("metadata", new JsonObject()
        .put("global_context", new JsonObject().put("user_id", "u-1").put("campaign_id", "0")
          .put("correlation_id", "corr-1").put("session_id", "s-1").put("device_id", "d-1").put("source", "frontend"))
        .put("tags", new JsonArray().add("launch")))
      .put("payload", new JsonObject().put("data", new JsonObject().put("name", "Autumn").put("budget", 12.5)));
  }

  @Test
  void roundTripsTheWireEnvelope() {
    JsonObject wire = originalEnvelope();
    Event event = Event.fromJson(wire);

    assertEquals("evt-1", event.id());
    assertEquals(EventType.parse("campaign:create_campaign:v1:requested"), event.type());
    assertEquals("corr-1", event.correlationId());
    assertEquals("evt-0", event.causationId());
    assertEquals(Instant.parse("2026-11-27T16:00:00Z"), event.timestamp());
    assertEquals("1.0.0", event.version());
    assertEquals("production", event.environment());
    assertEquals("frontend", event.source());
    assertEquals("u-1", event.userId());
    assertEquals("0", event.campaignId());
    assertEquals("s-1", event.globalContext("session_id"));
    assertEquals("Autumn", event.data().getString("name"));

    assertEquals(wire, event.toJson());
    assertEquals(wire, Event.fromJson(event.toJson().encode()).toJson());
  }

  @Test
  void writesSnakeCaseKeysOnly() {
    Event event = Event.builder("user:get_user:v1:success").causationId("c").environment("e").source("backend")
      .globalContext("user_id", "u").data(new JsonObject()).build();
    Set<String> keys = event.toJson().fieldNames();
    assertEquals(Set.of("id", "type", "correlation_id", "causation_id", "timestamp", "version", "environment",
      "source", "metadata", "payload"), keys);
    for (String key : keys) {
      assertTrue(key.matches("[a-z_]+"), key);
    }
  }

  @Test
  void takesTheCorrelationIdFromTheGlobalContextWhenAbsent() {
    JsonObject wire = originalEnvelope();
    wire.remove("correlation_id");
    wire.getJsonObject("metadata").getJsonObject("global_context").put("correlation_id", "from-context");

    Event event = Event.fromJson(wire);
    assertEquals("from-context", event.correlationId());
    assertEquals("from-context", event.toJson().getString("correlation_id"));
  }

  @Test
  void makesACorrelationIdWhenThereIsNoneAndKeepsTheContextInStep() {
    Event event = Event.fromJson(new JsonObject().put("type", "echo"));
    assertNotNull(event.correlationId());
    assertFalse(event.correlationId().isEmpty());
    assertEquals(event.correlationId(), event.globalContext("correlation_id"));
    assertNotNull(event.id());
    assertNotNull(event.timestamp());
    assertEquals(Event.ENVELOPE_VERSION, event.version());
    assertTrue(event.payload().isEmpty());

    Event explicit = Event.builder("echo").correlationId("mine").globalContext("correlation_id", "theirs").build();
    assertEquals("mine", explicit.correlationId());
    assertEquals("mine", explicit.globalContext("correlation_id"), "the envelope and the context never disagree");
  }

  @Test
  void anEmptyIdIsNoId() {
    Event a = Event.fromJson(new JsonObject().put("type", "echo").put("id", ""));
    Event b = Event.fromJson(new JsonObject().put("type", "echo").put("id", ""));
    assertFalse(a.id().isEmpty());
    assertNotEquals(a.id(), b.id());
  }

  @Test
  void readsRfc3339TimestampsWithOffsets() {
    JsonObject wire = originalEnvelope().put("timestamp", "2026-11-27T17:00:00.123456789+01:00");
    assertEquals(Instant.parse("2026-11-27T16:00:00.123456789Z"), Event.fromJson(wire).timestamp());
    wire.put("timestamp", "2026-11-27t16:00:00z");
    assertEquals(Instant.parse("2026-11-27T16:00:00Z"), Event.fromJson(wire).timestamp());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "{\"type\":\"echo\",\"id\":7}                              | field 'id' must be a string",
    "{\"type\":\"echo\",\"correlation_id\":[1]}                | field 'correlation_id' must be a string",
    "{\"type\":\"echo\",\"causation_id\":{}}                   | field 'causation_id' must be a string",
    "{\"type\":\"echo\",\"source\":true}                       | field 'source' must be a string",
    "{\"type\":\"echo\",\"environment\":1}                     | field 'environment' must be a string",
    "{\"type\":\"echo\",\"version\":1.0}                       | field 'version' must be a string",
    "{\"type\":\"echo\",\"timestamp\":1732723200}              | field 'timestamp' must be a string",
    "{\"type\":\"echo\",\"timestamp\":\"yesterday\"}           | field 'timestamp': 'yesterday' is not an RFC 3339 timestamp",
    "{\"type\":\"echo\",\"metadata\":\"x\"}                    | field 'metadata' must be an object",
    "{\"type\":\"echo\",\"metadata\":{\"global_context\":[]}}  | field 'metadata.global_context' must be an object",
    "{\"type\":\"echo\",\"payload\":[1,2]}                     | field 'payload' must be an object",
    "{\"type\":7}                                              | the field 'type' must be a string",
    "{}                                                        | the field 'type' is missing",
    "{\"type\":\"Echo\"}                                       | invalid event type 'Echo'",
  })
  void rejectsFieldsOfTheWrongShapeNamingTheField(String json, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Event.fromJson(json));
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }

  @Test
  void rejectsOverlongIdsAndTextThatIsNoObject() {
    assertTrue(assertThrows(IllegalArgumentException.class,
      () -> Event.fromJson(new JsonObject().put("type", "echo").put("id", "x".repeat(129))))
      .getMessage().contains("field 'id' is longer than 128 characters"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Event.fromJson("[1,2]"))
      .getMessage().startsWith("not a JSON object"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Event.fromJson("{not json"))
      .getMessage().startsWith("not a JSON object"));
    assertThrows(IllegalArgumentException.class, () -> Event.fromJson((String) null));
  }

  @Test
  void isImmutable() {
    JsonObject data = new JsonObject().put("n", 1);
    JsonObject metadata = new JsonObject().put("global_context", new JsonObject().put("user_id", "u"));
    Event event = Event.builder("echo").metadata(metadata).data(data).build();

    data.put("n", 2);
    metadata.getJsonObject("global_context").put("user_id", "someone else");
    event.data().put("n", 3);
    event.payload().put("extra", true);
    event.metadata().put("added", true);
    event.toJson().getJsonObject("payload").put("extra", true);

    assertEquals(1, event.data().getInteger("n"));
    assertEquals("u", event.userId());
    assertFalse(event.payload().containsKey("extra"));
    assertFalse(event.metadata().containsKey("added"));
  }

  @Test
  void eventsThatShareTheirJsonStayImmutable() {
    Event requested = Event.builder("user:get_user:v1:requested").globalContext("user_id", "u-1")
      .metadata(null).globalContext("user_id", "u-1").data(new JsonObject().put("id", 1)).build();
    Event started = requested.next(EventState.STARTED).build();
    Event other = requested.next(EventState.STARTED).globalContext("user_id", "u-2").build();

    started.metadata().put("added", true);
    assertFalse(requested.metadata().containsKey("added"));
    assertEquals("u-1", requested.userId(), "changing the next event's context copies first");
    assertEquals("u-1", started.userId());
    assertEquals("u-2", other.userId());
    assertEquals(requested.correlationId(), started.globalContext("correlation_id"));
  }

  @Test
  void aBuilderBuiltTwiceOrChangedAfterBuildingNeverChangesWhatItBuilt() {
    Event.Builder builder = Event.builder("echo").globalContext("user_id", "u-1").globalContext("session_id", "s");
    Event first = builder.build();
    builder.globalContext("user_id", "u-2");
    Event second = builder.build();
    Event third = builder.correlationId("another").build();

    assertEquals("u-1", first.userId());
    assertEquals("s", first.globalContext("session_id"));
    assertEquals("u-2", second.userId());
    assertEquals("another", third.globalContext("correlation_id"));
    assertEquals(first.correlationId(), first.globalContext("correlation_id"));
    assertEquals(second.correlationId(), second.globalContext("correlation_id"));
  }

  @Test
  void readsEnvelopesFromTextAndBytesAlike() {
    JsonObject wire = originalEnvelope();
    assertEquals(wire, Event.fromJson(wire.encode()).toJson());
    assertEquals(wire, Event.fromJson(wire.toBuffer()).toJson());
    assertEquals(wire, Event.fromJson(io.vertx.core.buffer.Buffer.buffer(wire.encode())).toJson());
    assertTrue(assertThrows(IllegalArgumentException.class,
      () -> Event.fromJson(io.vertx.core.buffer.Buffer.buffer("{broken"))).getMessage().startsWith("not a JSON object"));
  }

  @Test
  void anEnvelopeWithoutACorrelationInItsContextGetsOne() {
    JsonObject wire = originalEnvelope();
    wire.getJsonObject("metadata").getJsonObject("global_context").remove("correlation_id");
    Event event = Event.fromJson(wire.toBuffer());
    assertEquals("corr-1", event.globalContext("correlation_id"));
    assertEquals("corr-1", event.toJson().getJsonObject("metadata").getJsonObject("global_context")
      .getString("correlation_id"));
  }

  @Test
  void theNextEventOfALifecycleKeepsTheCorrelationAndPointsAtItsCause() {
    Event requested = Event.builder("user:get_user:v1:requested").environment("test")
      .globalContext("user_id", "u-1").data(new JsonObject().put("id", 1)).build();
    Event started = requested.next(EventState.STARTED).build();

    assertEquals("user:get_user:v1:started", started.type().toString());
    assertEquals(requested.correlationId(), started.correlationId());
    assertEquals(requested.id(), started.causationId());
    assertNotEquals(requested.id(), started.id());
    assertEquals("u-1", started.userId());
    assertEquals("test", started.environment());
    assertTrue(started.payload().isEmpty(), "the payload is the next event's own");
  }

  @Test
  void dataIsEmptyWhenThePayloadHasNoObject() {
    assertTrue(Event.builder("echo").payload(new JsonObject().put("data", "text")).build().data().isEmpty());
    assertTrue(Event.builder("echo").build().data().isEmpty());
    assertNull(Event.builder("echo").build().userId());
  }
}
