package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.Delivery;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
  /**
   * On a request to a broker's inbox: the client id in the body connected to the asker; end its connection here and
   * give its session to the asker (or end it).
   */
  private static final String HAND_OVER_HEADER = "inos-mqtt-hand-over";
  /** The cluster-wide map: client id → the broker holding its session (its client connected, or persistent). */
  private static final String OWNERS_MAP = "inos.mqtt.session-owners";
  private static final long HAND_OVER_TIMEOUT_MS = 2_000;
  /** How long a CONNECT waits for the owners map; past it the client is accepted all the same. */
  private static final long OWNERS_TIMEOUT_MS = 2_000;
  /** for messages with no body to show the rules that match bodies (those rules then refuse) */
  private static final Supplier<Delivery> NO_DELIVERY = () -> null;

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
  private final TopicTrie trie = new TopicTrie(new TopicTrie.FilterWatcher() {
    @Override
    public void first(String filter) {
      if (!SysTopics.isSys(filter)) {
        interest.added(id, filter);
      }
    }

    @Override
    public void last(String filter) {
      if (!SysTopics.isSys(filter)) {
        interest.removed(id, filter);
      }
    }
  });
  private final Map<String, ClientSession> sessions = new HashMap<>();
  private final Set<MqttConnection> connections = new HashSet<>();
  /** which brokers of the cluster want which filters; shared with the node's other adapters */
  private final NodeInterest interest;
  /** this broker's id in the cluster */
  private final String id;
  /** retained MQTT messages from the other nodes (every node keeps every retained message) */
  private MessageConsumer<JsonObject> cluster;
  /** Nexus events and MQTT messages handed to this broker by the nodes that saw them published */
  private MessageConsumer<Object> inbox;
  private SysTopics sys;
  /** the QoS 0 PUBLISH being routed, encoded once for its subscribers */
  private final SharedFrames frames = new SharedFrames();
  private boolean left;
  /** client id → broker holding its session (see {@link #OWNERS_MAP}); {@code null} when not clustered */
  private AsyncMap<String, String> owners;
  /**
   * The client id whose session a new connection is taking here now ({@link #takeSession}): the end of its old session
   * keeps the client id's entry in {@link #owners}, which the new one holds.
   */
  private String taking;

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
    this.interest = NodeInterest.acquire(vertx);
    this.id = interest.newBrokerId();
  }

  /**
   * Loads what the stores kept (retained messages, persistent sessions; when Redis is away the node starts without
   * them and loads them once it is back), then starts the $SYS statistics and listening to the other nodes, when
   * clustered; one consumer per node.
   */
  public Future<Void> start() {
    Future<Void> linked = redis == null ? Future.succeededFuture() : redis.start();
    return linked.compose(v -> interest.join(id)).compose(v -> retained.open()).compose(v -> restoreSessions())
      .compose(v -> listen());
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
   * Restores stored sessions, offline, their subscriptions active: the messages their subscriptions match are checked
   * against the rules for the identity they had, and queued. A session whose client id is in use already (its client
   * came back before the store could be read) keeps the newer one; a stored session that expired is forgotten.
   */
  private Future<Void> restore(List<StoredSession> kept) {
    long now = System.currentTimeMillis();
    int restored = 0;
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
      newSession(stored.clientId()).restore(stored, now);
      owns(stored.clientId());
      restored++;
    }
    if (!kept.isEmpty()) {
      LOG.info("mqtt: {} persistent sessions restored from Redis", restored);
    }
    return Future.succeededFuture();
  }

  private Future<Void> listen() {
    if (options.getSysIntervalSeconds() > 0) {
      sys = new SysTopics(this, options.getSysIntervalSeconds());
      sys.start();
    }
    inbox = vertx.eventBus().consumer(NodeInterest.BROKER_ADDRESS_PREFIX + id, message -> {
      if (message.headers().contains(HAND_OVER_HEADER) && message.body() instanceof JsonObject asked) {
        message.reply(handOver(asked.getString("clientId"), asked.getString("user"),
          asked.getBoolean("anonymous", false), asked.getBoolean("cleanStart", false)));
        return;
      }
      String address = message.headers().get(NodeInterest.ADDRESS_HEADER);
      if (address != null && message.body() instanceof Buffer payload) {
        routeEvent(address, payload);
      } else if (message.body() instanceof JsonObject json) {
        routeFromCluster(PublicationJson.fromJson(json));
      }
    });
    if (!vertx.isClustered()) {
      return inbox.completion();
    }
    Future<Void> mapped = vertx.sharedData().<String, String>getClusterWideMap(OWNERS_MAP).map(map -> {
      owners = map;
      // the sessions restored from Redis before the map was there
      for (String clientId : sessions.keySet()) {
        owns(clientId);
      }
      return null;
    });
    cluster = vertx.eventBus().consumer(CLUSTER_ADDRESS, message -> {
      if (!id.equals(message.headers().get(NODE_HEADER))) {
        routeFromCluster(PublicationJson.fromJson(message.body()));
      }
    });
    return Future.all(inbox.completion(), cluster.completion(), mapped).mapEmpty();
  }

  /** This broker holds the session of {@code clientId}: the other nodes ask it when its client connects there. */
  private void owns(String clientId) {
    if (owners != null) {
      owners.put(clientId, id);
    }
  }

  /** This broker no longer holds the session of {@code clientId}. */
  private void disowns(String clientId) {
    if (owners != null) {
      owners.removeIfPresent(clientId, id);
    }
  }

  /**
   * Before a client is accepted here, whatever its clean start: this broker takes its client id in the cluster
   * (MQTT 3.1.4-3: a client id is one connection). When another broker held it, that broker ends the client's
   * connection there, if any (0x8E in MQTT 5, a close in 3.1.1), and hands its session over when the client resumes it
   * (clean start false) and is the session's own user (an anonymous client a guest's session, as MQTT has it): its
   * subscriptions, messages in flight and queued, packet ids awaiting release, which this broker then holds; else
   * that session ends there.
   *
   * <p>A client id seen nowhere else costs one operation on the cluster-wide map ({@code putIfAbsent}). Never fails:
   * without an answer in time (the map is slow, the other node is gone) the client starts here all the same, with a
   * new session when it had one elsewhere.
   *
   * @param who       the identity the client logged in with here
   * @param anonymous whether it gave no credentials
   */
  Future<Void> claim(String clientId, boolean cleanStart, BridgeIdentity who, boolean anonymous) {
    if (owners == null) {
      return Future.succeededFuture();
    }
    return owners.putIfAbsent(clientId, id).timeout(OWNERS_TIMEOUT_MS, TimeUnit.MILLISECONDS).compose(owner -> {
      if (owner == null || owner.equals(id)) {
        return Future.<Void>succeededFuture();
      }
      return takeFrom(owner, clientId, cleanStart, who, anonymous);
    }).recover(err -> {
      LOG.info("mqtt: the client id {} could not be claimed in the cluster ({}); it connects here all the same",
        clientId, err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The client id's connection and session on the broker {@code owner} end there (its session may come here). */
  private Future<Void> takeFrom(String owner, String clientId, boolean cleanStart, BridgeIdentity who,
                                boolean anonymous) {
    JsonObject asked = new JsonObject().put("clientId", clientId).put("user", who.userId()).put("anonymous", anonymous)
      .put("cleanStart", cleanStart);
    Future<Void> ended = vertx.eventBus().<JsonObject>request(NodeInterest.BROKER_ADDRESS_PREFIX + owner, asked,
        new DeliveryOptions().addHeader(HAND_OVER_HEADER, "1").setSendTimeout(HAND_OVER_TIMEOUT_MS))
      .<Void>map(reply -> {
        JsonObject handed = reply.body();
        if (handed != null && !sessions.containsKey(clientId)) {
          adoptHandedOver(clientId, handed);
        }
        return null;
      }).recover(err -> {
        LOG.info("mqtt: the node that had the client id {} did not answer ({}); its session starts here", clientId,
          err.getMessage());
        return Future.succeededFuture();
      });
    // the owner's own removal of its entry is conditional on its id, so it cannot undo this one
    return ended.compose(v -> owners.put(clientId, id).timeout(OWNERS_TIMEOUT_MS, TimeUnit.MILLISECONDS));
  }

  /** The connection that claimed {@code clientId} went away before it was accepted: the claim ends, unless in use. */
  void unclaim(String clientId) {
    if (!sessions.containsKey(clientId)) {
      disowns(clientId);
    }
  }

  /**
   * Another broker's client connected with a client id of a session here: its connection here ends (0x8E), and the
   * session is given to the asker when it resumes it and is its user, else it ends.
   *
   * @return the session given away, or {@code null}
   */
  private JsonObject handOver(String clientId, String user, boolean anonymous, boolean cleanStart) {
    ClientSession s = clientId == null ? null : sessions.get(clientId);
    if (s == null) {
      return null;
    }
    if (s.isOnline()) {
      s.connection().takenOver();
    }
    if (s.isDestroyed()) {
      // the connection's end ended the session (its expiry was 0)
      return null;
    }
    BridgeIdentity kept = s.identity();
    boolean theirs = kept != null && (kept.userId().equals(user) || anonymous && kept.guest());
    if (cleanStart || !s.isStored() || !theirs) {
      // as on one node (takeSession): a session its client id's new connection does not resume ends
      LOG.info("mqtt: the session of {} ends: its client id connected to another node{}", clientId,
        theirs || cleanStart ? "" : " as another user");
      s.destroy();
      return null;
    }
    return s.handOver();
  }

  private void adoptHandedOver(String clientId, JsonObject handed) {
    List<JsonObject> messages = new ArrayList<>();
    for (Object m : handed.getJsonArray("messages", new JsonArray())) {
      messages.add((JsonObject) m);
    }
    Set<Integer> released = new HashSet<>();
    for (Object p : handed.getJsonArray("released", new JsonArray())) {
      released.add(((Number) p).intValue());
    }
    StoredSession kept = StoredSession.read(clientId, handed.getJsonObject("state"), messages, released);
    ClientSession session = newSession(clientId);
    session.restore(kept, System.currentTimeMillis());
    // its messages are in the other node's store no longer, and not yet in this one's
    store.save(session);
    LOG.info("mqtt: the session of {} came from another node ({} messages waiting)", clientId, messages.size());
  }

  /** An MQTT client's message that another node accepted: its subscribers here. */
  private void routeFromCluster(Publication message) {
    route(message, new LazyEnvelope(message, message.origin(), MqttTopics.toAddress(message.topic())), true);
  }

  /** A new MQTT connection whose CONNECT arrived. */
  public void handle(MqttEndpoint endpoint) {
    new MqttConnection(this, endpoint, EndpointChannels.coalesceFlushes(endpoint)).start();
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

  SharedFrames frames() {
    return frames;
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

  /**
   * The session that a connection accepted here for {@code clientId} takes (MQTT 3.1.2-4, 3.1.4-3): an older
   * connection of the client id ends (0x8E), and its session is resumed when the new connection asks for it (clean
   * start false) and is the same user's (a client id is no credential); else that session ends and a new one begins.
   * The client id's entry in the cluster-wide owners map stays this broker's throughout.
   */
  ClientSession takeSession(String clientId, boolean cleanStart, BridgeIdentity who) {
    ClientSession existing = sessions.get(clientId);
    if (existing == null) {
      return newSession(clientId);
    }
    taking = clientId;
    try {
      if (existing.isOnline()) {
        existing.connection().takenOver();
      }
      boolean resumed = !existing.isDestroyed() && !cleanStart && sameUser(existing.identity(), who);
      if (resumed) {
        return existing;
      }
      existing.destroy();
      return newSession(clientId);
    } finally {
      taking = null;
    }
  }

  private static boolean sameUser(BridgeIdentity kept, BridgeIdentity next) {
    return kept != null && next != null && Objects.equals(kept.userId(), next.userId());
  }

  /** The session ended: it leaves the broker, and the cluster learns that the client id is free. */
  void forget(ClientSession session) {
    if (sessions.remove(session.clientId, session) && !session.clientId.equals(taking)) {
      disowns(session.clientId);
    }
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
    LazyEnvelope envelope = new LazyEnvelope(message, session.clientId, address);
    Future<Void> admitted = EventType.isValid(address) ? bs.send(address, envelope.envelope())
      : admitLocal(session, bs, address, envelope);
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
  private Future<Void> admitLocal(ClientSession session, BridgeSession bs, String address, LazyEnvelope envelope) {
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
    String refusal = session.publishRefusal(address, who, envelope);
    return refusal == null ? Future.succeededFuture()
      : Future.failedFuture(new BridgeException(BridgeError.ACCESS_DENIED, refusal));
  }

  /**
   * Delivers an accepted message to every matching subscription on this node (retaining it first when flagged), and,
   * when clustered, hands it to the other nodes: a retained one to all of them (each keeps every retained message),
   * any other one to the brokers whose sessions want it, once each.
   */
  void route(Publication message, LazyEnvelope envelope, boolean fromCluster) {
    if (message.retain() && !SysTopics.isSys(message.topic())) {
      retained.put(message).onSuccess(kept -> {
        if (!kept) {
          LOG.warn("mqtt: the retained store is full; '{}' is not retained", message.topic());
        }
      });
    }
    String address = MqttTopics.toAddress(message.topic());
    Supplier<Delivery> delivery = envelope == null ? NO_DELIVERY : envelope::delivery;
    // split once: the trie here and, clustered, the interest table
    String[] levels = message.topic().split("/", -1);
    trie.match(levels, s -> {
      ClientSession target = s.session();
      if (s.noLocal() && target.clientId.equals(message.origin())) {
        return;
      }
      if (!permits(target, message.topic(), address, delivery)) {
        metrics.dropped(MqttMetrics.Drop.DENIED);
        return;
      }
      target.offer(message, s, s.retainAsPublished() && message.retain());
    });
    if (cluster == null || fromCluster) {
      return;
    }
    if (message.retain()) {
      vertx.eventBus().publish(CLUSTER_ADDRESS, PublicationJson.toJson(message),
        new DeliveryOptions().addHeader(NODE_HEADER, id));
      return;
    }
    JsonObject json = null;
    for (String broker : interest.brokersFor(levels)) {
      if (!broker.equals(id)) {
        json = json == null ? PublicationJson.toJson(message) : json;
        vertx.eventBus().send(NodeInterest.BROKER_ADDRESS_PREFIX + broker, json);
      }
    }
  }

  /**
   * A Nexus event published at {@code address}, handed to this broker because some of its sessions want it: a PUBLISH
   * of its JSON envelope to each matching subscription whose session may read it (the bridge's outbound rules).
   */
  private void routeEvent(String address, Buffer payload) {
    String topic = MqttTopics.toTopic(address);
    if (topic == null || SysTopics.isSys(topic)) {
      return;
    }
    Publication message = new Publication(topic, payload, 2, false, MqttPayloads.ENVELOPE, 0, null);
    Delivery[] made = new Delivery[1];
    Supplier<Delivery> delivery = () -> made[0] != null ? made[0] : (made[0] = Delivery.of(address, payload, null));
    trie.match(topic, s -> {
      ClientSession target = s.session();
      if (!target.permits(address, delivery)) {
        metrics.dropped(MqttMetrics.Drop.DENIED);
        return;
      }
      target.offer(message, s, false);
    });
  }

  /**
   * Whether {@code target} may receive a message of {@code topic}: the server's own {@code $SYS} topics go to any
   * client that is not a guest, every other topic as the bridge's outbound rules say.
   */
  private static boolean permits(ClientSession target, String topic, String address, Supplier<Delivery> delivery) {
    if (SysTopics.isSys(topic)) {
      return SysTopics.mayRead(target.identity());
    }
    return target.permits(address, delivery);
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
        if (permits(target, message.topic(), MqttTopics.toAddress(message.topic()), NO_DELIVERY)) {
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
    frames.release();
    if (!left) {
      // close may come twice (a failed start, then the undeploy); the node's interest is released once
      left = true;
      interest.leave(id);
      interest.release();
    }
    Future<Void> unregistered = Future.join(cluster == null ? Future.succeededFuture() : cluster.unregister(),
      inbox == null ? Future.succeededFuture() : inbox.unregister()).mapEmpty();
    return unregistered.eventually(() -> redis == null ? Future.succeededFuture() : redis.close());
  }
}
