package io.inos.nexus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(VertxExtension.class)
class EventCodecTest {

  private final EventCodec codec = new EventCodec();

  private static Event sample() {
    return Event.builder("campaign:create_campaign:v1:success").causationId("evt-0").environment("test")
      .source("backend").globalContext("user_id", "u-1").globalContext("campaign_id", "c-1")
      .data(new JsonObject().put("name", "Autumn — launch ✓").put("budget", 125000.5).put("n", 3)).build();
  }

  @Test
  void roundTripsOverTheWire() {
    Event event = sample();
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, event);

    Event decoded = codec.decodeFromWire(0, buffer);
    assertEquals(event.toJson(), decoded.toJson());
    assertEquals(event.id(), decoded.id());
    assertEquals(event.timestamp(), decoded.timestamp());
  }

  @Test
  void writesTheSameBytesAsTheEnvelopeEncoded() {
    Event event = sample();
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, event);
    Buffer expected = event.toJson().toBuffer();
    assertEquals(expected.length(), buffer.getInt(0));
    assertEquals(expected, buffer.getBuffer(4, buffer.length()));
  }

  @Test
  void aDecodedEventIsImmutableAndLeavesTheFrameAlone() {
    Event event = sample();
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, event);
    Buffer frame = buffer.copy();

    Event decoded = codec.decodeFromWire(0, buffer);
    decoded.data().put("name", "changed");
    decoded.metadata().put("added", true);

    assertEquals(event.toJson(), decoded.toJson());
    assertEquals(frame, buffer);
  }

  @Test
  void decodesFromItsPositionInALargerBuffer() {
    // the cluster writes other fields (headers, addresses) before the body; the body may be followed by more
    Buffer buffer = Buffer.buffer().appendString("frame header ");
    int pos = buffer.length();
    Event first = sample();
    Event second = Event.builder("echo").data(new JsonObject().put("k", "v")).build();
    codec.encodeToWire(buffer, first);
    int next = buffer.length();
    codec.encodeToWire(buffer, second);

    assertEquals(first.toJson(), codec.decodeFromWire(pos, buffer).toJson());
    assertEquals(second.toJson(), codec.decodeFromWire(next, buffer).toJson());
  }

  @Test
  void rejectsBytesThatAreNoEnvelope() {
    Buffer json = new JsonObject().put("type", "NOT A TYPE").toBuffer();
    Buffer buffer = Buffer.buffer().appendInt(json.length()).appendBuffer(json);
    assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, buffer));
  }

  @Test
  void passesTheValueItselfInsideOneJvm() {
    Event event = sample();
    assertSame(event, codec.transform(event));
    assertEquals(EventCodec.NAME, codec.name());
    assertEquals(-1, codec.systemCodecID());
  }

  @Test
  void registersOncePerEventBus(Vertx vertx) {
    EventCodec.registerOn(vertx.eventBus());
    assertDoesNotThrow(() -> EventCodec.registerOn(vertx.eventBus()));
    assertDoesNotThrow(() -> Nexus.create(vertx));
  }
}
