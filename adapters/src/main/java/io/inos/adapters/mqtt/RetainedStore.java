package io.inos.adapters.mqtt;

import io.inos.adapters.mqtt.impl.InMemoryRetainedStore;
import io.vertx.core.Future;

import java.util.List;

/**
 * Where retained messages are kept: the last retained message of each topic. The adapter uses it from its own
 * context only. Behind this small interface so that a durable or shared store can back it, which is why it answers
 * with futures; with {@link MqttAdapterOptions#getRedisUrl()} set, the adapter keeps them in Redis.
 */
public interface RetainedStore {

  /** @return a store in this node's memory, holding at most {@code maxMessages} topics (new topics past it are refused) */
  static RetainedStore inMemory(int maxMessages) {
    return new InMemoryRetainedStore(maxMessages);
  }

  /**
   * Makes the store ready before the adapter takes its first connection (a durable store loads what it kept); the
   * in-memory store has nothing to do.
   *
   * @return completes when the store can serve; a failure stops the adapter's start
   */
  default Future<Void> open() {
    return Future.succeededFuture();
  }

  /**
   * Keeps {@code message} as its topic's retained message, replacing the previous one; an empty payload instead
   * removes the topic's retained message (MQTT 3.3.1.3).
   *
   * @return {@code false} when the store is full and the topic is new
   */
  Future<Boolean> put(Publication message);

  /** @return the retained messages whose topic matches the valid {@code filter}, not expired */
  Future<List<Publication>> match(String filter);

  /** @return how many topics hold a retained message */
  int size();
}
