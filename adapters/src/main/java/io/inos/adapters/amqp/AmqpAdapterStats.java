package io.inos.adapters.amqp;

import java.util.Map;

/**
 * A snapshot of the adapter's counters since it was deployed; the same figures are Micrometer meters when a registry
 * is given ({@link AmqpAdapterOptions#setMeterRegistry}).
 *
 * @param messagesIn       broker messages received ({@code inos.amqp.messages.in})
 * @param published        of those, published on the Nexus ({@code inos.amqp.messages.published})
 * @param acks             broker messages acknowledged ({@code inos.amqp.acks})
 * @param deadLettered     poison messages dead-lettered or rejected, by reason ({@code inos.amqp.dead.lettered},
 *                         tag {@code reason})
 * @param messagesOut      events confirmed by the broker ({@code inos.amqp.messages.out})
 * @param nacks            publishes the broker refused (nack), each retried ({@code inos.amqp.nacks})
 * @param retried          publishes sent again after a nack or a broker loss ({@code inos.amqp.retries})
 * @param outboundDropped  events dropped because the outbound buffer was full, or not events
 *                         ({@code inos.amqp.outbound.dropped})
 * @param outboundLooped   events not sent because they came from the very exchange and routing key they would go
 *                         to (the loop guard, {@code inos.amqp.outbound.looped})
 * @param outboundHeld     events held now, waiting or unconfirmed (gauge {@code inos.amqp.outbound.held})
 * @param reconnects       connections re-established after a loss ({@code inos.amqp.reconnects})
 * @param connectFailures  connection attempts that failed ({@code inos.amqp.connect.failures})
 * @param connected        whether a connection is up now (gauge {@code inos.amqp.connected}, 1 or 0)
 */
public record AmqpAdapterStats(long messagesIn, long published, long acks, Map<String, Long> deadLettered,
                               long messagesOut, long nacks, long retried, long outboundDropped, long outboundLooped,
                               long outboundHeld, long reconnects, long connectFailures, boolean connected) {

  /** @return dead-lettered messages of every reason */
  public long deadLetteredTotal() {
    return deadLettered.values().stream().mapToLong(Long::longValue).sum();
  }
}
