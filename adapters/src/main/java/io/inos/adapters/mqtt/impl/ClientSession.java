package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.mqtt.MqttTopics;
import io.inos.adapters.mqtt.Publication;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The MQTT session of one client id (MQTT 4.1): its subscriptions, the QoS 1 and 2 messages in flight to it, the
 * bounded queue of messages waiting for it (offline, or its in-flight window full), the QoS 2 packet ids it published
 * and not yet released, and its bridge session. It outlives its connection when it is persistent (clean session
 * false, or a session expiry interval in MQTT 5), until it expires.
 *
 * <p>A persistent session is also <em>stored</em>: each change goes to the broker's {@link SessionStore} as it
 * happens (state, subscriptions, every QoS 1 and 2 message from queued to acknowledged), so that a node that restarts
 * {@linkplain #restore restores} it. Restored, it has no bridge session until one is reopened for its identity or its
 * client comes back.
 *
 * <p>Used on the adapter's context only.
 */
final class ClientSession {

  private static final int MAX_PERMISSION_CACHE = 256;

  final MqttBroker broker;
  final String clientId;
  /** raw filter (as the client sent it) → subscription */
  final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  /** QoS 2 packet ids the client published, acknowledged with PUBREC and not yet released with PUBREL */
  private final Set<Integer> awaitingRelease = new HashSet<>();
  private final SessionStore store;
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
  /** address → why the inbound rules refuse the client's messages there ("" when they permit) */
  private final Map<String, String> publishable = new HashMap<>();
  private long expirySeconds;
  /** when the client went away, in ms since the epoch; 0 while it is online */
  private long offlineSince;
  /** whether the store holds the session (it is persistent), so that its changes go there */
  private boolean stored;
  /** the place of the next message in the client's order, kept with the message in the store */
  private long nextSeq = 1;
  /** who a restored session belonged to, while it has no bridge session */
  private BridgeIdentity restoredIdentity;

  ClientSession(MqttBroker broker, String clientId) {
    this.broker = broker;
    this.clientId = clientId;
    this.store = broker.sessionStore();
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

  /** The offline session ends in {@code delayMs} unless its client comes back first. */
  private void expireIn(long delayMs) {
    expiryTimer = broker.vertx().setTimer(delayMs, id -> {
      expiryTimer = -1;
      destroy();
    });
  }

  BridgeIdentity identity() {
    return bridge != null ? bridge.identity() : restoredIdentity;
  }

  long expirySeconds() {
    return expirySeconds;
  }

  long offlineSince() {
    return offlineSince;
  }

  boolean isStored() {
    return stored;
  }

  /**
   * Takes {@code next} as the session's bridge session (a new connection authenticated): its identity decides from now
   * on what the subscriptions may receive. The previous one, if any, is closed.
   */
  void adopt(BridgeSession next) {
    BridgeSession previous = bridge;
    bridge = next;
    // the remembered rule verdicts hold for one identity: each use checks it (forgetVerdictsUnless)
    restoredIdentity = null;
    if (previous != null && previous != next) {
      previous.close();
    }
  }

  /**
   * Gives back a stored session's state to this new session, offline: subscriptions (in the trie again), the
   * messages in flight (resent with DUP when the client comes back) and queued, the QoS 2 packet ids awaiting
   * release, and the expiry, counted from when the client went away, or from now if it was online when the node
   * stopped.
   */
  void restore(StoredSession kept, long now) {
    restoredIdentity = kept.identity();
    // the bound of the node that restores it: it may have been lowered meanwhile
    expirySeconds = Math.min(kept.expirySeconds(), broker.options().getMaxSessionExpirySeconds());
    offlineSince = kept.offlineSince() > 0 ? kept.offlineSince() : now;
    for (StoredSession.Sub sub : kept.subscriptions()) {
      String[] shared = MqttTopics.isShared(sub.raw()) ? MqttTopics.splitShared(sub.raw()) : null;
      add(new Subscription(this, sub.raw(), shared == null ? sub.raw() : shared[1], shared == null ? null : shared[0],
        sub.qos(), sub.noLocal(), sub.retainAsPublished(), sub.identifier(), false));
    }
    for (Outgoing o : kept.pending()) {
      if (o.packetId > 0) {
        inflight.put(o.packetId, o);
        lastPacketId = Math.max(lastPacketId, o.packetId);
      } else {
        queue.add(o);
      }
      nextSeq = Math.max(nextSeq, o.seq + 1);
    }
    awaitingRelease.addAll(kept.awaitingRelease());
    stored = true;
    while (queue.size() > broker.options().getMaxQueuedMessages()) {
      forgot(queue.poll());
      broker.metrics().dropped(MqttMetrics.Drop.QUEUE_FULL);
    }
    store.saveState(this);
    long deadline = offlineSince + expirySeconds * 1000;
    expireIn(Math.max(1, deadline - now));
  }

  /**
   * A connection takes the session.
   *
   * @param expirySeconds how long the session outlives this connection: above 0 it is stored from now on, at 0 it is
   *                      no longer
   */
  void attach(MqttConnection next, long expirySeconds) {
    connection = next;
    cancelTimers();
    this.expirySeconds = expirySeconds;
    offlineSince = 0;
    persisted();
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
    if (destroyed) {
      // ended meanwhile (the node stops): nothing to keep or to write
      return;
    }
    this.expirySeconds = expirySeconds;
    if (expirySeconds <= 0) {
      destroy();
    } else {
      offlineSince = System.currentTimeMillis();
      persisted();
      expireIn(expirySeconds * 1000);
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

  /** After a change of expiry or of connection: the store keeps the session while it is persistent, only then. */
  private void persisted() {
    if (destroyed) {
      return;
    }
    if (expirySeconds > 0) {
      if (stored) {
        store.saveState(this);
      } else {
        stored = true;
        store.save(this);
      }
    } else if (stored) {
      stored = false;
      store.end(clientId);
    }
  }

  /** The subscriptions changed: a stored session's state is written again. */
  private void stateChanged() {
    if (stored && !destroyed) {
      store.saveState(this);
    }
  }

  private void kept(Outgoing o) {
    if (stored) {
      store.put(this, o);
    }
  }

  private void forgot(Outgoing o) {
    if (stored) {
      store.remove(this, o);
    }
  }

  /** @return whether the client's QoS 2 message {@code packetId} was taken and awaits its PUBREL */
  boolean awaitsRelease(int packetId) {
    return awaitingRelease.contains(packetId);
  }

  /** The client's QoS 2 message {@code packetId} was taken (PUBREC sent): a copy sent again is not routed again. */
  void awaitRelease(int packetId) {
    if (awaitingRelease.add(packetId) && stored) {
      store.awaitingRelease(this, packetId, true);
    }
  }

  /** The client released its QoS 2 message {@code packetId} (PUBREL). */
  void released(int packetId) {
    if (awaitingRelease.remove(packetId) && stored) {
      store.awaitingRelease(this, packetId, false);
    }
  }

  Set<Integer> awaitingRelease() {
    return awaitingRelease;
  }

  /** @return the QoS 1 and 2 messages in flight, then those queued, in order */
  List<Outgoing> pendingMessages() {
    List<Outgoing> all = new ArrayList<>(inflight.size() + queue.size());
    all.addAll(inflight.values());
    all.addAll(queue);
    return all;
  }

  /**
   * The node stops: the session leaves memory, and a stored one stays in the store as it is, to be restored by the
   * next start (a client still connected counts as gone from now). A will still pending is published, as at any end:
   * wills are not stored.
   */
  void shutdown() {
    if (stored && !destroyed) {
      if (connection != null) {
        offlineSince = System.currentTimeMillis();
        store.saveState(this);
      }
      // kept in this node's store for its next start (destroy does not end it there)
      stored = false;
    }
    // the other nodes no longer ask this one for it (destroy → forget)
    destroy();
  }

  /**
   * Gives the session to another node of the cluster, where its client came back: its state, waiting messages and
   * packet ids awaiting release as the store would keep them ({@link StoredSession}), taken from this node's memory
   * and store. Its will is not published: the client is back.
   *
   * @return {@code {state, messages, released}}
   */
  JsonObject handOver() {
    cancelTimers();
    JsonArray messages = new JsonArray();
    for (Outgoing o : pendingMessages()) {
      messages.add(StoredSession.messageJson(o));
    }
    JsonObject handed = new JsonObject().put("state", StoredSession.stateJson(this)).put("messages", messages)
      .put("released", new JsonArray(List.copyOf(awaitingRelease)));
    destroy();
    return handed;
  }

  /** Ends the session: its subscriptions, queues and bridge session. A will still pending is published first. */
  void destroy() {
    if (destroyed) {
      return;
    }
    if (stored) {
      stored = false;
      store.end(clientId);
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
    subscriptions.put(s.raw(), s);
    broker.trie().add(s);
    stateChanged();
  }

  /** Removes a subscription; @return whether it existed */
  boolean forget(String raw) {
    Subscription s = subscriptions.remove(raw);
    if (s == null) {
      return false;
    }
    broker.trie().remove(this, s.filter(), s.group());
    stateChanged();
    return true;
  }

  /**
   * Whether the session may receive what is published at {@code address}, by the bridge's outbound rules for its
   * identity (while that has not expired); remembered per address until the rules or the identity change.
   *
   * @param delivery the message, for the rules that match its body, made only for them; it gives {@code null} when
   *                 there is none to show (such rules then refuse)
   */
  boolean permits(String address, Supplier<Delivery> delivery) {
    BridgeRules rules = broker.bridge().rules();
    BridgeIdentity who = identity();
    if (who == null || who.expiresAt() > 0 && who.expired(System.currentTimeMillis() / 1000)) {
      return false;
    }
    forgetVerdictsUnless(rules, who);
    Boolean known = permitted.get(address);
    if (known != null) {
      return known;
    }
    BridgeRules.Check check = rules.checkOutbound(address, who);
    if (check.filtered()) {
      // a rule with a body match decides per message
      Delivery shown = check.permitted() ? delivery.get() : null;
      return shown != null && check.accepts(shown);
    }
    if (permitted.size() >= MAX_PERMISSION_CACHE) {
      permitted.clear();
    }
    permitted.put(address, check.permitted());
    return check.permitted();
  }

  /**
   * Why the bridge's inbound rules refuse the client's messages at {@code address} (a topic that is no event type),
   * or {@code null} when they permit them; remembered per address until the rules or the identity change, unless
   * some rule matches bodies (then each message is checked, its envelope made for it).
   */
  String publishRefusal(String address, BridgeIdentity who, LazyEnvelope envelope) {
    BridgeRules rules = broker.bridge().rules();
    if (rules.inboundReadsBodies()) {
      BridgeRules.Check check = rules.checkInbound(address, envelope.envelope(), who);
      return check.permitted() ? null : check.reason();
    }
    forgetVerdictsUnless(rules, who);
    String known = publishable.get(address);
    if (known == null) {
      BridgeRules.Check check = rules.checkInbound(address, null, who);
      known = check.permitted() ? "" : check.reason();
      if (publishable.size() >= MAX_PERMISSION_CACHE) {
        publishable.clear();
      }
      publishable.put(address, known);
    }
    return known.isEmpty() ? null : known;
  }

  /** The remembered verdicts hold for one set of rules and one identity. */
  private void forgetVerdictsUnless(BridgeRules rules, BridgeIdentity who) {
    if (rules != cachedRules || !who.equals(cachedIdentity)) {
      permitted.clear();
      publishable.clear();
      cachedRules = rules;
      cachedIdentity = who;
    }
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
    o.seq = nextSeq++;
    if (connection != null && queue.isEmpty() && inflight.size() < connection.window()) {
      send(o);
      kept(o);
      return;
    }
    if (queue.size() >= broker.options().getMaxQueuedMessages()) {
      forgot(queue.poll());
      broker.metrics().dropped(MqttMetrics.Drop.QUEUE_FULL);
    }
    queue.add(o);
    kept(o);
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
        forgot(o);
        continue;
      }
      send(o);
      // kept again: with its packet id now, so that a restored session resends it as the same packet
      kept(o);
    }
  }

  void onPuback(int packetId) {
    Outgoing o = inflight.get(packetId);
    if (o != null && o.qos == 1) {
      inflight.remove(packetId);
      forgot(o);
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
      forgot(o);
      drain();
      return;
    }
    o.released = true;
    kept(o);
    if (connection != null) {
      connection.sendPubrel(packetId);
    }
  }

  void onPubcomp(int packetId) {
    Outgoing o = inflight.get(packetId);
    if (o != null && o.qos == 2) {
      inflight.remove(packetId);
      forgot(o);
      drain();
    }
  }

  /** Drops in-flight messages the client can no longer take (sent to it when it is larger than it takes). */
  void abandon(int packetId) {
    Outgoing o = inflight.remove(packetId);
    if (o != null) {
      forgot(o);
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
    /** its place in the client's order, which the store keeps */
    long seq;
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
