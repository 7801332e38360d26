package io.inos.adapters.amqp.impl;

import com.rabbitmq.client.AMQP;
import io.inos.nexus.Event;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a Nexus event into a broker message: the canonical JSON envelope as body, content-type
 * {@code application/json}, message-id = event id, correlation-id = correlation id, type = event type, timestamp,
 * persistent delivery mode, and the headers {@code x-inos-type} (the type, for headers exchanges) and
 * {@code x-inos-source}.
 */
public final class MessageEncoder {

  public static final String CONTENT_TYPE = "application/json";
  public static final String TYPE_HEADER = "x-inos-type";
  public static final String SOURCE_HEADER = "x-inos-source";
  /** AMQP 0-9-1 delivery mode 2: the broker writes the message to disk in a durable queue. */
  private static final int PERSISTENT = 2;

  private MessageEncoder() {
  }

  public static AMQP.BasicProperties properties(Event event) {
    Map<String, Object> headers = new HashMap<>(4);
    headers.put(TYPE_HEADER, event.type().toString());
    if (event.source() != null) {
      headers.put(SOURCE_HEADER, event.source());
    }
    return new AMQP.BasicProperties.Builder()
      .contentType(CONTENT_TYPE)
      .contentEncoding(StandardCharsets.UTF_8.name().toLowerCase(java.util.Locale.ROOT))
      .messageId(event.id())
      .correlationId(event.correlationId())
      .type(event.type().toString())
      .timestamp(Date.from(event.timestamp()))
      .deliveryMode(PERSISTENT)
      .headers(headers)
      .build();
  }

  /** @return the body: the event's JSON envelope ({@link Event#toJson()}), encoded */
  public static byte[] body(JsonObject envelope) {
    return envelope.toBuffer().getBytes();
  }
}
