package io.inos.server.cluster;

import io.inos.testing.FreePorts;
import io.inos.testing.Polling;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.inos.adapters.amqp.AmqpAdapterOptions;
import io.inos.adapters.amqp.AmqpAdapterVerticle;
import io.inos.adapters.amqp.AmqpBinding;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.server.config.InosConfig;
import io.inos.server.config.InosConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two clustered nodes in one JVM, joined as the server joins them ({@link ClusterSetup}: Hazelcast, TCP/IP members
 * on loopback), each with the AMQP adapter and the same {@code out} binding: an event published once, on either
 * node, reaches RabbitMQ once — not once per node, although the event crosses to the other node's event bus.
 */
@Timeout(120)
class AmqpClusterTest {

  private static final String ORDER = "shop:place_order:v1:success";
  private static final int PER_NODE = 20;

  private final String prefix = "inos-cluster-amqp-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final String exchange = prefix + "x";
  private final String queue = prefix + "q";
  private final List<Vertx> nodes = new ArrayList<>();
  private Connection rabbit;
  private Channel channel;

  @BeforeEach
  void setUp() throws Exception {
    rabbit = new ConnectionFactory().newConnection("inos-cluster-amqp-test");
    channel = rabbit.createChannel();
    channel.exchangeDeclare(exchange, "topic", true);
    channel.queueDeclare(queue, false, false, false, null);
    channel.queueBind(queue, exchange, "#");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      for (Vertx node : nodes) {
        await(node.close());
      }
    } finally {
      channel.queueDelete(queue);
      channel.exchangeDelete(exchange);
      rabbit.close();
    }
  }

  @Test
  void anEventPublishedOnceReachesTheBrokerOnceWhateverTheNodes() throws Exception {
    String cluster = "inos-amqp-test-" + UUID.randomUUID();
    int first = FreePorts.belowEphemeralRange();
    Vertx a = node(cluster, first, first);
    Vertx b = node(cluster, FreePorts.belowEphemeralRange(), first);
    Nexus nexusA = Nexus.create(a);
    Nexus nexusB = Nexus.create(b);
    AmqpAdapterVerticle adapterA = adapter(nexusA, "node-a");
    AmqpAdapterVerticle adapterB = adapter(nexusB, "node-b");
    await(a.deployVerticle(adapterA));
    await(b.deployVerticle(adapterB));
    // a subscriber of the type on each node: every event does reach both nodes
    Set<String> seenOnA = ConcurrentHashMap.newKeySet();
    Set<String> seenOnB = ConcurrentHashMap.newKeySet();
    await(a.eventBus().<Event>consumer(ORDER, m -> seenOnA.add(m.body().id())).completion());
    await(b.eventBus().<Event>consumer(ORDER, m -> seenOnB.add(m.body().id())).completion());
    List<String> arrived = new CopyOnWriteArrayList<>();
    channel.basicConsume(queue, true, (tag, delivery) -> arrived.add(delivery.getProperties().getMessageId()),
      tag -> { });

    for (int i = 0; i < PER_NODE; i++) {
      nexusA.publish(Event.builder(ORDER).id("a-" + i).build());
      nexusB.publish(Event.builder(ORDER).id("b-" + i).build());
    }
    until("every event on both nodes", () -> seenOnA.size() == 2 * PER_NODE && seenOnB.size() == 2 * PER_NODE);
    // a fence per node, published after each node's adapter was handed every event of the other node (had it
    // listened cluster-wide): a node forwards in the order it was handed events, so a copy of another node's event
    // would reach the queue before its fence
    nexusA.publish(Event.builder(ORDER).id("a-fence").build());
    nexusB.publish(Event.builder(ORDER).id("b-fence").build());
    until("both fences in the queue", () -> arrived.contains("a-fence") && arrived.contains("b-fence"));
    until("every event confirmed", () -> adapterA.stats().outboundHeld() == 0 && adapterB.stats().outboundHeld() == 0);

    assertEquals(2 * PER_NODE + 2, arrived.size(), "one message per event: " + arrived);
    assertEquals(2 * PER_NODE + 2, Set.copyOf(arrived).size());
    assertEquals(PER_NODE + 1, adapterA.stats().messagesOut(), "node A forwarded its own events");
    assertEquals(PER_NODE + 1, adapterB.stats().messagesOut(), "node B forwarded its own events");
  }

  private AmqpAdapterVerticle adapter(Nexus nexus, String name) {
    return new AmqpAdapterVerticle(nexus, new AmqpAdapterOptions().setUri("amqp://guest:guest@127.0.0.1:5672")
      .setConnectionName(name).addBinding(AmqpBinding.out(ORDER, exchange, "orders")));
  }

  /** A node joined through the server's own cluster setup. */
  private Vertx node(String cluster, int port, int firstMember) {
    InosConfig config = InosConfigLoader.load((Path) null, Map.of(
      "INOS_CLUSTER", "true",
      "INOS_CLUSTER_NAME", cluster,
      "INOS_CLUSTER_HOST", "127.0.0.1",
      "INOS_CLUSTER_PORT", Integer.toString(port),
      "INOS_CLUSTER_MEMBERS", "127.0.0.1:" + firstMember));
    Vertx node = await(Vertx.builder().with(ClusterSetup.vertxOptions(config, new VertxOptions()))
      .withClusterManager(ClusterSetup.clusterManager(config)).buildClustered());
    nodes.add(node);
    return node;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result within 60 s", e);
    }
  }

  private static void until(String what, BooleanSupplier condition) throws InterruptedException {
    Polling.awaitUntil(what, java.time.Duration.ofSeconds(30), condition);
  }
}
