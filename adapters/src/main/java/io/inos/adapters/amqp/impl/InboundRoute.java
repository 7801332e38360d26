package io.inos.adapters.amqp.impl;

import io.inos.adapters.amqp.AmqpAdapterOptions;
import io.inos.adapters.amqp.AmqpBinding;

/**
 * An {@code in} binding with the adapter's defaults filled in: what {@link MessageDecoder} and the consumer need.
 */
public record InboundRoute(String name, String queue, String exchange, String exchangeType, String bindingKey,
                           String address, String eventType, boolean declare, boolean durable, boolean requireJson,
                           int prefetch, int maxMessageBytes, String deadLetterExchange, String source) {

  public static InboundRoute of(AmqpBinding b, AmqpAdapterOptions o) {
    return new InboundRoute(b.getName(), b.getQueue(), b.getExchange(), b.getExchangeType(),
      b.getRoutingKey() == null ? AmqpBinding.DEFAULT_IN_ROUTING_KEY : b.getRoutingKey(), b.getAddress(),
      b.getEventType(), b.isDeclare(), b.isDurable(), b.isRequireJson(),
      b.getPrefetch() == null ? o.getPrefetch() : b.getPrefetch(),
      b.getMaxMessageBytes() == null ? o.getMaxMessageBytes() : b.getMaxMessageBytes(),
      b.getDeadLetterExchange() == null ? o.getDeadLetterExchange() : b.getDeadLetterExchange(),
      o.getSource());
  }
}
