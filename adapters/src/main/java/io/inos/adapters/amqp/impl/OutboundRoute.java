package io.inos.adapters.amqp.impl;

import io.inos.adapters.amqp.AmqpBinding;

/** An {@code out} binding: event-bus address → exchange and routing key ({@code null} = the event's type). */
public record OutboundRoute(String name, String address, String exchange, String exchangeType, String routingKey,
                            boolean declare, boolean durable) {

  public static OutboundRoute of(AmqpBinding b) {
    return new OutboundRoute(b.getName(), b.getAddress(), b.getExchange(), b.getExchangeType(), b.getRoutingKey(),
      b.isDeclare(), b.isDurable());
  }
}
