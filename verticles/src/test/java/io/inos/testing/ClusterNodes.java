package io.inos.testing;

import io.inos.server.ClusterNodeMain;
import io.inos.server.Main;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * INOS nodes of a multi-node test, each a JVM of its own on loopback ({@link ClusterNodeMain}), clustered through
 * Hazelcast with a TCP/IP member list of fixed ports and sharing one fresh PostgreSQL database (dropped on close).
 * Each node's standard output and error go to files of the test's directory ({@link #output}).
 *
 * <pre>{@code
 * ClusterNodes nodes = ClusterNodes.of(vertx, dir, List.of("A", "B", "C"), Map.of("INOS_BRIDGE_RULES", rules));
 * nodes.env("C", "TEST_SERVE_ECHO", "true");
 * nodes.startAll();                 // A first (it migrates the database), then B and C; all see three members
 * nodes.httpPort("B");
 * nodes.kill("C");                  // SIGKILL, as a crash
 * nodes.close();
 * }</pre>
 */
public final class ClusterNodes implements AutoCloseable {

  /** The longest any single step waits (a node starting, a member list settling) on a loaded machine. */
  public static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile(Pattern.quote(Main.LISTENING) + "(\\d+)");
  private static final Pattern MQTT_LISTENING = Pattern.compile(Pattern.quote(Main.MQTT_LISTENING) + "(\\d+)");

  private final Vertx vertx;
  private final Path dir;
  private final WebClient web;
  private final String database = TestDatabases.randomName();
  private final String cluster = "inos-test-" + UUID.randomUUID();
  private final List<String> names;
  private final String members;
  private final Map<String, Integer> memberPorts = new HashMap<>();
  private final Map<String, String> commonEnv;
  private final Map<String, Map<String, String>> nodeEnv = new HashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> httpPorts = new HashMap<>();
  private final Map<String, Integer> mqttPorts = new HashMap<>();

  private ClusterNodes(Vertx vertx, Path dir, List<String> names, Map<String, String> env) {
    this.vertx = vertx;
    this.dir = dir;
    this.web = WebClient.create(vertx);
    this.names = List.copyOf(names);
    this.commonEnv = Map.copyOf(env);
    for (String name : names) {
      memberPorts.put(name, FreePorts.belowEphemeralRange());
    }
    this.members = names.stream().map(n -> "127.0.0.1:" + memberPorts.get(n)).collect(Collectors.joining(","));
  }

  /**
   * Nodes named {@code names} (none launched yet).
   *
   * @param vertx the test's Vert.x, for the HTTP calls to the nodes
   * @param dir   where the nodes' output and caches go
   * @param env   {@code INOS_*} settings of every node beyond the cluster, the database and the ports
   */
  public static ClusterNodes of(Vertx vertx, Path dir, List<String> names, Map<String, String> env) {
    return new ClusterNodes(vertx, dir, names, env);
  }

  /** Sets an environment variable of one node only; before it is launched. */
  public ClusterNodes env(String node, String name, String value) {
    nodeEnv.computeIfAbsent(node, n -> new HashMap<>()).put(name, value);
    return this;
  }

  /**
   * Launches the first node and waits until it is ready (it creates and migrates the shared database), then the
   * others, and returns once every node serves HTTP and sees every member.
   */
  public void startAll() {
    startAllBut(List.of());
  }

  /**
   * As {@link #startAll()}, but for the nodes named in {@code later}, which a test starts with {@link #startLate}
   * (they join a running cluster).
   */
  public void startAllBut(List<String> later) {
    List<String> now = names.stream().filter(n -> !later.contains(n)).toList();
    String first = now.get(0);
    launch(first);
    awaitListening(first);
    awaitUntil(first + " is ready", () -> get(first, "/ready").statusCode() == 200);
    for (String node : now.subList(1, now.size())) {
      launch(node);
    }
    for (String node : now.subList(1, now.size())) {
      awaitListening(node);
    }
    for (String node : now) {
      awaitUntil(node + " sees " + now.size() + " members", () -> clusterMembers(node) == now.size());
    }
  }

  /** Launches one more node into the running cluster and returns once it serves HTTP and sees {@code members}. */
  public void startLate(String node, int members) {
    launch(node);
    awaitListening(node);
    awaitUntil(node + " sees " + members + " members", () -> clusterMembers(node) == members);
  }

  /** @return the HTTP port of a node that started */
  public int httpPort(String node) {
    Integer port = httpPorts.get(node);
    if (port == null) {
      throw new IllegalStateException(node + " has not started");
    }
    return port;
  }

  /** @return the MQTT port of a node that started */
  public int mqttPort(String node) {
    Integer port = mqttPorts.get(node);
    if (port == null) {
      throw new IllegalStateException(node + " has not started, or runs no MQTT server");
    }
    return port;
  }

  /** Kills a node with SIGKILL, as a crash would, and waits until its process is gone. */
  public void kill(String node) {
    Process process = processes.get(node);
    process.destroyForcibly();
    try {
      if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(node + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while killing " + node, e);
    }
  }

  public boolean isAlive(String node) {
    Process process = processes.get(node);
    return process != null && process.isAlive();
  }

  /** {@code GET path} on a node. */
  public HttpResponse<Buffer> get(String node, String path) {
    return await(web.get(httpPort(node), "127.0.0.1", path).send());
  }

  /** @return the members a node lists in the {@code cluster} section of its {@code /health} */
  public int clusterMembers(String node) {
    JsonObject health = get(node, "/health").bodyAsJsonObject();
    JsonObject section = health.getJsonObject("cluster");
    if (section == null) {
      throw new AssertionError("no cluster section in " + node + "'s /health: " + health.encode());
    }
    return section.getJsonArray("members").size();
  }

  /** @return what a node printed, for failure messages */
  public String output(String node) {
    return "\n--- " + node + " stdout ---\n" + read(node + ".out") + "\n--- " + node + " stderr ---\n"
      + read(node + ".err");
  }

  /** Kills the nodes still running and drops their database. */
  @Override
  public void close() {
    try {
      for (String node : processes.keySet()) {
        if (isAlive(node)) {
          kill(node);
        }
      }
      await(TestDatabases.drop(vertx, database));
    } finally {
      web.close();
    }
  }

  /**
   * Polls {@code condition} until it holds, failing after {@link #WAIT}: for states the nodes reach by themselves
   * (a member list, a readiness) and that no event announces to the test.
   */
  public static void awaitUntil(String what, BooleanSupplier condition) {
    Polling.awaitUntil(what, WAIT, condition);
  }

  /** @return the future's result; fails after {@link #WAIT} */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT.toSeconds() + " s", e);
    }
  }

  private void launch(String node) {
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
    env.put("INOS_CLUSTER_PORT", String.valueOf(memberPorts.get(node)));
    env.put("INOS_CLUSTER_MEMBERS", members);
    env.putAll(commonEnv);
    env.putAll(nodeEnv.getOrDefault(node, Map.of()));
    env.put("TEST_NODE_NAME", node);
    try {
      processes.put(node, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch node " + node, e);
    }
  }

  private void awaitListening(String node) {
    awaitUntil(node + " prints its port", () -> LISTENING.matcher(read(node + ".out")).find() || !isAlive(node));
    Matcher listening = LISTENING.matcher(read(node + ".out"));
    if (!listening.find()) {
      throw new AssertionError(node + " did not start: " + output(node));
    }
    httpPorts.put(node, Integer.parseInt(listening.group(1)));
    // printed just before the HTTP port, when the node runs the MQTT server
    Matcher mqtt = MQTT_LISTENING.matcher(read(node + ".out"));
    if (mqtt.find()) {
      mqttPorts.put(node, Integer.parseInt(mqtt.group(1)));
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
}
