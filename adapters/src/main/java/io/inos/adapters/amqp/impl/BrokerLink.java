package io.inos.adapters.amqp.impl;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One connection to the broker and its publishing channel (in confirm mode). The adapter makes a new one after each
 * loss; nothing carries over from a lost link but the messages it had not had confirmed, which go back to the
 * adapter's buffer.
 */
final class BrokerLink {

  final Connection connection;
  final Channel publisher;
  /**
   * Published and not yet confirmed, by publish sequence number. Written by the I/O thread (before each publish),
   * read and emptied on the adapter's context (confirms, loss).
   */
  final ConcurrentSkipListMap<Long, Outgoing> unconfirmed = new ConcurrentSkipListMap<>();
  /** Set on the adapter's context when the link is known lost; read by the I/O thread to stop publishing on it. */
  volatile boolean lost;
  /** Whether the loss was handled (context only). */
  boolean lossHandled;

  BrokerLink(Connection connection, Channel publisher) {
    this.connection = connection;
    this.publisher = publisher;
  }
}
