package io.inos.server;

import io.inos.testing.ClusterNodes;
import io.inos.testing.CommandLineClient;
import io.inos.testing.PrivateRedis;
import io.inos.testing.SseClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.inos.testing.ClusterNodes.await;
import static io.inos.testing.ClusterNodes.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three INOS nodes, each a JVM of its own on loopback, clustered through Hazelcast with a TCP/IP member list, one
 * shared PostgreSQL database and the Redis extension on a redis-server of the test's own: a request made on node A is
 * served by a service that runs only on node C, a publish on node B reaches stream subscribers connected to A and C
 * and MQTT subscribers with wildcards on A and C (B runs no MQTT server), and when B is killed the others see it
 * leave. A device's persistent MQTT session follows it from A to C; a client id connected on A and then on C stays
 * connected on C only. A fourth node, D, joins late and hands its events
 * to the MQTT filters that were there before it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterProcessTest {

  private static final String FEED = "feed:post_news:v1:completed";
  private static final String RULES = new JsonObject()
    .put("inboundPermitteds", new JsonArray()
      .add(new JsonObject().put("addressRegex", "echo:[a-z]+:v1:requested"))
      .add(new JsonObject().put("address", FEED)))
    .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
    .encode();

  @TempDir
  Path dir;
  private Vertx vertx;
  private WebClient web;
  private ClusterNodes nodes;
  private PrivateRedis redis;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    redis = PrivateRedis.start(dir);
    nodes = ClusterNodes.of(vertx, dir, List.of("A", "B", "C", "D"), Map.of("INOS_BRIDGE_RULES", RULES,
        "INOS_REDIS_URL", redis.url()))
      .env("C", "TEST_SERVE_ECHO", "true")
      // B runs no MQTT server: it still hands its events to the MQTT clients of A and C
      .env("B", "INOS_MQTT_PORT", "-1")
      // D joins the running cluster late, also without the MQTT server
      .env("D", "INOS_MQTT_PORT", "-1");
  }

  @AfterEach
  void tearDown() {
    try {
      nodes.close();
      redis.close();
    } finally {
      web.close();
      await(vertx.close());
    }
  }

  @Test
  void requestsAndPublishesCrossNodesAndALostNodeIsNoticed() throws Exception {
    nodes.startAllBut(List.of("D"));
    for (String node : List.of("A", "B", "C")) {
      // every node runs with the Redis extension, and it is up
      awaitUntil(node + " reports Redis up", () -> nodes.get(node, "/ready").bodyAsJsonObject().getJsonArray("checks")
        .stream().map(JsonObject.class::cast)
        .anyMatch(c -> "redis".equals(c.getString("name")) && "UP".equals(c.getString("status"))));
    }

    // a request made on A is served on C, the only node with the echo service
    JsonObject answer = await(web.post(nodes.httpPort("A"), "127.0.0.1", "/api/echo_ops")
      .sendJsonObject(new JsonObject().put("action", "shout").put("text", "across"))).bodyAsJsonObject();
    assertEquals("echo:shout:v1:success", answer.getString("type"), answer.encode());
    JsonObject data = answer.getJsonObject("payload").getJsonObject("data");
    assertEquals("ACROSS", data.getString("shout"));
    assertEquals("C", data.getString("node"));

    // a publish on B reaches the stream subscribers connected to A and to C
    SseClient onA = await(SseClient.open(vertx, nodes.httpPort("A"), FEED, null));
    SseClient onC = await(SseClient.open(vertx, nodes.httpPort("C"), FEED, null));
    String marker = "news-" + UUID.randomUUID();
    int published = await(web.post(nodes.httpPort("B"), "127.0.0.1", "/api/events")
      .sendJsonObject(new JsonObject().put("type", FEED)
        .put("payload", new JsonObject().put("data", new JsonObject().put("headline", marker))))).statusCode();
    assertEquals(202, published);
    awaitUntil("A's subscriber gets the news", () -> onA.count(f -> f.data().contains(marker)) == 1);
    awaitUntil("C's subscriber gets the news", () -> onC.count(f -> f.data().contains(marker)) == 1);

    mqttWildcardAndSharedSubscriptionsSeeEventsOfOtherNodes();
    aPersistentMqttSessionFollowsItsDeviceToAnotherNode();
    aClientIdIsOneConnectionAcrossTheCluster("mqttv5", "A", "C", "Received DISCONNECT (142)");
    // MQTT 3.1.1 has no DISCONNECT from the server: the connection is closed, and mosquitto_sub connects again
    aClientIdIsOneConnectionAcrossTheCluster("mqttv311", "C", "A", "sending CONNECT");

    // B dies without a word: A and C see it leave, count it, and keep serving
    nodes.kill("B");
    for (String node : List.of("A", "C")) {
      awaitUntil(node + " sees B leave", () -> nodes.clusterMembers(node) == 2);
    }
    // the member list changes first; the listener that counts hears of it a moment later
    awaitUntil("A counts the leave", () -> nodes.get("A", "/metrics").bodyAsString().lines()
      .anyMatch(l -> l.equals("inos_cluster_member_leaves_total 1.0")));
    JsonObject again = await(web.post(nodes.httpPort("A"), "127.0.0.1", "/api/echo_ops")
      .sendJsonObject(new JsonObject().put("action", "shout").put("text", "still"))).bodyAsJsonObject();
    assertEquals("STILL", again.getJsonObject("payload").getJsonObject("data").getString("shout"), again.encode());

    // a node that joins later learns the MQTT filters held already, and hands its events to them
    try (CommandLineClient mqttOnA = mosquittoSub("A", "feed/#")) {
      nodes.startLate("D", 3);
      awaitHandedOver("D", mqttOnA, "late-");
    }
  }

  /**
   * MQTT subscriptions with wildcards, shared or not, on A and C, get the events published on B (a REST publish on a
   * node without the MQTT server), and a device's publish on C reaches A once, with the device's bytes: no node has
   * an event-bus consumer per filter; each tells the others its filters.
   */
  private void mqttWildcardAndSharedSubscriptionsSeeEventsOfOtherNodes() throws Exception {
    try (CommandLineClient onA = mosquittoSub("A", "feed/+/v1/completed");
         CommandLineClient onC = mosquittoSub("C", "$share/news/feed/#")) {
      // B learns of the two filters a moment after the SUBACKs
      for (CommandLineClient sub : List.of(onA, onC)) {
        awaitHandedOver("B", sub, "warm-");
      }
      String fromB = "news-" + UUID.randomUUID();
      publishOn("B", fromB);
      onA.awaitLine(fromB);
      onC.awaitLine(fromB);

      String fromDevice = "news-" + UUID.randomUUID();
      String payload = new JsonObject().put("headline", fromDevice).encode();
      CommandLineClient.run("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(nodes.mqttPort("C")), "-q", "1",
        "-t", "feed/post_news/v1/completed", "-m", payload);
      assertEquals(payload, onA.awaitLine("news-"), "the device's own bytes, not the event made of them");
      String next = "news-" + UUID.randomUUID();
      publishOn("B", next);
      assertTrue(onA.awaitLine("news-").contains(next), "the device's message came once");
    }
  }

  /**
   * A device with a persistent session (clean session false) on A goes away; an event is published for it meanwhile;
   * it comes back on C: C takes the session from A and delivers what was queued (or in flight) there.
   */
  private void aPersistentMqttSessionFollowsItsDeviceToAnotherNode() throws Exception {
    String device = "roamer-" + UUID.randomUUID();
    try (CommandLineClient first = persistentSub("A", device)) {
      awaitHandedOver("B", first, "roam-warm-");
    }
    // the device is gone (its process killed): its session waits on A
    String queued = "queued-" + UUID.randomUUID();
    publishOn("B", queued);
    // (the queued message comes right after CONNACK, before the SUBACK of the subscription mosquitto_sub makes again)
    try (CommandLineClient again = CommandLineClient.follow(persistentSubCommand("C", device))) {
      again.awaitLine(queued);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + mqttLines("A") + mqttLines("C"), e);
    }
  }

  /**
   * Two clients with the same client id and clean sessions, the first on {@code firstNode}, then one on
   * {@code secondNode}: the first one's connection ends (MQTT 3.1.4-3), and the second one gets the events.
   *
   * @param firstEnded what the first mosquitto_sub prints once its connection was ended
   */
  private void aClientIdIsOneConnectionAcrossTheCluster(String version, String firstNode, String secondNode,
                                                        String firstEnded) throws Exception {
    String twin = "twin-" + UUID.randomUUID();
    try (CommandLineClient first = CommandLineClient.follow(twinCommand(version, firstNode, twin))) {
      first.awaitLine("SUBACK");
      try (CommandLineClient second = CommandLineClient.follow(twinCommand(version, secondNode, twin))) {
        second.awaitLine("SUBACK");
        try {
          first.awaitLine(firstEnded);
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "\n" + mqttLines(firstNode) + mqttLines(secondNode), e);
        }
        // mosquitto_sub connects again after a second, and would take the client id back, as with any broker
        first.close();
        awaitHandedOver("B", second, "for-twin-");
      }
    }
  }

  /** mosquitto_sub with a given client id and a clean session. */
  private String[] twinCommand(String version, String node, String clientId) {
    return subCommand(node, "feed/+/v1/completed", "-V", version, "-i", clientId);
  }

  /**
   * Publishes numbered events on {@code node} until {@code subscriber} prints one: the node has learnt of the
   * subscriber's filter, which it hears of a moment after the SUBACK.
   */
  private void awaitHandedOver(String node, CommandLineClient subscriber, String prefix) {
    int[] round = {0};
    awaitUntil(node + " hands its events to the MQTT subscriber", () -> {
      publishOn(node, prefix + round[0]++);
      return subscriber.printedWithin(prefix, 500);
    });
  }

  /** The MQTT lines of a node's output, for a failure's message. */
  private String mqttLines(String node) {
    return node + ":\n" + nodes.output(node).lines().filter(l -> l.contains("mqtt")).collect(
      java.util.stream.Collectors.joining("\n")) + "\n";
  }

  private CommandLineClient persistentSub(String node, String clientId) throws Exception {
    return subscribed(persistentSubCommand(node, clientId));
  }

  /** mosquitto_sub with clean session false: the session outlives the connection. */
  private String[] persistentSubCommand(String node, String clientId) {
    return subCommand(node, "feed/+/v1/completed", "-i", clientId, "-c");
  }

  private CommandLineClient mosquittoSub(String node, String filter) throws Exception {
    return subscribed(subCommand(node, filter, "-V", "mqttv5"));
  }

  /** @return mosquitto_sub on {@code node}'s MQTT port with {@code options}, at QoS 1, printing its packets */
  private String[] subCommand(String node, String filter, String... options) {
    List<String> argv = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
      String.valueOf(nodes.mqttPort(node))));
    argv.addAll(List.of(options));
    argv.addAll(List.of("-q", "1", "-t", filter, "-d"));
    return argv.toArray(String[]::new);
  }

  /** Runs {@code command} and returns once it is subscribed. */
  private static CommandLineClient subscribed(String[] command) throws Exception {
    CommandLineClient sub = CommandLineClient.follow(command);
    sub.awaitLine("SUBACK");
    return sub;
  }

  private void publishOn(String node, String headline) {
    int status = await(web.post(nodes.httpPort(node), "127.0.0.1", "/api/events")
      .sendJsonObject(new JsonObject().put("type", FEED)
        .put("payload", new JsonObject().put("data", new JsonObject().put("headline", headline))))).statusCode();
    assertEquals(202, status);
  }
}
