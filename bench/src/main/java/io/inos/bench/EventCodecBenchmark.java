package io.inos.bench;

import io.inos.nexus.Event;
import io.inos.nexus.EventCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The cost of an {@link Event} on the wire: building one, encoding it to its JSON envelope (text and bytes), reading
 * it back, and the cluster codec's round trip. The event is a realistic one (six {@code global_context} fields, a
 * ten-field {@code payload.data} with nested objects), see {@link SampleEvents}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventCodecBenchmark {

  private final EventCodec codec = new EventCodec();
  private JsonObject metadata;
  private JsonObject data;
  private Event event;
  private String text;
  private Buffer bytes;

  @Setup
  public void setUp() {
    metadata = SampleEvents.metadata();
    data = SampleEvents.data();
    event = SampleEvents.requested(metadata, data).build();
    text = event.toJson().encode();
    bytes = event.toJson().toBuffer();
  }

  /** What a caller pays to make a request event (ids, timestamp, copies of the JSON it is given). */
  @Benchmark
  public Event build() {
    return SampleEvents.requested(metadata, data).build();
  }

  /** The same event built with six {@code globalContext(key, value)} calls. */
  @Benchmark
  public Event buildFieldByField() {
    return SampleEvents.requestedFieldByField(data).build();
  }

  @Benchmark
  public String encodeToString() {
    return event.toJson().encode();
  }

  @Benchmark
  public Buffer encodeToBuffer() {
    return event.toJson().toBuffer();
  }

  @Benchmark
  public Event decodeFromString() {
    return Event.fromJson(text);
  }

  @Benchmark
  public Event decodeFromBuffer() {
    return Event.fromJson(new JsonObject(bytes));
  }

  /** Bytes parsed by the event itself, which keeps the parsed tree instead of copying it. */
  @Benchmark
  public Event decodeFromBytes() {
    return Event.fromJson(bytes);
  }

  /** What crossing the cluster costs on both ends: {@link EventCodec#encodeToWire} then {@code decodeFromWire}. */
  @Benchmark
  public Event wireRoundTrip() {
    Buffer wire = Buffer.buffer(512);
    codec.encodeToWire(wire, event);
    return codec.decodeFromWire(0, wire);
  }
}
