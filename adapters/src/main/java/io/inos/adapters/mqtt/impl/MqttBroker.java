package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.GuestIds;
import io.inos.adapters.mqtt.MqttAdapterOptions;
import io.inos.adapters.mqtt.MqttAuthenticator;
import io.inos.adapters.mqtt.MqttStats;
import io.inos.adapters.mqtt.MqttTopics;
import io.inos.adapters.mqtt.Publication;
import io.inos.adapters.mqtt.RetainedStore;
import io.inos.nexus.EventType;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The MQTT server's state on one node: the sessions by client id, the topic trie, the retained store, the counters,
 * and the routing of MQTT messages (see the package documentation). Everything runs on the adapter's context.
 *
 * <p>With a Redis URL in the options, retained messages and persistent sessions are kept in Redis too (one link,
 * {@link MqttRedis}), loaded by {@link #start()} and left there by {@link #close()}, so that the next start goes on
 * where this one stopped.
 */
public final class MqttBroker {

  private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);
  /** The one event-bus address over which the nodes of a cluster hand each other MQTT clients' messages. */
  public static final String CLUSTER_ADDRESS = "inos.mqtt.publications";
  private static final String NODE_HEADER = "inos-mqtt-node";

  private final Vertx vertx;
  private final Bridge bridge;
  private final MqttAdapterOptions options;
  private final RetainedStore retained;
  /** the link to Redis where retained messages and persistent sessions are kept; {@code null}: memory only */
  private final MqttRedis redis;
  private final SessionStore store;
  private final MqttAuthenticator authenticator;
  private final MqttMetrics metrics;
  /** Read once: {@link Bridge#options()} is a defensive copy (its rules compiled again), too dear for each PUBLISH. */
  private final int maxAddressLength;
  private final TopicTrie trie = new TopicTrie();
  private final Map<String, ClientSession> sessions = new HashMap<>();
  private final Set<MqttConnection> connections = new HashSet<>();
  private final String node = UUID.randomUUID().toString();
  private MessageConsumer<JsonObject> cluster;
  private SysTopics sys;

  /**
   * @param retained where retained messages are kept, or {@code null} for the options' choice: Redis when
   *                 {@link MqttAdapterOptions#getRedisUrl()} is set, else this node's memory
   */
  public MqttBroker(Vertx vertx, Bridge bridge, MqttAdapterOptions options, RetainedStore retained) {
    this.vertx = vertx;
    this.bridge = bridge;
    this.options = options;
    this.authenticator = options.getAuthenticator() != null ? options.getAuthenticator()
      : MqttAuthenticator.bearerTokens();
    MeterRegistry registry = options.getMeterRegistry() != null ? options.getMeterRegistry()
      : bridge.options().getMeterRegistry() != null ? bridge.options().getMeterRegistry()
      : bridge.nexus().options().getMeterRegistry();
    this.redis = options.getRedisUrl() == null ? null : new MqttRedis(vertx, options.getRedisUrl(), registry);
    this.retained = retained != null ? retained : redis != null
      ? new RedisRetainedStore(redis, options.getRedisKeyPrefix(), options.getMaxRetainedMessages())
      : new InMemoryRetainedStore(options.getMaxRetainedMessages());
    this.store = redis == null ? SessionStore.MEMORY
      : new RedisSessionStore(redis, options.getRedisKeyPrefix(), sessions::get);
    this.metrics = new MqttMetrics(registry, connections::size, sessions::size, this.retained::size);
    this.maxAddressLength = bridge.options().getMaxAddressLength();
  }

  /**
   * Loads what the stores kept (retained messages, persistent sessions; when Redis is away the node starts without
   * them and loads them once it is back), then starts the $SYS statistics and listening to the other nodes, when
   * clustered; one consumer per node.
   */
  public Future<Void> start() {
    Future<Void> linked = redis == null ? Future.succeededFuture() : redis.start();
    return linked.compose(v -> retained.open()).compose(v -> restoreSessions()).compose(v -> listen());
  }

  private Future<Void> restoreSessions() {
    return store.load().compose(this::restore).recover(err -> {
      LOG.warn("mqtt: the persistent sessions in Redis cannot be read now ({}); they are restored when it is back",
        err.getMessage());
      store.loadWhenBack(this::restore);
      return Future.succeededFuture();
    });
  }

  /**
   * Restores stored sessions (offline, with a bridge session reopened for their identity so exact subscriptions
   * receive the Nexus's events again). A session whose client id is in use already (its client came back before the
   * store could be read) keeps the newer one; a stored session that expired is forgotten.
   *
   * @return completes when every session is restored, its bridge subscriptions made or refused
   */
  private Future<Void> restore(List<StoredSession> kept) {
    long now = System.currentTimeMillis();
    List<Future<Void>> reopened = new ArrayList<>();
    for (StoredSession stored : kept) {
      ClientSession current = sessions.get(stored.clientId());
      // a session whose client was online when the node stopped counts as offline from now
      long offline = stored.offlineSince() > 0 ? stored.offlineSince() : now;
      long expiry = Math.min(stored.expirySeconds(), options.getMaxSessionExpirySeconds());
      if (current != null || stored.identity() == null || offline + expiry * 1000 <= now) {
        if (current == null || !current.isStored()) {
          store.end(stored.clientId());
        }
        continue;
      }
      ClientSession session = newSession(stored.clientId());
      session.restore(stored, now);
      reopened.add(reopen(session, stored.identity()));
    }
    if (!kept.isEmpty()) {
      LOG.info("mqtt: {} persistent sessions restored from Redis", reopened.size());
    }
    return Future.join(reopened).mapEmpty();
  }

  /**
   * Opens a bridge session for a restored session's identity: a guest by its guest id, a user by a token of the
   * bridge's own issuer with the same roles, campaigns and expiry as the token it connected with. When the bridge
   * refuses (the identity expired, guests are no longer admitted, the key only verifies) the session waits for its
   * client without one: its wildcard subscriptions still match MQTT messages, checked against the rules for its
   * identity, and its exact ones move to the client's bridge session when it comes back.
   */
  private Future<Void> reopen(ClientSession session, BridgeIdentity who) {
    BridgeCredentials credentials;
    try {
      if (who.guest()) {
        if (!GuestIds.isGuestId(who.userId())) {
          return Future.succeededFuture();
        }
        credentials = BridgeCredentials.guest(who.userId());
      } else {
        JsonObject claims = new JsonObject().put("sub", who.userId()).put("roles", new JsonArray(List.copyOf(who.roles())))
          .put("campaigns", new JsonArray(List.copyOf(who.campaigns())));
        if (who.expiresAt() > 0) {
          claims.put("exp", who.expiresAt());
        }
        credentials = BridgeCredentials.bearer(bridge.tokenIssuer().issue(claims));
      }
    } catch (RuntimeException e) {
      LOG.info("mqtt: the restored session of {} waits for its client without a bridge session: {}", session.clientId,
        e.getMessage());
      return Future.succeededFuture();
    }
    SessionSink sink = new SessionSink();
    return bridge.open(credentials, sink, "mqtt").compose(bs -> {
      if (session.isDestroyed() || session.bridge() != null) {
        // its client came back first
        bs.close();
        return Future.<Void>succeededFuture();
      }
      sink.owner(session);
      return session.adopt(bs);
    }).recover(err -> {
      LOG.info("mqtt: the restored session of {} waits for its client without a bridge session: {}", session.clientId,
        err.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> listen() {
    if (options.getSysIntervalSeconds() > 0) {
      sys = new SysTopics(this, options.getSysIntervalSeconds());
      sys.start();
    }
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    cluster = vertx.eventBus().consumer(CLUSTER_ADDRESS, message -> {
      if (!node.equals(message.headers().get(NODE_HEADER))) {
        Publication p = PublicationJson.fromJson(message.body());
        route(p, null, true);
      }
    });
    return cluster.completion();
  }

  /** A new MQTT connection whose CONNECT arrived. */
  public void handle(MqttEndpoint endpoint) {
    EndpointChannels.coalesceFlushes(endpoint);
    new MqttConnection(this, endpoint).start();
  }

  Vertx vertx() {
    return vertx;
  }

  Bridge bridge() {
    return bridge;
  }

  MqttAuthenticator authenticator() {
    return authenticator;
  }

  public MqttAdapterOptions options() {
    return options;
  }

  public MqttMetrics metrics() {
    return metrics;
  }

  TopicTrie trie() {
    return trie;
  }

  ClientSession session(String clientId) {
    return sessions.get(clientId);
  }

  SessionStore sessionStore() {
    return store;
  }

  ClientSession newSession(String clientId) {
    ClientSession session = new ClientSession(this, clientId);
    sessions.put(clientId, session);
    return session;
  }

  void forget(ClientSession session) {
    sessions.remove(session.clientId, session);
  }

  void connected(MqttConnection connection) {
    connections.add(connection);
  }

  void disconnected(MqttConnection connection) {
    connections.remove(connection);
  }

  /**
   * A message from {@code session}'s client (a PUBLISH or its will): checked by the bridge, sent to the Nexus when its
   * address is an event type, and routed to the MQTT subscribers.
   *
   * @return the reason code for the PUBACK / PUBREC: 0 when accepted, else the refusal's MQTT 5 code
   */
  Future<Integer> publishFrom(ClientSession session, Publication message) {
    BridgeSession bs = session.bridge();
    if (bs == null || bs.isClosed()) {
      return Future.succeededFuture(0x80);
    }
    String address = MqttTopics.toAddress(message.topic());
    JsonObject envelope = MqttPayloads.toEnvelope(message, session.clientId);
    Future<Void> admitted = EventType.isValid(address) ? bs.send(address, envelope)
      : admitLocal(bs, address, envelope);
    return admitted.map(v -> {
      metrics.in();
      route(message, envelope, false);
      return 0;
    }).recover(err -> {
      BridgeException refused = BridgeException.of(err, BridgeError.INVALID_EVENT);
      metrics.dropped(switch (refused.error()) {
        case RATE_LIMIT_EXCEEDED -> MqttMetrics.Drop.RATE_LIMITED;
        case ACCESS_DENIED, NOT_AUTHENTICATED, INVALID_TOKEN -> MqttMetrics.Drop.DENIED;
        default -> MqttMetrics.Drop.INVALID;
      });
      LOG.debug("mqtt: publish of {} to {} refused: {}", session.clientId, message.topic(), refused.toString());
      return Future.succeededFuture(refused.error().outcome().mqttReasonCode());
    });
  }

  /**
   * The checks of a bridge publish for a topic that is no event type (it stays among MQTT clients): the rate, the
   * identity, the address length and the inbound rules.
   */
  private Future<Void> admitLocal(BridgeSession bs, String address, JsonObject envelope) {
    if (!bs.admit()) {
      return Future.failedFuture(new BridgeException(BridgeError.RATE_LIMIT_EXCEEDED,
        "more messages per second than this connection may send"));
    }
    BridgeIdentity who = bs.identity();
    if (who == null || who.expired(System.currentTimeMillis() / 1000)) {
      return Future.failedFuture(new BridgeException(BridgeError.INVALID_TOKEN, "invalid_token: expired"));
    }
    if (address.length() > maxAddressLength) {
      return Future.failedFuture(new BridgeException(BridgeError.ADDRESS_TOO_LONG, "the topic is too long"));
    }
    BridgeRules.Check check = bridge.rules().checkInbound(address, envelope, who);
    return check.permitted() ? Future.succeededFuture()
      : Future.failedFuture(new BridgeException(BridgeError.ACCESS_DENIED, check.reason()));
  }

  /**
   * Delivers an accepted message to every matching subscription on this node (retaining it first when flagged), and
   * hands it once to the other nodes when clustered.
   */
  void route(Publication message, JsonObject envelope, boolean fromCluster) {
    if (message.retain() && !SysTopics.isSys(message.topic())) {
      retained.put(message).onSuccess(kept -> {
        if (!kept) {
          LOG.warn("mqtt: the retained store is full; '{}' is not retained", message.topic());
        }
      });
    }
    String address = MqttTopics.toAddress(message.topic());
    trie.match(message.topic(), s -> {
      ClientSession target = s.session();
      if (s.noLocal() && target.clientId.equals(message.origin())) {
        return;
      }
      if (!target.provedByBridge(s) && !permits(target, message.topic(), address, envelope)) {
        metrics.dropped(MqttMetrics.Drop.DENIED);
        return;
      }
      target.offer(message, s, s.retainAsPublished() && message.retain());
    });
    if (cluster != null && !fromCluster) {
      vertx.eventBus().publish(CLUSTER_ADDRESS, PublicationJson.toJson(message),
        new DeliveryOptions().addHeader(NODE_HEADER, node));
    }
  }

  /**
   * Whether {@code target} may receive a message of {@code topic}: the server's own {@code $SYS} topics go to any
   * client that is not a guest, every other topic as the bridge's outbound rules say.
   */
  private static boolean permits(ClientSession target, String topic, String address, JsonObject envelope) {
    if (SysTopics.isSys(topic)) {
      return SysTopics.mayRead(target.identity());
    }
    return target.permits(address, envelope);
  }

  /**
   * Publishes one of the server's own messages (a {@code $SYS} statistic) to the matching subscriptions of this node,
   * retained; it never reaches the Nexus or the other nodes.
   */
  void publishLocal(Publication message) {
    route(message, null, true);
  }

  /** Sends the retained messages matching a new subscription, each as permitted to its session. */
  void sendRetained(Subscription s) {
    if (!s.sendRetained()) {
      return;
    }
    if (sys != null && s.filter().startsWith("$")) {
      for (Publication message : sys.matching(s.filter())) {
        if (SysTopics.mayRead(s.session().identity()) && !s.session().isDestroyed()) {
          s.session().offer(message, s, true);
        }
      }
    }
    retained.match(s.filter()).onSuccess(found -> {
      for (Publication message : found) {
        ClientSession target = s.session();
        if (target.isDestroyed()) {
          return;
        }
        if (target.provedByBridge(s)
          || permits(target, message.topic(), MqttTopics.toAddress(message.topic()), null)) {
          target.offer(message, s, true);
        }
      }
    });
  }

  /**
   * Ends at once every connection that logged in with {@code username} and a password that is no token (a login a
   * credential store checked, e.g. a device that was just disabled): DISCONNECT 0x98 Administrative action in MQTT 5,
   * a close in 3.1.1. The store refuses its next CONNECT itself.
   *
   * @return how many connections were ended
   */
  public int disconnectLogin(String username, String reason) {
    int ended = 0;
    for (MqttConnection c : new ArrayList<>(connections)) {
      if (c.loggedInWithPassword(username)) {
        c.endByAdministrator(reason);
        ended++;
      }
    }
    return ended;
  }

  /** @return the counters now */
  public MqttStats stats() {
    return new MqttStats(connections.size(), sessions.size(), trie.size(), retained.size(),
      metrics.connectionsAccepted.get(), metrics.connectionsRefused.get(), metrics.messagesIn.get(),
      metrics.messagesOut.get(), metrics.droppedTotal());
  }

  /**
   * Ends every session in memory (stored ones stay in the store, for the next start), the cluster consumer, and the
   * link to Redis once the writes on their way are done.
   */
  public Future<Void> close() {
    if (sys != null) {
      sys.stop();
    }
    for (ClientSession session : new ArrayList<>(sessions.values())) {
      session.shutdown();
    }
    metrics.close();
    Future<Void> unregistered = cluster == null ? Future.succeededFuture() : cluster.unregister();
    return unregistered.eventually(() -> redis == null ? Future.succeededFuture() : redis.close());
  }
}
