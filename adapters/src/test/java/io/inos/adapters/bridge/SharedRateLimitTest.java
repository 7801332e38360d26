package io.inos.adapters.bridge;

import io.inos.adapters.RedisDoorsServer;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtension;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.testing.FreePorts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.inos.adapters.DoorsServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbound rate with the Redis extension: one bucket per user shared by every node, so a client reconnecting on
 * another node does not get a second quota; each session's own bucket while Redis is down.
 */
class SharedRateLimitTest {

  private static final int PER_SECOND = 2;

  /** One node: its own Vert.x, Nexus, Redis extension and bridge. */
  private record Node(Vertx vertx, RedisExtension redis, Bridge bridge) {
    static Node start(String url, String prefix) throws Exception {
      Vertx vertx = Vertx.vertx();
      Nexus nexus = Nexus.create(vertx);
      RedisExtension redis = RedisExtension.create(nexus, new RedisExtensionOptions().setUrl(url)
        .setKeyPrefix(prefix).setReconnectInitialDelayMs(60_000).setReconnectMaxDelayMs(60_000));
      await(redis.start());
      Bridge bridge = Bridge.create(vertx, nexus, new BridgeOptions().setMaxInboundPerSecond(PER_SECOND)
        .setRedis(redis));
      return new Node(vertx, redis, bridge);
    }

    /** A session of guest {@code guestId}, on a context of its own. */
    Session open(String guestId) throws Exception {
      Context context = vertx.getOrCreateContext();
      BridgeSession session = onContext(context, () -> bridge.open(BridgeCredentials.guest(guestId),
        new RecordingSink(), "test"));
      return new Session(context, session);
    }

    void close() throws Exception {
      try {
        await(bridge.close());
        await(redis.close());
      } finally {
        await(vertx.close());
      }
    }
  }

  private record Session(Context context, BridgeSession session) {
    /** @return how many of {@code n} operations passed; the others must be refused for the rate */
    int operations(int n) throws Exception {
      int passed = 0;
      for (int i = 0; i < n; i++) {
        Promise<Throwable> outcome = Promise.promise();
        context.runOnContext(v -> session.unsubscribe("feed:none")
          .onComplete(ar -> outcome.complete(ar.failed() ? ar.cause() : null)));
        Throwable refused = await(outcome.future());
        if (refused == null) {
          passed++;
        } else {
          assertEquals(BridgeError.RATE_LIMIT_EXCEEDED, assertInstanceOf(BridgeException.class, refused).error());
        }
      }
      return passed;
    }
  }

  private static <T> T onContext(Context context, Supplier<Future<T>> action) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return await(promise.future());
  }

  @Test
  void aUserOnTwoNodesDrawsFromOneBucket() throws Exception {
    String prefix = RedisDoorsServer.newPrefix();
    List<Node> nodes = new ArrayList<>();
    try {
      Node a = Node.start(RedisDoorsServer.REDIS_URL, prefix);
      nodes.add(a);
      Node b = Node.start(RedisDoorsServer.REDIS_URL, prefix);
      nodes.add(b);
      assertTrue(a.redis.state().isUp() && b.redis.state().isUp());
      String guest = GuestIds.newGuestId();
      Session onA = a.open(guest);
      Session onB = b.open(guest);
      long started = System.nanoTime();
      int passedOnA = onA.operations(6);
      int passedOnB = onB.operations(6);
      double elapsed = (System.nanoTime() - started) / 1e9;
      // one bucket of PER_SECOND (its burst), refilled at PER_SECOND: that is all both nodes may let through;
      // two buckets of their own would let through at least 2 * PER_SECOND
      int bound = PER_SECOND + (int) Math.ceil(elapsed * PER_SECOND);
      assertTrue(passedOnA >= 1, "the first operations pass");
      assertTrue(passedOnA + passedOnB <= bound, "both nodes together let " + (passedOnA + passedOnB)
        + " operations through in " + elapsed + " s; one shared bucket allows at most " + bound);
      // another user has a bucket of its own
      assertTrue(b.open(GuestIds.newGuestId()).operations(1) == 1);
    } finally {
      for (Node node : nodes) {
        node.close();
      }
      Vertx cleaner = Vertx.vertx();
      try {
        RedisDoorsServer.deleteKeys(cleaner, RedisDoorsServer.REDIS_URL, prefix);
      } finally {
        await(cleaner.close());
      }
    }
  }

  @Test
  void withRedisDownEachSessionIsLimitedByItsOwnBucket() throws Exception {
    int closedPort = FreePorts.belowEphemeralRange();
    Node node = Node.start("redis://127.0.0.1:" + closedPort, RedisDoorsServer.newPrefix());
    try {
      assertFalse(node.redis.state().isUp());
      Session session = node.open(GuestIds.newGuestId());
      long started = System.nanoTime();
      int passed = session.operations(8);
      double elapsed = (System.nanoTime() - started) / 1e9;
      assertTrue(passed >= 1, "the node still serves");
      assertTrue(passed <= PER_SECOND + (int) Math.ceil(elapsed * PER_SECOND), "still limited: " + passed
        + " passed in " + elapsed + " s");
    } finally {
      node.close();
    }
  }
}
