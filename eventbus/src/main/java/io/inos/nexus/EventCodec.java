package io.inos.nexus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus codec of {@link Event}: inside one JVM the immutable value itself travels (no copy, no encoding);
 * across the cluster the JSON wire envelope does, prefixed with its length.
 *
 * <p>Every node that sends or receives events must have it registered ({@link #registerOn(EventBus)}; a
 * {@link Nexus} does so when it is made).
 */
public final class EventCodec implements MessageCodec<Event, Event> {

  public static final String NAME = "inos-event";

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
    Buffer json = event.toJson().toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  /**
   * @throws IllegalArgumentException when the bytes are no valid envelope (a peer on another version, say)
   */
  @Override
  public Event decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Event.fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
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
}
