package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MQTT side of one Vert.x instance (a node): which brokers of the cluster want which topic filters, and the
 * hand-over of Nexus events to them. This is how an event published anywhere on the Nexus reaches every MQTT
 * subscription it matches, wildcards and shared ones included, without one event-bus consumer per filter or address:
 * <ul>
 *   <li>each broker (an MQTT adapter) tells the others the distinct filters its sessions hold, as they come and go,
 *   on {@value #GOSSIP_ADDRESS}; each node keeps them all in one {@link InterestTable};</li>
 *   <li>an outbound interceptor on the node's event bus matches every event <em>published</em> on this node (sends,
 *   i.e. requests and replies, are never for subscribers) against the table; when a broker wants it, the event's
 *   JSON envelope is made once and sent to each such broker at {@code inos.mqtt.broker.{id}}, once, whatever the
 *   number of its subscriptions that match; the broker matches it against its own sessions;</li>
 *   <li>a node that starts asks everyone's whole interest; every few seconds each broker tells a digest of its filters,
 *   and a node that disagrees asks for the whole again (a message missed while a node joined is mended so);</li>
 *   <li>a broker of a node that left the cluster is forgotten at the next sweep of the membership (every few
 *   seconds); a broker that stops says so.</li>
 * </ul>
 * Events that came from MQTT clients are not handed over: the adapter routes those itself, with their original
 * payload. A subscription made on one node sees the events published on another one from when that node learnt of
 * it (the gossip's delay), as with any event-bus registration.
 *
 * <p>One per Vert.x instance, shared by the adapters deployed in it (and {@link
 * io.inos.adapters.mqtt.MqttEventHandover} on a node without one), {@linkplain #acquire made} by the first and
 * {@linkplain #release ended} by the last. Its consumer and timer run on a context of its own. Public for that
 * hand-over only; not an API.
 */
public final class NodeInterest {

  private static final Logger LOG = LoggerFactory.getLogger(NodeInterest.class);
  /** Where brokers tell each other their interest: {@code {broker, add|remove: filter}}, {@code {broker, full: […]}}. */
  static final String GOSSIP_ADDRESS = "inos.mqtt.interest";
  /** The address of one broker, {@code inos.mqtt.broker.{id}}: events and MQTT messages handed to it. */
  static final String BROKER_ADDRESS_PREFIX = "inos.mqtt.broker.";
  /** On a Nexus event handed to a broker: the address it was published at (its body is the envelope). */
  static final String ADDRESS_HEADER = "inos-mqtt-address";
  private static final long SWEEP_MS = 3_000;
  private static final Map<Vertx, NodeInterest> NODES = new IdentityHashMap<>();
  private static final AtomicLong BROKERS = new AtomicLong();

  private final Vertx vertx;
  private final EventBus eventBus;
  private final ClusterManager cluster;
  private final ContextInternal context;
  private final InterestTable table = new InterestTable();
  /** the brokers of this node */
  private final Set<String> local = new HashSet<>();
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
  private MessageConsumer<JsonObject> gossip;
  /** completes once the gossip consumer listens */
  private Future<Void> listening = Future.succeededFuture();
  private long sweep = -1;
  private int users;

  private NodeInterest(Vertx vertx) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    VertxInternal internal = (VertxInternal) vertx;
    this.cluster = vertx.isClustered() ? internal.clusterManager() : null;
    this.context = internal.createEventLoopContext();
  }

  /** @return the node's interest, made and started by the first adapter of {@code vertx} */
  public static synchronized NodeInterest acquire(Vertx vertx) {
    NodeInterest node = NODES.computeIfAbsent(vertx, NodeInterest::new);
    if (node.users++ == 0) {
      node.start();
    }
    return node;
  }

  /** The adapter no longer needs it; the last one ends it. */
  public void release() {
    // under the lock of acquire, which counts the users too
    synchronized (NodeInterest.class) {
      if (--users > 0) {
        return;
      }
      NODES.remove(vertx);
    }
    eventBus.removeOutboundInterceptor(interceptor);
    context.runOnContext(v -> {
      if (sweep >= 0) {
        vertx.cancelTimer(sweep);
      }
      if (gossip != null) {
        gossip.unregister();
      }
    });
  }

  private void start() {
    eventBus.addOutboundInterceptor(interceptor);
    if (cluster == null) {
      return;
    }
    Promise<Void> ready = Promise.promise();
    listening = ready.future();
    context.runOnContext(v -> {
      gossip = eventBus.consumer(GOSSIP_ADDRESS, message -> heard(message.body()));
      sweep = vertx.setPeriodic(SWEEP_MS, id -> sweep());
      gossip.completion().onComplete(ready);
      // the node learns what the brokers already running want: each tells its whole interest
      ready.future().onSuccess(x -> eventBus.publish(GOSSIP_ADDRESS, new JsonObject().put("hello", true)));
    });
  }

  /**
   * Publishes what a broker of this node says, from the node's own context: everything this node says then leaves
   * in one order, so that a whole snapshot never overtakes a later change (each change is in the table before its
   * message is queued, so a snapshot taken later holds it).
   */
  private void tell(String broker, String key, Object value) {
    context.runOnContext(v -> eventBus.publish(GOSSIP_ADDRESS, new JsonObject().put("broker", broker).put(key, value)));
  }

  /** Publishes the whole interest of {@code broker}, as it is when the message leaves. */
  private void tellAll(String broker) {
    context.runOnContext(v -> eventBus.publish(GOSSIP_ADDRESS, new JsonObject().put("broker", broker)
      .put("full", new JsonArray(table.filtersOf(broker)))));
  }

  /**
   * A new broker id, unique in the cluster: its node's id first, so that the sweep knows which node it lives on.
   */
  String newBrokerId() {
    String node = cluster != null ? cluster.getNodeId() : "local-" + UUID.randomUUID();
    return node + "." + BROKERS.incrementAndGet();
  }

  /**
   * A broker of this node starts: the other nodes learn of it (what the others want, the node learnt when it
   * started).
   *
   * @return completes once the node listens to the others
   */
  Future<Void> join(String broker) {
    synchronized (this) {
      local.add(broker);
    }
    if (cluster == null) {
      return Future.succeededFuture();
    }
    return listening.map(v -> {
      tellAll(broker);
      return null;
    });
  }

  /** A broker of this node stops: its interest goes, here and on the other nodes. */
  void leave(String broker) {
    synchronized (this) {
      local.remove(broker);
    }
    table.forget(broker);
    if (cluster != null) {
      tell(broker, "full", new JsonArray());
    }
  }

  /** A broker of this node has a first subscription to {@code filter}. */
  void added(String broker, String filter) {
    table.add(broker, filter);
    if (cluster != null) {
      tell(broker, "add", filter);
    }
  }

  /** A broker of this node no longer has any subscription to {@code filter}. */
  void removed(String broker, String filter) {
    table.remove(broker, filter);
    if (cluster != null) {
      tell(broker, "remove", filter);
    }
  }

  /** @return the brokers wanting what is published at the topic whose levels are {@code levels} */
  List<String> brokersFor(String[] levels) {
    return table.isEmpty() ? List.of() : table.match(levels);
  }

  /**
   * What a node said: a change of one of its brokers' filters, a broker's whole interest, a digest of it (every few
   * seconds: a node that disagrees asks for the whole, so that a message lost or missed while a node joined is
   * mended), or {@code hello} from a node that starts or asks (each broker asked for, or all, answer with their whole
   * interest).
   */
  private void heard(JsonObject said) {
    String broker = said.getString("broker");
    if (broker != null && !isLocal(broker)) {
      String add = said.getString("add");
      String remove = said.getString("remove");
      JsonArray full = said.getJsonArray("full");
      String digest = said.getString("digest");
      if (add != null) {
        table.add(broker, add);
      } else if (remove != null) {
        table.remove(broker, remove);
      } else if (full != null) {
        table.replace(broker, full.stream().map(String::valueOf).toList());
      } else if (digest != null && !digest.equals(table.digestOf(broker))) {
        eventBus.publish(GOSSIP_ADDRESS, new JsonObject().put("hello", true).put("want", broker));
      }
    }
    if (said.getBoolean("hello", false)) {
      String wanted = said.getString("want");
      for (String own : localBrokers()) {
        if (wanted == null || wanted.equals(own)) {
          tellAll(own);
        }
      }
    }
  }

  private synchronized boolean isLocal(String broker) {
    return local.contains(broker);
  }

  private synchronized List<String> localBrokers() {
    return List.copyOf(local);
  }

  /**
   * Forgets the brokers of nodes that left the cluster (a node that dies cannot say so), and tells the digest of each
   * broker of this node, so that the others can check they agree.
   */
  private void sweep() {
    Set<String> nodes = new HashSet<>(cluster.getNodes());
    table.forgetIf(broker -> !nodes.contains(nodeOf(broker)));
    for (String own : localBrokers()) {
      eventBus.publish(GOSSIP_ADDRESS, new JsonObject().put("broker", own).put("digest", table.digestOf(own)));
    }
  }

  private static String nodeOf(String broker) {
    int dot = broker.lastIndexOf('.');
    return dot < 0 ? broker : broker.substring(0, dot);
  }

  /**
   * Every message leaving this node passes here (on its sender's thread), so the common case must cost nothing: no
   * broker wants anything, or the message is a send, or internal.
   */
  private void intercept(DeliveryContext<Object> delivery) {
    try {
      if (!delivery.send() && !table.isEmpty()) {
        forward(delivery);
      }
    } catch (RuntimeException e) {
      LOG.debug("mqtt: an event could not be handed to the MQTT brokers", e);
    }
    delivery.next();
  }

  private void forward(DeliveryContext<Object> delivery) {
    String address = delivery.message().address();
    if (address.startsWith("inos.") || address.startsWith("__vertx.") || address.indexOf('/') >= 0) {
      return;
    }
    List<String> brokers = table.match(address.split(":", -1));
    if (brokers.isEmpty()) {
      return;
    }
    Buffer payload = Delivery.of(address, delivery.body(), delivery.message().headers())
      .encoded(MqttPayloads.PAYLOAD);
    if (payload == null) {
      // it came from an MQTT client: routed already, with its own payload
      return;
    }
    DeliveryOptions options = new DeliveryOptions().addHeader(ADDRESS_HEADER, address);
    for (String broker : brokers) {
      eventBus.send(BROKER_ADDRESS_PREFIX + broker, payload, options);
    }
  }
}
