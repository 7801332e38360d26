package io.inos.nexus;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The event-bus codec of {@link Event}: inside one JVM the immutable value itself travels (no copy, no encoding);
 * across the cluster the JSON wire envelope does, prefixed with its length.
 *
 * <p>The envelope is written straight into the frame (no copy of the event's JSON, no intermediate byte array) and
 * read from the frame in place, and the parsed tree becomes the event's own JSON without being copied again.
 *
 * <p>Every node that sends or receives events must have it registered ({@link #registerOn(EventBus)}; a
 * {@link Nexus} does so when it is made).
 */
public final class EventCodec implements MessageCodec<Event, Event> {

  public static final String NAME = "inos-event";

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Registers the codec as the default codec of {@link Event} on {@code eventBus}, once: later calls, from any
   * number of Nexus instances on the same Vert.x, do nothing.
   */
  public static void registerOn(EventBus eventBus) {
    synchronized (eventBus) {
      try {
        eventBus.registerDefaultCodec(Event.class, new EventCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another Nexus on this Vert.x instance registered it first
      }
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Event event) {
    int lengthAt = buffer.length();
    buffer.appendInt(0);
    try (JsonGenerator generator = JSON.createGenerator(new Appender(buffer), JsonEncoding.UTF8)) {
      JacksonCodec.encodeJson(event.wireView(), generator);
    } catch (IOException e) {
      throw new EncodeException("could not encode " + event + ": " + e.getMessage(), e);
    }
    buffer.setInt(lengthAt, buffer.length() - lengthAt - 4);
  }

  /**
   * @throws IllegalArgumentException when the bytes are no valid envelope (a peer on another version, say)
   */
  @Override
  public Event decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Event.fromJson(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public Event transform(Event event) {
    return event;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  /** What the generator writes goes to the end of the frame; the generator buffers, so this sees few, large writes. */
  private static final class Appender extends OutputStream {
    private final Buffer buffer;

    Appender(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer.appendBytes(bytes, offset, length);
    }
  }
}
