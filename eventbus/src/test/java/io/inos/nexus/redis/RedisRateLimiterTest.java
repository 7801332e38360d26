package io.inos.nexus.redis;

import io.inos.nexus.Nexus;
import io.inos.testing.FreePorts;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.inos.nexus.redis.RedisTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisRateLimiterTest {

  private Vertx vertx;
  private String prefix;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    prefix = RedisTesting.prefix();
  }

  @AfterEach
  void tearDown() {
    RedisTesting.deleteKeys(vertx, RedisTesting.SHARED_URL, prefix);
    await(vertx.close());
  }

  private RedisExtension node(String url) {
    // a bucket of 5 that refills one permit in 1,000 s: no refill during the test
    RedisExtension ext = RedisExtension.create(Nexus.create(vertx), new RedisExtensionOptions().setUrl(url)
      .setKeyPrefix(prefix).setBurst(5).setPermitsPerSecond(0.001).setReconnectMaxDelayMs(60_000)
      .setReconnectInitialDelayMs(60_000));
    await(ext.start());
    return ext;
  }

  @Test
  void aClientHasOneQuotaWhicheverNodeItUses() {
    RedisExtension a = node(RedisTesting.SHARED_URL);
    RedisExtension b = node(RedisTesting.SHARED_URL);
    List<RateDecision> decisions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      decisions.add(await((i % 2 == 0 ? a : b).rateLimiter().tryAcquire("user:u1")));
    }
    assertEquals(5, decisions.stream().filter(RateDecision::allowed).count());
    assertTrue(decisions.stream().allMatch(RateDecision::shared));
    RateDecision refused = decisions.get(7);
    assertFalse(refused.allowed());
    assertTrue(refused.retryAfterMs() > 0);
    // another client has its own bucket
    assertTrue(await(b.rateLimiter().tryAcquire("user:u2")).allowed());
    await(a.close());
    await(b.close());
  }

  @Test
  void withRedisDownTheNodeLimitsLocally() {
    int port = FreePorts.belowEphemeralRange(); // nothing listens there
    RedisExtension alone = node("redis://127.0.0.1:" + port);
    assertFalse(alone.state().isUp());
    List<RateDecision> decisions = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      decisions.add(await(alone.rateLimiter().tryAcquire("user:u1")));
    }
    assertEquals(5, decisions.stream().filter(RateDecision::allowed).count());
    assertTrue(decisions.stream().noneMatch(RateDecision::shared));
    await(alone.close());
  }
}
