package io.inos.adapters.amqp.impl;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Tells a broker that answered and refused the adapter — wrong credentials, a virtual host it may not use, a queue
 * or exchange the broker will not declare — from a broker that could not be reached (refused or timed-out TCP
 * connection, TLS, a broker shutting down). Retrying the first gets the same answer, so it is a configuration error
 * to report at start; the second is an outage to wait out.
 */
final class BrokerRefusal {

  /** The reply code of a broker that closes its connections because it is stopping: an outage, not a refusal. */
  private static final int CONNECTION_FORCED = 320;

  private BrokerRefusal() {
  }

  /** @return whether {@code error} (of a connection attempt) is the broker's refusal */
  static boolean isRefusal(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationFailureException) {
        return true;
      }
      if (t instanceof ShutdownSignalException s && !s.isInitiatedByApplication()) {
        if (s.getReason() instanceof AMQP.Channel.Close) {
          return true; // a declaration refused: NOT_FOUND, PRECONDITION_FAILED, ACCESS_REFUSED
        }
        if (s.getReason() instanceof AMQP.Connection.Close close) {
          return close.getReplyCode() != CONNECTION_FORCED; // e.g. 530 NOT_ALLOWED: no access to the vhost
        }
      }
    }
    return false;
  }
}
