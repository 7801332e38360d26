package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.mqtt.MqttTopics;
import io.inos.adapters.mqtt.Publication;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MQTT session of one client id (MQTT 4.1): its subscriptions, the QoS 1 and 2 messages in flight to it, the
 * bounded queue of messages waiting for it (offline, or its in-flight window full), the QoS 2 packet ids it published
 * and not yet released, and its bridge session. It outlives its connection when it is persistent (clean session
 * false, or a session expiry interval in MQTT 5), until it expires.
 *
 * <p>Used on the adapter's context only.
 */
final class ClientSession {

  private static final Publication.Properties JSON = new Publication.Properties(1, "application/json", null, null,
    List.of());
  private static final int MAX_PERMISSION_CACHE = 256;

  final MqttBroker broker;
  final String clientId;
  /** raw filter (as the client sent it) → subscription */
  final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  /** QoS 2 packet ids the client published, acknowledged with PUBREC and not yet released with PUBREL */
  final Set<Integer> awaitingRelease = new HashSet<>();
  private final LinkedHashMap<Integer, Outgoing> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private BridgeSession bridge;
  private MqttConnection connection;
  private int lastPacketId;
  private long expiryTimer = -1;
  private long willTimer = -1;
  private Publication pendingWill;
  private boolean destroyed;
  private BridgeRules cachedRules;
  private BridgeIdentity cachedIdentity;
  private final Map<String, Boolean> permitted = new HashMap<>();

  ClientSession(MqttBroker broker, String clientId) {
    this.broker = broker;
    this.clientId = clientId;
  }

  boolean isOnline() {
    return connection != null;
  }

  MqttConnection connection() {
    return connection;
  }

  BridgeSession bridge() {
    return bridge;
  }

  BridgeIdentity identity() {
    return bridge == null ? null : bridge.identity();
  }

  /**
   * Takes {@code next} as the session's bridge session (a new connection authenticated): the exact subscriptions
   * move to it, each checked again; those it no longer permits are dropped. The previous one is closed after.
   */
  void adopt(BridgeSession next) {
    BridgeSession previous = bridge;
    bridge = next;
    permitted.clear();
    if (previous == null || previous == next) {
      return;
    }
    for (Subscription s : List.copyOf(subscriptions.values())) {
      if (s.viaBridge()) {
        next.subscribe(MqttTopics.toAddress(s.filter())).onFailure(err -> {
          if (!(err instanceof io.inos.adapters.bridge.BridgeException be) || be.error() != BridgeError.ALREADY_SUBSCRIBED) {
            forget(s.raw());
          }
        });
      }
    }
    previous.close();
  }

  void attach(MqttConnection next) {
    connection = next;
    cancelTimers();
    // resend what was in flight, in order, as the specification requires on a resumed session (4.4)
    for (Outgoing o : inflight.values()) {
      if (o.released) {
        next.sendPubrel(o.packetId);
      } else {
        next.sendPublish(o, true);
      }
    }
    drain();
  }

  /** The connection ended; the session stays (persistent) until {@code expirySeconds} pass, or ends now. */
  void detach(MqttConnection previous, long expirySeconds) {
    if (connection != previous) {
      return;
    }
    connection = null;
    if (expirySeconds <= 0) {
      destroy();
    } else {
      expiryTimer = broker.vertx().setTimer(expirySeconds * 1000, id -> {
        expiryTimer = -1;
        destroy();
      });
    }
  }

  /** A will to publish after {@code delaySeconds} unless the client reconnects first (MQTT 5 Will Delay Interval). */
  void scheduleWill(Publication will, long delaySeconds) {
    pendingWill = will;
    willTimer = broker.vertx().setTimer(Math.max(1, delaySeconds * 1000), id -> {
      willTimer = -1;
      pendingWill = null;
      broker.publishFrom(this, will);
    });
  }

