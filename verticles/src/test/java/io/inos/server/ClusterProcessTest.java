package io.inos.server;

import io.inos.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three INOS nodes, each a JVM of its own on loopback, clustered through Hazelcast with a TCP/IP member list and one
 * shared PostgreSQL database: a request made on node A is served by a service that runs only on node C, a publish on
 * node B reaches stream subscribers connected to A and C, and when B is killed the others see it leave.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterProcessTest {

  private static final Pattern LISTENING = Pattern.compile(Pattern.quote(Main.LISTENING) + "(\\d+)");
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
  private final String database = TestDatabases.randomName();
  private final Map<String, Process> nodes = new HashMap<>();
  private final Map<String, Integer> httpPorts = new HashMap<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    try {
      for (Process p : nodes.values()) {
        if (p.isAlive()) {
          p.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
      }
      await(TestDatabases.drop(vertx, database));
    } finally {
      web.close();
      await(vertx.close());
    }
  }

  @Test
  void requestsAndPublishesCrossNodesAndALostNodeIsNoticed() throws Exception {
    String cluster = "inos-test-" + UUID.randomUUID();
    List<Integer> memberPorts = List.of(freePort(), freePort(), freePort());
    String members = memberPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    // A first: it creates and migrates the shared database; then B and C join it
    launch("A", cluster, memberPorts.get(0), members, false);
    awaitListening("A");
    awaitUntil("A is ready", () -> status("A", "/ready") == 200);
    launch("B", cluster, memberPorts.get(1), members, false);
    launch("C", cluster, memberPorts.get(2), members, true);
    awaitListening("B");
    awaitListening("C");
    for (String node : List.of("A", "B", "C")) {
      awaitUntil(node + " sees three members", () -> clusterMembers(node) == 3);
    }

    // a request made on A is served on C, the only node with the echo service
    JsonObject answer = await(web.post(httpPorts.get("A"), "127.0.0.1", "/api/echo_ops")
      .sendJsonObject(new JsonObject().put("action", "shout").put("text", "across"))).bodyAsJsonObject();
    assertEquals("echo:shout:v1:success", answer.getString("type"), answer.encode());
    JsonObject data = answer.getJsonObject("payload").getJsonObject("data");
    assertEquals("ACROSS", data.getString("shout"));
    assertEquals("C", data.getString("node"));

    // a publish on B reaches the stream subscribers connected to A and to C
    LinkedBlockingQueue<String> onA = stream("A");
    LinkedBlockingQueue<String> onC = stream("C");
    String marker = "news-" + UUID.randomUUID();
    int published = await(web.post(httpPorts.get("B"), "127.0.0.1", "/api/events")
      .sendJsonObject(new JsonObject().put("type", FEED)
        .put("payload", new JsonObject().put("data", new JsonObject().put("headline", marker))))).statusCode();
    assertEquals(202, published);
    awaitText(onA, marker, "A's subscriber");
    awaitText(onC, marker, "C's subscriber");

    // B dies without a word: A and C see it leave, count it, and keep serving
    nodes.get("B").destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    for (String node : List.of("A", "C")) {
      awaitUntil(node + " sees B leave", () -> clusterMembers(node) == 2);
    }
    // the member list changes first; the listener that counts hears of it a moment later
    awaitUntil("A counts the leave", () -> await(web.get(httpPorts.get("A"), "127.0.0.1", "/metrics").send())
      .bodyAsString().lines().anyMatch(l -> l.equals("inos_cluster_member_leaves_total 1.0")));
    JsonObject again = await(web.post(httpPorts.get("A"), "127.0.0.1", "/api/echo_ops")
      .sendJsonObject(new JsonObject().put("action", "shout").put("text", "still"))).bodyAsJsonObject();
    assertEquals("STILL", again.getJsonObject("payload").getJsonObject("data").getString("shout"), again.encode());
  }

  private void launch(String node, String cluster, int memberPort, String members, boolean serveEcho)
    throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java,
      "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache-" + node),
      "-Xmx512m",
      "-cp", System.getProperty("java.class.path"),
      ClusterNodeMain.class.getName())
      .redirectOutput(dir.resolve(node + ".out").toFile())
      .redirectError(dir.resolve(node + ".err").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("INOS_") || name.startsWith("TEST_"));
    env.put("INOS_HTTP_HOST", "127.0.0.1");
    env.put("INOS_HTTP_PORT", "0");
    env.put("INOS_MQTT_PORT", "0");
    env.put("INOS_HTTP_INSTANCES", "1");
    env.put("INOS_PG_URL", TestDatabases.url(TestDatabases.PORT, database));
    env.put("INOS_PG_POOL_SIZE", "2");
    env.put("INOS_CLUSTER", "true");
    env.put("INOS_CLUSTER_NAME", cluster);
    env.put("INOS_CLUSTER_HOST", "127.0.0.1");
    env.put("INOS_CLUSTER_PORT", String.valueOf(memberPort));
    env.put("INOS_CLUSTER_MEMBERS", members);
    env.put("INOS_BRIDGE_RULES", RULES);
    env.put("TEST_NODE_NAME", node);
    if (serveEcho) {
      env.put("TEST_SERVE_ECHO", "true");
    }
    nodes.put(node, builder.start());
  }

  private void awaitListening(String node) {
    awaitUntil(node + " prints its port", () -> LISTENING.matcher(read(node + ".out")).find()
      || !nodes.get(node).isAlive());
    Matcher listening = LISTENING.matcher(read(node + ".out"));
    assertTrue(listening.find(), node + " did not start: " + output(node));
    httpPorts.put(node, Integer.parseInt(listening.group(1)));
  }

  private int status(String node, String path) {
    return await(web.get(httpPorts.get(node), "127.0.0.1", path).send()).statusCode();
  }

  private int clusterMembers(String node) {
    JsonObject health = await(web.get(httpPorts.get(node), "127.0.0.1", "/health").send()).bodyAsJsonObject();
    JsonObject cluster = health.getJsonObject("cluster");
    assertNotNull(cluster, "no cluster section in " + node + "'s /health: " + health.encode());
    return cluster.getJsonArray("members").size();
  }

  /** An SSE stream of {@link #FEED} on {@code node}, returned once it is open (its subscription is in place). */
  private LinkedBlockingQueue<String> stream(String node) throws Exception {
    LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    HttpClient client = vertx.createHttpClient();
    HttpClientResponse response = await(client.request(new RequestOptions().setMethod(HttpMethod.GET)
        .setHost("127.0.0.1").setPort(httpPorts.get(node)).setURI("/api/events/stream?address=" + FEED)
        .putHeader("Accept", "text/event-stream"))
      .compose(req -> req.send())
      .onSuccess(resp -> resp.handler(chunk -> chunks.add(chunk.toString()))));
    assertEquals(200, response.statusCode());
    awaitText(chunks, "event: open", node + "'s stream opening");
    return chunks;
  }

  private static void awaitText(LinkedBlockingQueue<String> chunks, String text, String what)
    throws InterruptedException {
    StringBuilder seen = new StringBuilder();
    while (!seen.toString().contains(text)) {
      String chunk = chunks.poll(30, TimeUnit.SECONDS);
      assertNotNull(chunk, "'" + text + "' did not reach " + what + "; seen: " + seen);
      seen.append(chunk);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private String read(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String output(String node) {
    return "\n--- stdout ---\n" + read(node + ".out") + "\n--- stderr ---\n" + read(node + ".err");
  }
}
