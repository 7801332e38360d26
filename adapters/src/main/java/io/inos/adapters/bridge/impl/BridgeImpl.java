package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.BridgeStats;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.adapters.bridge.TokenIssuer;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtension;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The bridge of one node: its sessions, its subscription table, its rules, keys and counters. */
public final class BridgeImpl implements Bridge {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeImpl.class);

  private final Vertx vertx;
  private final Nexus nexus;
  private final BridgeOptions options;
  private final Context context;
  private final SubscriptionTable table;
  private final JwtTokens tokens;
  private final BridgeMetrics metrics;
  private final long requestTimeoutMs;
  private final Set<SessionImpl> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private final long expiryTimer;
  private volatile BridgeRules rules;
  private volatile boolean closed;

  /** @throws IllegalArgumentException when the rules or the key do not load */
  public BridgeImpl(Vertx vertx, Nexus nexus, BridgeOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    this.options = options;
    this.rules = BridgeRules.fromJson(options.getRules());
    this.tokens = JwtTokens.forBridge(vertx, options.getTokens());
    this.context = vertx.getOrCreateContext();
    this.table = new SubscriptionTable(vertx, context);
    this.requestTimeoutMs = options.getRequestTimeoutMs() > 0 ? options.getRequestTimeoutMs()
      : nexus.options().getRequestTimeoutMs();
    this.metrics = new BridgeMetrics(options.getMeterRegistry() != null ? options.getMeterRegistry()
      : nexus.options().getMeterRegistry(), sessions::size, table::addressCount);
    this.expiryTimer = vertx.setPeriodic(options.getExpiryCheckMs(), id -> revokeExpired());
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Nexus nexus() {
    return nexus;
  }

  @Override
  public BridgeOptions options() {
    return new BridgeOptions(options).setRules(rules);
  }

  /** The options as given, without a copy: read on every operation. */
  BridgeOptions settings() {
    return options;
  }

  BridgeMetrics metrics() {
    return metrics;
  }

  SubscriptionTable table() {
    return table;
  }

  JwtTokens tokens() {
    return tokens;
  }

  long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  @Override
  public BridgeSession open(DeliverySink sink, String source) {
    Objects.requireNonNull(sink, "sink");
    Context current = Vertx.currentContext();
    SessionImpl session = new SessionImpl(this, ids.incrementAndGet(), current != null ? current
      : vertx.getOrCreateContext(), sink, source == null ? "bridge" : source);
    session.start();
    sessions.add(session);
    if (closed) {
      // the bridge closed meanwhile: the session must not outlive it
      session.closeBy(BridgeError.SESSION_CLOSED, "the bridge is closed");
    }
    return session;
  }

  @Override
  public Future<BridgeSession> open(BridgeCredentials credentials, DeliverySink sink, String source) {
    BridgeSession session = open(sink, source);
    return session.authenticate(credentials)
      .<BridgeSession>map(identity -> session)
      .onFailure(err -> session.close());
  }

  @Override
  public RedisExtension redis() {
    return options.getRedis();
  }

  @Override
  public BridgeRules rules() {
    return rules;
  }

  @Override
  public Future<Void> reloadRules(JsonObject json) {
    BridgeRules next;
    try {
      next = BridgeRules.fromJson(json);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    rules = next;
    LOG.info("bridge: rules reloaded; checking the subscriptions of {} sessions", sessions.size());
    return onEverySession(session -> session.recheck("the rules changed"));
  }

  @Override
  public TokenIssuer tokenIssuer() {
    return tokens;
  }

  @Override
  public BridgeStats stats() {
    return metrics.snapshot();
  }

  @Override
  public int subscribers(String address) {
    return table.subscriberCount(address);
  }

  @Override
  public int addresses() {
    return table.addressCount();
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    vertx.cancelTimer(expiryTimer);
    return onEverySession(session -> session.closeBy(BridgeError.SESSION_CLOSED, "the server is closing"))
      .compose(v -> table.close())
      .andThen(ar -> metrics.close());
  }

  void closed(SessionImpl session) {
    sessions.remove(session);
  }

  private void revokeExpired() {
    long now = System.currentTimeMillis() / 1000;
    for (SessionImpl session : sessions) {
      if (session.expiredWithSubscriptions(now)) {
        session.onContext(() -> session.recheck("the token expired"));
      }
    }
  }

  /** Runs {@code action} on each session's own context; completes when all have run. */
  private Future<Void> onEverySession(java.util.function.Consumer<SessionImpl> action) {
    List<Future<Void>> done = new ArrayList<>(sessions.size());
    for (SessionImpl session : sessions) {
      Promise<Void> promise = Promise.promise();
      session.onContext(() -> {
        try {
          action.accept(session);
        } finally {
          promise.complete();
        }
      });
      done.add(promise.future());
    }
    return Future.join(done).mapEmpty();
  }
}
