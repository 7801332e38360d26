package io.inos.adapters.amqp.impl;

import com.rabbitmq.client.AMQP;
import io.vertx.core.Handler;

/**
 * A message on its way to the broker: waiting for a connection, or published and waiting for its confirm.
 *
 * <p>Events ({@link #boundTo} {@code null}) are retried on any connection until confirmed. A dead-letter copy of a
 * poison message belongs to the connection its original came from ({@link #boundTo}): only that connection's
 * channel can acknowledge the original, so when that connection is lost the copy is dropped and the broker redelivers
 * the original instead (to be dead-lettered again).
 */
final class Outgoing {

  final String exchange;
  final String routingKey;
  final AMQP.BasicProperties properties;
  final byte[] body;
  /** The connection a dead-letter copy belongs to; {@code null} for events. */
  final BrokerLink boundTo;
  /** Called on the adapter's context with the broker's answer: true = confirmed, false = refused (nack). */
  final Handler<Boolean> onConfirm;

  Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body, BrokerLink boundTo,
           Handler<Boolean> onConfirm) {
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.body = body;
    this.boundTo = boundTo;
    this.onConfirm = onConfirm;
  }

  boolean isEvent() {
    return boundTo == null;
  }
}
