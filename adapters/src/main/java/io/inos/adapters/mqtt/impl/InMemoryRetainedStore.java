package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.MqttTopics;
import io.inos.adapters.mqtt.Publication;
import io.inos.adapters.mqtt.RetainedStore;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Retained messages in a map by topic. A filter without wildcards is one lookup; a wildcard filter walks the topics
 * (subscriptions are far rarer than publishes, and this store is bounded).
 */
public final class InMemoryRetainedStore implements RetainedStore {

  private final int maxMessages;
  private final Map<String, Publication> byTopic = new HashMap<>();

  public InMemoryRetainedStore(int maxMessages) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("a retained store must hold at least one message, was " + maxMessages);
    }
    this.maxMessages = maxMessages;
  }

  @Override
  public Future<Boolean> put(Publication message) {
    if (message.payload().length() == 0) {
      byTopic.remove(message.topic());
      return Future.succeededFuture(true);
    }
    if (byTopic.size() >= maxMessages && !byTopic.containsKey(message.topic())) {
      return Future.succeededFuture(false);
    }
    byTopic.put(message.topic(), message.withRetain(true));
    return Future.succeededFuture(true);
  }

  @Override
  public Future<List<Publication>> match(String filter) {
    long now = System.currentTimeMillis();
    List<Publication> found = new ArrayList<>();
    if (!MqttTopics.hasWildcard(filter)) {
      Publication message = byTopic.get(filter);
      if (message != null) {
        if (message.expired(now)) {
          byTopic.remove(filter);
        } else {
          found.add(message);
        }
      }
      return Future.succeededFuture(found);
    }
    for (Iterator<Publication> it = byTopic.values().iterator(); it.hasNext(); ) {
      Publication message = it.next();
      if (message.expired(now)) {
        it.remove();
      } else if (MqttTopics.matches(filter, message.topic())) {
        found.add(message);
      }
    }
    return Future.succeededFuture(found);
  }

  @Override
  public int size() {
    return byTopic.size();
  }
}
