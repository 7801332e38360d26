package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.mqtt.MqttStats;
import io.inos.adapters.mqtt.Publication;
import io.vertx.core.buffer.Buffer;

import io.inos.adapters.mqtt.MqttTopics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's statistics as Mosquitto-style {@code $SYS/broker/…} topics, published every interval as retained
 * QoS 0 messages whose payload is the number as text. They are this node's figures: they stay on the node (never on
 * the Nexus, never handed to the other nodes). Any client that is not a guest may read them; no client may write
 * them (a PUBLISH to a {@code $} topic is refused, 0x90, before it gets here).
 */
final class SysTopics {

  static final String PREFIX = "$SYS/";

  private final MqttBroker broker;
  private final long intervalMs;
  private final long startedAt = System.currentTimeMillis();
  private final Map<String, String> last = new LinkedHashMap<>();
  /**
   * The retained figures, kept here rather than in the retained store: they are this node's, and must neither be
   * counted as clients' retained messages nor shared through a store common to the nodes.
   */
  private final Map<String, Publication> retained = new LinkedHashMap<>();
  private long timer = -1;

  SysTopics(MqttBroker broker, int intervalSeconds) {
    this.broker = broker;
    this.intervalMs = intervalSeconds * 1000L;
  }

  /** @return whether {@code topic} (or filter) is one of the server's statistics topics */
  static boolean isSys(String topic) {
    return topic != null && (topic.startsWith(PREFIX) || topic.equals("$SYS"));
  }

  /** @return whether {@code who} may read the statistics: any identified client that is not a guest */
  static boolean mayRead(BridgeIdentity who) {
    return who != null && !who.guest() && who.userId() != null;
  }

  /** @return the retained figures whose topic {@code filter} matches */
  List<Publication> matching(String filter) {
    List<Publication> found = new ArrayList<>();
    for (Publication p : retained.values()) {
      if (MqttTopics.matches(filter, p.topic())) {
        found.add(p);
      }
    }
    return found;
  }

  void start() {
    publish();
    timer = broker.vertx().setPeriodic(intervalMs, id -> publish());
  }

  void stop() {
    if (timer >= 0) {
      broker.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  private void publish() {
    MqttStats stats = broker.stats();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("$SYS/broker/version", "INOS");
    values.put("$SYS/broker/uptime", (System.currentTimeMillis() - startedAt) / 1000 + " seconds");
    values.put("$SYS/broker/clients/connected", stats.connections());
    values.put("$SYS/broker/clients/total", stats.sessions());
    values.put("$SYS/broker/clients/disconnected", Math.max(0, stats.sessions() - stats.connections()));
    values.put("$SYS/broker/connections/accepted", stats.connectionsAccepted());
    values.put("$SYS/broker/connections/refused", stats.connectionsRefused());
    values.put("$SYS/broker/subscriptions/count", stats.subscriptions());
    values.put("$SYS/broker/retained messages/count", stats.retained());
    values.put("$SYS/broker/messages/received", stats.messagesIn());
    values.put("$SYS/broker/messages/sent", stats.messagesOut());
    values.put("$SYS/broker/messages/dropped", stats.dropped());
    values.forEach((topic, value) -> {
      String text = String.valueOf(value);
      // an unchanged figure is not sent again: it is retained, a new subscriber still gets it
      if (!text.equals(last.put(topic, text))) {
        Publication message = new Publication(topic, Buffer.buffer(text), 0, true,
          new Publication.Properties(1, "text/plain", null, null, null), 0, null);
        retained.put(topic, message);
        broker.publishLocal(message);
      }
    });
  }
}
