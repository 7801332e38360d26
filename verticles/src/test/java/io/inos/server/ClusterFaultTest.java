package io.inos.server;

import io.inos.server.health.HealthRoutes;
import io.inos.testing.ClusterNodes;
import io.inos.testing.PrivateRedis;
import io.inos.testing.SseClient;
import io.inos.testing.SseClient.Frame;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.inos.testing.ClusterNodes.await;
import static io.inos.testing.ClusterNodes.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults across three INOS nodes (JVMs of their own on loopback, clustered through Hazelcast) extended over a
 * redis-server of this test: a node killed under a steady feed, whose SSE clients resume on the others from the
 * history; and Redis killed and started again under load, which degrades no node and stops no live flow.
 *
 * <p>Every event of the feed is numbered by its publisher, and every subscriber's sequence is checked whole: each
 * number once, in order, none missing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterFaultTest {

  private static final String FEED = "feed:post_news:v1:completed";
  private static final String RULES = new JsonObject()
    .put("inboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
    .put("outboundPermitteds", new JsonArray().add(new JsonObject().put("address", FEED)))
    .encode();
  /** The original INOS channel on which the relay publishes every selected event. */
  private static final String ORIGINAL_CHANNEL = "nexus:events";
  private static final List<String> NODES = List.of("A", "B", "C");

  @TempDir
  Path dir;
  private Vertx vertx;
  private WebClient web;
  private PrivateRedis redis;
  private ClusterNodes nodes;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    redis = PrivateRedis.start(dir);
    // the feed keeps a history (and so recovers) and goes out on the relay
    String extension = new JsonObject()
      .put("historyScopes", new JsonArray().add(new JsonObject().put("pattern", "feed:*").put("maxLength", 10_000)))
      .put("relay", new JsonObject().put("types", new JsonArray().add("feed:*")))
      .encode();
    nodes = ClusterNodes.of(vertx, dir, NODES, Map.of("INOS_BRIDGE_RULES", RULES,
      "INOS_REDIS_URL", redis.url(), "INOS_REDIS_EXTENSION", extension));
  }

  @AfterEach
  void tearDown() {
    try {
      nodes.close();
    } finally {
      try {
        redis.close();
      } finally {
        web.close();
        await(vertx.close());
      }
    }
  }

  @Test
  void theSubscribersOfAKilledNodeResumeOnTheOthersWithoutLossOrDuplicate() {
    nodes.startAll();
    SseClient onA = stream("A", null);
    SseClient onB = stream("B", null);
    SseClient onC1 = stream("C", null);
    SseClient onC2 = stream("C", null);
    hearFrom("A", List.of(onA, onB, onC1, onC2));
    NumberedFeed feed = NumberedFeed.start(vertx, web, nodes.httpPort("A"), FEED, "A", 15);

    awaitUntil("C's subscribers follow the feed", () -> last(onC1, "A") >= 100 && last(onC2, "A") >= 100);
    nodes.kill("C");
    awaitUntil("C's streams break", () -> onC1.isEnded() && onC2.isEnded());
    int lastOnC = Math.max(last(onC1, "A"), last(onC2, "A"));
    // the clients come back a while later: the feed goes on meanwhile, and the history keeps it
    awaitUntil("the feed goes on without C", () -> feed.published() >= lastOnC + 100);
    SseClient resumedOnB = stream("B", lastId(onC1, "A"));
    SseClient resumedOnA = stream("A", lastId(onC2, "A"));
    int atResume = feed.published();
    awaitUntil("the resumed streams go live", () -> last(resumedOnB, "A") > atResume + 50
      && last(resumedOnA, "A") > atResume + 50);
    await(feed.stop());

    assertEquals(List.of(), feed.failures(), "every event of the feed was accepted");
    int total = feed.published();
    for (SseClient s : List.of(onA, onB, resumedOnB, resumedOnA)) {
      awaitUntil("every live stream gets the last event", () -> last(s, "A") == total);
    }
    assertWhole(feed, List.of(onA), 1, "A's subscriber");
    assertWhole(feed, List.of(onB), 1, "B's subscriber");
    assertResumed(resumedOnB, true);
    assertResumed(resumedOnA, true);
    assertWhole(feed, List.of(onC1, resumedOnB), 1, "C's first subscriber, resumed on B");
    assertWhole(feed, List.of(onC2, resumedOnA), 1, "C's second subscriber, resumed on A");
  }

  /**
   * A client whose connection keeps breaking, resuming each time on a node where nobody else listens to the feed,
   * while a neighbour listens on the publishing node: the client's subscription is new to the cluster each time, and
   * the publishing node, which already knows who listens there, hears of it a moment after it was made.
   */
  @Test
  void aClientResumingOnNodesWhereNobodyElseListensMissesNothing() {
    nodes.startAll();
    SseClient neighbour = stream("A", null);
    List<SseClient> visits = new ArrayList<>();
    visits.add(stream("B", null));
    hearFrom("A", List.of(neighbour, visits.get(0)));
    NumberedFeed feed = NumberedFeed.start(vertx, web, nodes.httpPort("A"), FEED, "A", 10);
    for (int visit = 1; visit <= 8; visit++) {
      SseClient current = visits.get(visits.size() - 1);
      int seen = feed.published();
      awaitUntil("the client follows the feed", () -> last(current, "A") >= seen + 10);
      current.close();
      // away for a while: there is something to recover
      int away = feed.published();
      awaitUntil("the feed goes on", () -> feed.published() >= away + 10);
      visits.add(stream(visit % 2 == 1 ? "C" : "B", lastId(current, "A")));
    }
    await(feed.stop());

    assertEquals(List.of(), feed.failures(), "every event of the feed was accepted");
    SseClient lastVisit = visits.get(visits.size() - 1);
    for (SseClient s : List.of(neighbour, lastVisit)) {
      awaitUntil("the streams get the last event", () -> last(s, "A") == feed.published());
    }
    assertWhole(feed, List.of(neighbour), 1, "the neighbour on A");
    for (SseClient resumed : visits.subList(1, visits.size())) {
      assertResumed(resumed, true);
    }
    assertWhole(feed, visits, 1, "a client resuming on C and B in turn");
  }

  @Test
  void aRedisRestartUnderLoadDegradesNoNodeStopsNoLiveFlowAndTheExtensionResumes() {
    nodes.startAll();
    Map<String, SseClient> streams = new LinkedHashMap<>();
    for (String node : NODES) {
      streams.put(node, stream(node, null));
    }
    for (String node : NODES) {
      hearFrom(node, List.copyOf(streams.values()));
    }
    RelayListener beforeOutage = RelayListener.listen(vertx, redis.url());
    Map<String, NumberedFeed> feeds = new LinkedHashMap<>();
    for (String node : NODES) {
      feeds.put(node, NumberedFeed.start(vertx, web, nodes.httpPort(node), FEED, node, 30));
    }
    awaitUntil("the relay carries every node's feed", () -> NODES.stream().allMatch(n -> beforeOutage.last(n) > 0));
    awaitUntil("every subscriber follows every feed", () -> everyStreamPasses(streams, feeds, Map.of(), 20));
    String beforeOutageId = lastId(streams.get("B"), "A");
    awaitUntil("the history holds an event seen before the outage", () -> historyHolds(beforeOutageId));

    redis.kill();
    for (String node : NODES) {
      awaitUntil(node + " reports Redis down", () -> redisCheckDown(node));
    }
    Map<String, Integer> atOutage = publishedBy(feeds);
    awaitUntil("the live feeds flow while Redis is down", () -> everyStreamPasses(streams, feeds, atOutage, 50));
    for (String node : NODES) {
      assertEquals(200, nodes.get(node, "/health").statusCode(), node + " is alive");
      JsonObject ready = nodes.get(node, "/ready").bodyAsJsonObject();
      assertEquals(HealthRoutes.DEGRADED, ready.getString("status"), node + ": " + ready.encode());
    }

    redis.restart();
    for (String node : NODES) {
      awaitUntil(node + " reports Redis up again", () -> "UP".equals(nodes.get(node, "/ready").bodyAsJsonObject()
        .getString("status")));
    }
    RelayListener afterRestart = RelayListener.listen(vertx, redis.url());
    Map<String, Integer> atRestart = publishedBy(feeds);
    awaitUntil("every node relays again", () -> NODES.stream()
      .allMatch(n -> afterRestart.last(n) > atRestart.get(n)));
    // the history lost with Redis is not pretended to be whole; what was appended since recovers
    SseClient fromBeforeOutage = stream("B", beforeOutageId);
    int resumeAfter = atRestart.get("A") + 1;
    SseClient fromAfterRestart = stream("A", feeds.get("A").ids().get(resumeAfter - 1));
    awaitUntil("the recovering streams are live", () -> last(fromAfterRestart, "A") > resumeAfter + 10
      && last(fromBeforeOutage, "A") > resumeAfter + 10);
    for (NumberedFeed feed : feeds.values()) {
      await(feed.stop());
      assertEquals(List.of(), feed.failures(), "every event of " + feed.origin() + "'s feed was accepted");
    }

    Map<String, Integer> totals = publishedBy(feeds);
    awaitUntil("every stream gets every feed's last event", () -> everyStreamPasses(streams, feeds, totals, 0));
    for (Map.Entry<String, SseClient> s : streams.entrySet()) {
      for (NumberedFeed feed : feeds.values()) {
        assertWhole(feed, List.of(s.getValue()), 1, s.getKey() + "'s subscriber, " + feed.origin() + "'s feed");
      }
    }
    assertResumed(fromBeforeOutage, false);
    assertResumed(fromAfterRestart, true);
    awaitUntil("the stream resumed after the restart gets A's last event",
      () -> last(fromAfterRestart, "A") == totals.get("A"));
    assertWhole(feeds.get("A"), List.of(fromAfterRestart), resumeAfter + 1, "a stream resumed after the restart");
    for (String node : NODES) {
      assertTrue(nodes.isAlive(node), node + " is running" + nodes.output(node));
    }
  }

  /** An SSE stream of the feed on {@code node}, open (subscribed) when returned. */
  private SseClient stream(String node, String lastEventId) {
    return await(SseClient.open(vertx, nodes.httpPort(node), FEED, lastEventId));
  }

  /**
   * Publishes probes on {@code node} until each of {@code streams} got one: the other nodes then know the
   * streams' subscriptions (the member list of an address reaches the others a moment after it changed), so the
   * numbered feed that follows is the whole feed for every stream.
   */
  private void hearFrom(String node, List<SseClient> streams) {
    awaitUntil("every stream hears " + node, () -> {
      int status = await(web.post(nodes.httpPort(node), "127.0.0.1", "/api/events").sendJsonObject(new JsonObject()
        .put("type", FEED).put("payload", new JsonObject().put("data", new JsonObject().put("probe", node)))))
        .statusCode();
      assertEquals(202, status, "a probe on " + node);
      return streams.stream().allMatch(s -> s.count(f -> node.equals(feedData(f).getString("probe"))) > 0);
    });
  }

  /** @return whether the feed's history in Redis holds the event {@code eventId} among its last entries */
  private boolean historyHolds(String eventId) {
    Redis client = Redis.createClient(vertx, redis.url());
    try {
      Response entries = await(client.send(Request.cmd(Command.XREVRANGE).arg("inos:history:{" + FEED + "}")
        .arg("+").arg("-").arg("COUNT").arg(1000)));
      // an entry is [stream id, [i, event id, e, envelope]]
      for (Response entry : entries) {
        if (eventId.equals(entry.get(1).get(1).toString())) {
          return true;
        }
      }
      return false;
    } finally {
      client.close();
    }
  }

  private boolean redisCheckDown(String node) {
    JsonObject ready = nodes.get(node, "/ready").bodyAsJsonObject();
    return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .anyMatch(c -> "redis".equals(c.getString("name")) && "DOWN".equals(c.getString("status")));
  }

  private static Map<String, Integer> publishedBy(Map<String, NumberedFeed> feeds) {
    return feeds.values().stream().collect(Collectors.toMap(NumberedFeed::origin, NumberedFeed::published));
  }

  /** @return whether every stream got, of every feed, the event numbered {@code beyond} its start here or later */
  private static boolean everyStreamPasses(Map<String, SseClient> streams, Map<String, NumberedFeed> feeds,
                                           Map<String, Integer> start, int beyond) {
    for (SseClient s : streams.values()) {
      for (String origin : feeds.keySet()) {
        if (last(s, origin) < start.getOrDefault(origin, 0) + beyond) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Asserts that {@code parts}, one stream after the other, got exactly the events {@code from} to the last of
   * {@code feed}, each once and in order, with the ids the node gave them.
   */
  private static void assertWhole(NumberedFeed feed, List<SseClient> parts, int from, String who) {
    List<String> ids = feed.ids();
    List<Integer> expected = IntStream.rangeClosed(from, ids.size()).boxed().toList();
    List<Integer> got = new ArrayList<>();
    for (SseClient part : parts) {
      for (Frame f : part.frames()) {
        Integer n = numberOf(f, feed.origin());
        if (n != null) {
          got.add(n);
          assertEquals(ids.get(n - 1), f.id(), who + ": the id of event " + n);
        }
      }
    }
    if (!expected.equals(got)) {
      throw new AssertionError(who + " did not get events " + from + ".." + ids.size() + " once each in order: "
        + describe(expected, got));
    }
  }

  /**
   * Asserts that a resumed stream said first whether it recovered ({@code recovered}), and then carried only the
   * feed.
   */
  private static void assertResumed(SseClient stream, boolean recovered) {
    List<Frame> frames = stream.frames();
    assertEquals("open", frames.get(0).event(), frames.toString());
    Frame notice = frames.get(1);
    assertEquals("recovery", notice.event(), frames.subList(0, Math.min(frames.size(), 5)).toString());
    JsonObject data = new JsonObject(notice.data());
    assertEquals(recovered, data.getBoolean("recovered"), notice.data());
    assertEquals(FEED, data.getString("address"));
    if (recovered) {
      assertTrue(data.getInteger("count") > 0, notice.data());
    }
    assertFalse(frames.subList(2, frames.size()).stream().anyMatch(f -> !FEED.equals(f.event())),
      "only the feed after the notice: " + frames.stream().filter(f -> !FEED.equals(f.event())).toList());
  }

  /** @return where two lists of numbers first differ, and their sizes and duplicates */
  private static String describe(List<Integer> expected, List<Integer> got) {
    int i = 0;
    while (i < Math.min(expected.size(), got.size()) && expected.get(i).equals(got.get(i))) {
      i++;
    }
    List<Integer> duplicates = got.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()))
      .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    List<Integer> missing = expected.stream().filter(n -> !got.contains(n)).toList();
    return "expected " + expected.size() + " events, got " + got.size() + "; first difference at index " + i
      + " (got " + got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 5)) + "); missing " + missing
      + "; duplicates " + duplicates;
  }

  /** @return the number of the last event of {@code origin}'s feed the stream got, 0 before any */
  private static int last(SseClient stream, String origin) {
    List<Frame> frames = stream.frames();
    for (int i = frames.size() - 1; i >= 0; i--) {
      Integer n = numberOf(frames.get(i), origin);
      if (n != null) {
        return n;
      }
    }
    return 0;
  }

  /** @return the id of the last event of {@code origin}'s feed the stream got: the client's Last-Event-ID */
  private static String lastId(SseClient stream, String origin) {
    List<Frame> frames = stream.frames();
    for (int i = frames.size() - 1; i >= 0; i--) {
      if (numberOf(frames.get(i), origin) != null) {
        return frames.get(i).id();
      }
    }
    throw new AssertionError("the stream got nothing of " + origin + "'s feed");
  }

  /** @return the number of a frame of {@code origin}'s feed, {@code null} for any other frame */
  private static Integer numberOf(Frame frame, String origin) {
    JsonObject data = feedData(frame);
    return origin.equals(data.getString("origin")) ? data.getInteger("n") : null;
  }

  /** @return the {@code payload.data} of a frame of the feed; empty for any other frame */
  private static JsonObject feedData(Frame frame) {
    if (!FEED.equals(frame.event())) {
      return new JsonObject();
    }
    return new JsonObject(frame.data()).getJsonObject("payload").getJsonObject("data");
  }

  /**
   * A plain Redis client subscribed to the original INOS channel, as an original INOS service would be: keeps the
   * highest number it saw of each origin's feed.
   */
  private static final class RelayListener {
    private final Map<String, Integer> last = new ConcurrentHashMap<>();

    static RelayListener listen(Vertx vertx, String url) {
      RelayListener listener = new RelayListener();
      RedisConnection connection = await(Redis.createClient(vertx, url).connect());
      connection.handler(listener::onMessage);
      await(connection.send(Request.cmd(Command.SUBSCRIBE).arg(ORIGINAL_CHANNEL)));
      return listener;
    }

    int last(String origin) {
      return last.getOrDefault(origin, 0);
    }

    private void onMessage(Response message) {
      if (message.size() < 3 || !"message".equals(message.get(0).toString())) {
        return;
      }
      JsonObject data = new JsonObject(message.get(2).toString()).getJsonObject("payload").getJsonObject("data");
      if (data.containsKey("n")) {
        last.merge(data.getString("origin"), data.getInteger("n"), Math::max);
      }
    }
  }
}