  private void cancelTimers() {
    if (expiryTimer >= 0) {
      broker.vertx().cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
    if (willTimer >= 0) {
      broker.vertx().cancelTimer(willTimer);
      willTimer = -1;
    }
    pendingWill = null;
  }

  /** Ends the session: its subscriptions, queues and bridge session. A will still pending is published first. */
  void destroy() {
    if (destroyed) {
      return;
    }
    Publication will = pendingWill;
    cancelTimers();
    if (will != null) {
      // the session ends before the will delay: the will is published now (MQTT 5, 3.1.3.2.2)
      broker.publishFrom(this, will);
    }
    destroyed = true;
    for (Subscription s : subscriptions.values()) {
      broker.trie().remove(this, s.filter(), s.group());
    }
    subscriptions.clear();
    inflight.clear();
    queue.clear();
    if (bridge != null) {
      bridge.close();
    }
    broker.forget(this);
  }

  boolean isDestroyed() {
    return destroyed;
  }

  void add(Subscription s) {
    Subscription previous = subscriptions.put(s.raw(), s);
    if (previous != null && previous.viaBridge() && !s.viaBridge()) {
      bridge.unsubscribe(MqttTopics.toAddress(previous.filter()));
    }
    broker.trie().add(s);
  }

  /** Removes a subscription; @return whether it existed */
  boolean forget(String raw) {
    Subscription s = subscriptions.remove(raw);
    if (s == null) {
      return false;
    }
    broker.trie().remove(this, s.filter(), s.group());
    if (s.viaBridge() && bridge != null) {
      bridge.unsubscribe(MqttTopics.toAddress(s.filter()));
    }
    return true;
  }

  /**
   * Whether the session may receive what is published at {@code address}, by the bridge's outbound rules and its
   * scope; remembered per address until the rules or the identity change.
   */
  boolean permits(String address, JsonObject envelope) {
    BridgeRules rules = broker.bridge().rules();
    BridgeIdentity who = identity();
    if (who == null) {
      return false;
    }
    if (rules != cachedRules || !who.equals(cachedIdentity)) {
      permitted.clear();
      cachedRules = rules;
      cachedIdentity = who;
    }
    Boolean known = permitted.get(address);
    if (known != null) {
      return known;
    }
    BridgeRules.Check check = rules.checkOutbound(address, who);
    if (check.filtered()) {
      // a rule with a body match decides per message
      return check.permitted() && envelope != null && check.accepts(Delivery.of(address, envelope, null));
    }
    if (permitted.size() >= MAX_PERMISSION_CACHE) {
      permitted.clear();
    }
    permitted.put(address, check.permitted());
    return check.permitted();
  }

  /** Offers a message matched by {@code s}: sent now, put in flight, queued, or dropped. */
  void offer(Publication message, Subscription s, boolean retainFlag) {
    if (destroyed) {
      return;
    }
    int qos = Math.min(message.qos(), s.qos());
    Outgoing o = new Outgoing(message, qos, retainFlag, s.identifier() > 0 ? new int[] {s.identifier()} : NO_IDS);
    if (qos == 0) {
      if (connection == null) {
        broker.metrics().dropped(MqttMetrics.Drop.UNDELIVERABLE);
      } else {
        connection.sendPublish(o, false);
      }
      return;
    }
    if (connection != null && queue.isEmpty() && inflight.size() < connection.window()) {
      send(o);
      return;
    }
    if (queue.size() >= broker.options().getMaxQueuedMessages()) {
      queue.poll();
      broker.metrics().dropped(MqttMetrics.Drop.QUEUE_FULL);
    }
    queue.add(o);
  }

  private static final int[] NO_IDS = new int[0];

  private void send(Outgoing o) {
    o.packetId = nextPacketId();
    inflight.put(o.packetId, o);
    connection.sendPublish(o, false);
  }

  /** Sends what waits, while the in-flight window has room. */
  void drain() {
    long now = System.currentTimeMillis();
    while (connection != null && !queue.isEmpty() && inflight.size() < connection.window()) {
      Outgoing o = queue.poll();
      if (o.message.expired(now)) {
        broker.metrics().dropped(MqttMetrics.Drop.EXPIRED);
        continue;
      }
      send(o);
    }
  }

  void onPuback(int packetId) {
    Outgoing o = inflight.get(packetId);
    if (o != null && o.qos == 1) {
      inflight.remove(packetId);
      drain();
    }
  }

  void onPubrec(int packetId, boolean failed) {
    Outgoing o = inflight.get(packetId);
    if (o == null || o.qos != 2) {
      if (connection != null) {
        // a PUBREC for an id we do not know still gets its PUBREL, so the client's state ends (4.3.3)
        connection.sendPubrel(packetId);
      }
      return;
    }
    if (failed) {
      inflight.remove(packetId);
      drain();
      return;
    }
    o.released = true;
    if (connection != null) {
      connection.sendPubrel(packetId);
    }
  }

  void onPubcomp(int packetId) {
    Outgoing o = inflight.get(packetId);
    if (o != null && o.qos == 2) {
      inflight.remove(packetId);
      drain();
    }
  }

  /** Drops in-flight messages the client can no longer take (sent to it when it is larger than it takes). */
  void abandon(int packetId) {
    if (inflight.remove(packetId) != null) {
      drain();
    }
  }

  /** @return how many messages wait for the client now (in flight and queued) */
  int pending() {
    return inflight.size() + queue.size();
  }

  private int nextPacketId() {
    for (int i = 0; i < 65_535; i++) {
      lastPacketId = lastPacketId % 65_535 + 1;
      if (!inflight.containsKey(lastPacketId)) {
        return lastPacketId;
      }
    }
    throw new IllegalStateException("no free packet id");
  }

  /** A message on its way to this client. */
  static final class Outgoing {
    final Publication message;
    final int qos;
    final boolean retain;
    final int[] subscriptionIds;
    int packetId;
    /** PUBREC received, PUBREL sent: only PUBCOMP is missing */
    boolean released;

    Outgoing(Publication message, int qos, boolean retain, int[] subscriptionIds) {
      this.message = message;
      this.qos = qos;
      this.retain = retain;
      this.subscriptionIds = subscriptionIds;
    }
  }

  /**
   * A Nexus event at an exact subscription's address, from the session's bridge session: it becomes a PUBLISH of the
   * event's JSON envelope. Events that came from MQTT clients are skipped here: the adapter's own routing already
   * delivered them with their original payload.
   */
  void onDelivery(Delivery delivery) {
    Buffer payload = delivery.encoded(MqttPayloads.PAYLOAD);
    String topic = payload == null ? null : MqttTopics.toTopic(delivery.address());
    Subscription s = topic == null ? null : subscriptions.get(topic);
    if (s == null || !s.viaBridge()) {
      return;
    }
    offer(new Publication(topic, payload, 2, false, JSON, 0, null), s, false);
  }

  /** The bridge revoked a subscription (rules reloaded, token expired) or dropped deliveries. */
  void onNotice(BridgeNotice notice) {
    if (notice.kind() == BridgeNotice.Kind.SUBSCRIPTION_REVOKED && notice.address() != null) {
      String topic = MqttTopics.toTopic(notice.address());
      Subscription s = topic == null ? null : subscriptions.get(topic);
      if (s != null && s.viaBridge()) {
        subscriptions.remove(topic);
        broker.trie().remove(this, s.filter(), s.group());
      }
    } else if (notice.kind() == BridgeNotice.Kind.DROPPED) {
      for (long i = 0; i < notice.count(); i++) {
        broker.metrics().dropped(MqttMetrics.Drop.QUEUE_FULL);
      }
    }
  }

  /** The bridge ended the session's bridge session (the bridge closes, a slow consumer): the connection ends too. */
  void onBridgeClosed(BridgeError reason) {
    MqttConnection c = connection;
    if (c != null) {
      c.closeFor(reason);
    }
  }

  @Override
  public String toString() {
    return "MqttSession[" + clientId + "]";
  }
}
