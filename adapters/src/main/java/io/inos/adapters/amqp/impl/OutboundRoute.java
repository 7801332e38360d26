package io.inos.adapters.amqp.impl;

import io.inos.adapters.amqp.AmqpBinding;
import io.vertx.core.json.JsonObject;

/** An {@code out} binding: event-bus address → exchange and routing key ({@code null} = the event's type). */
public record OutboundRoute(String name, String address, String exchange, String exchangeType, String routingKey,
                            boolean declare, boolean durable) {

  public static OutboundRoute of(AmqpBinding b) {
    return new OutboundRoute(b.getName(), b.getAddress(), b.getExchange(), b.getExchangeType(), b.getRoutingKey(),
      b.isDeclare(), b.isDurable());
  }

  /**
   * The loop guard: whether {@code envelope} is an event made from a broker message that came from this binding's
   * exchange with {@code routingKey} (its {@code metadata.amqp} names it, see {@link MessageDecoder}). Publishing it
   * would hand the broker back its own message, and a queue bound there would bring it in again, for ever; the
   * events of its lifecycle (an outcome of a request that came in) carry the origin but another id, and do go out.
   *
   * @param envelope   the event's JSON envelope
   * @param routingKey the routing key it would be published with
   */
  boolean returnsToOrigin(JsonObject envelope, String routingKey) {
    if (!(envelope.getValue("metadata") instanceof JsonObject metadata)
      || !(metadata.getValue(MessageDecoder.ORIGIN_KEY) instanceof JsonObject origin)) {
      return false;
    }
    Object id = envelope.getValue("id");
    return id != null && id.equals(origin.getValue(MessageDecoder.ORIGIN_EVENT_ID))
      && exchange.equals(origin.getValue("exchange")) && routingKey.equals(origin.getValue("routing_key"));
  }
}
