package io.inos.nexus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The event-bus codec of {@link Event}: inside one JVM the immutable value itself travels (no copy, no encoding);
 * across the cluster the JSON wire envelope does.
 */
public final class EventCodec implements MessageCodec<Event, Event> {

  public static final String NAME = "inos-event";

  @Override
  public void encodeToWire(Buffer buffer, Event event) {
    Buffer json = event.toJson().toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public Event decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Event.fromJson(new io.vertx.core.json.JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
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
