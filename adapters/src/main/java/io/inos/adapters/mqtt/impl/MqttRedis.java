package io.inos.adapters.mqtt.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MQTT adapter's link to Redis, where it keeps retained messages and persistent sessions: <b>one</b> connection,
 * so that Redis applies the writes in the order the adapter makes them (a message queued, then removed when it is
 * acknowledged, must never be removed first, as it could be over two pooled connections). Commands are pipelined.
 *
 * <p>While the connection is down, commands fail at once ({@link Unavailable}), the adapter serves from memory, and
 * the link connects again with a backoff from {@value #FIRST_RETRY_MS} ms doubling to {@value #LAST_RETRY_MS} ms;
 * when it is back, the {@link #onUp} listeners write again what their stores could not. Failed writes are counted
 * ({@code inos.mqtt.redis.failures}); {@code inos.mqtt.redis.up} is 1 while the link is up.
 *
 * <p>Used on the adapter's context only.
 */
final class MqttRedis {

  private static final Logger LOG = LoggerFactory.getLogger(MqttRedis.class);
  static final long FIRST_RETRY_MS = 100;
  static final long LAST_RETRY_MS = 5_000;
  /** How long a write that Redis refused (not an outage) waits before its store tries again. */
  static final long REWRITE_DELAY_MS = 1_000;
  /** How long closing waits for the writes still on their way. */
  private static final long FLUSH_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final String url;
  private final Redis client;
  private final List<Runnable> upListeners = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();
  private final List<Meter> meters = new ArrayList<>();
  private final MeterRegistry registry;
  private final Counter failureCounter;
  /** the one connection while the link is up; read by the gauge's thread too */
  private volatile RedisConnection connection;
  private boolean connecting;
  private long backoffMs = FIRST_RETRY_MS;
  private long retryTimer = -1;
  private boolean closed;
  private String downReason = "not connected yet";

  /**
   * @param url      a Redis connection string ({@code redis://host:port}, with a password or database as Vert.x takes)
   * @param registry where the meters go, or {@code null}
   */
  MqttRedis(Vertx vertx, String url, MeterRegistry registry) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.url = url;
    // RESP2: replies of one shape (HGETALL is a flat array); a deep waiting queue: bursts of writes are load, and a
    // full queue would fail writes that the stores then have to make again
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
      .setPreferredProtocolVersion(ProtocolVersion.RESP2).setMaxPoolSize(1).setMaxWaitingHandlers(100_000));
    this.registry = registry;
    if (registry != null) {
      failureCounter = keep(Counter.builder("inos.mqtt.redis.failures")
        .description("MQTT writes and reads of Redis that failed (the adapter served from memory)")
        .register(registry));
      keep(Gauge.builder("inos.mqtt.redis.up", this, l -> l.isUp() ? 1 : 0)
        .description("1 while the MQTT adapter reaches its Redis, 0 while it keeps its state in memory only")
        .register(registry));
    } else {
      failureCounter = null;
    }
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Connects once; completes when that try is over, up or not (later tries go on in the background). */
  Future<Void> start() {
    return connect();
  }

  boolean isUp() {
    return connection != null;
  }

  /** @return how many commands failed since the start */
  long failures() {
    return failures.get();
  }

  /** {@code listener} runs on the adapter's context each time the link is up again after an outage. */
  void onUp(Runnable listener) {
    upListeners.add(listener);
  }

  /** Sends one command in order with the others; fails at once while the link is down. */
  Future<Response> send(Request request) {
    RedisConnection c = connection;
    if (c == null) {
      return unavailable();
    }
    return c.send(request).onFailure(this::failed);
  }

  /** Sends commands in order with the others, pipelined; fails at once while the link is down. */
  Future<List<Response>> batch(List<Request> requests) {
    RedisConnection c = connection;
    if (c == null) {
      return unavailable();
    }
    return c.batch(requests).onFailure(this::failed);
  }

  /**
   * Runs {@code rewrite} once Redis can take writes again: after {@link #REWRITE_DELAY_MS} when the link is up (Redis
   * refused a write, or the link was lost and found meanwhile), else when it is up again.
   */
  void retry(Runnable rewrite) {
    vertx.setTimer(REWRITE_DELAY_MS, id -> {
      if (isUp() && !closed) {
        rewrite.run();
      }
      // else: the link's onUp listeners write everything again when it is back
    });
  }

  /** Waits (a little) for the writes on their way, then closes the connection. */
  Future<Void> close() {
    closed = true;
    vertx.cancelTimer(retryTimer);
    RedisConnection c = connection;
    // one connection: the PING's answer comes after every write sent before it
    Future<?> flushed = c == null ? Future.succeededFuture()
      : c.send(Request.cmd(Command.PING)).timeout(FLUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return flushed.otherwiseEmpty().compose(v -> {
      connection = null;
      if (registry != null) {
        meters.forEach(registry::remove);
      }
      return c == null ? Future.<Void>succeededFuture() : c.close().otherwiseEmpty();
    }).compose(v -> client.close().otherwiseEmpty());
  }

  private <T> Future<T> unavailable() {
    count();
    return Future.failedFuture(new Unavailable(downReason));
  }

  private void failed(Throwable failure) {
    count();
    if (!(failure instanceof ErrorType)) {
      // anything that is not an answer of Redis: the connection is gone
      lost(failure);
    }
  }

  private void count() {
    failures.incrementAndGet();
    if (failureCounter != null) {
      failureCounter.increment();
    }
  }

  private Future<Void> connect() {
    if (closed || connecting || connection != null) {
      return Future.succeededFuture();
    }
    connecting = true;
    Promise<Void> tried = Promise.promise();
    client.connect().onComplete(ar -> context.runOnContext(v -> {
      connecting = false;
      if (ar.failed()) {
        downReason = describe(ar.cause());
        scheduleRetry();
      } else if (closed) {
        ar.result().close();
      } else {
        up(ar.result());
      }
      tried.complete();
    }));
    return tried.future();
  }

  private void up(RedisConnection c) {
    connection = c;
    c.exceptionHandler(this::lost);
    c.endHandler(v -> lost(null));
    backoffMs = FIRST_RETRY_MS;
    LOG.info("mqtt: retained messages and persistent sessions are kept in Redis at {}", redacted());
    for (Runnable listener : List.copyOf(upListeners)) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("mqtt: a store failed to catch up with Redis: {}", e.toString());
      }
    }
  }

  private void lost(Throwable cause) {
    context.runOnContext(v -> {
      if (connection == null) {
        return;
      }
      RedisConnection gone = connection;
      connection = null;
      downReason = cause == null ? "the connection closed" : describe(cause);
      if (!closed) {
        LOG.warn("mqtt: Redis at {} is unavailable ({}); retained messages and sessions are kept in memory until it "
          + "is back", redacted(), downReason);
        gone.close();
        scheduleRetry();
      }
    });
  }

  private void scheduleRetry() {
    if (closed || retryTimer >= 0) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, LAST_RETRY_MS);
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      connect();
    });
  }

  private String redacted() {
    // the connection string may hold a password
    return url.replaceFirst("//[^@/]*@", "//***@");
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Redis cannot be reached now; the adapter goes on from memory. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String reason) {
      super("Redis is unavailable: " + reason, null, false, false);
    }
  }
}
