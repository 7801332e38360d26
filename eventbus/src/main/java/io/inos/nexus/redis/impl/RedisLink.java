package io.inos.nexus.redis.impl;

import io.inos.nexus.redis.ExtensionState;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.nexus.redis.RedisUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The extension's one link to Redis: a pooled client for commands, its UP/DOWN state, and the way back.
 *
 * <p>While UP, commands go straight to Redis; a failure that is not an answer of Redis (refused, reset, closed)
 * turns the link DOWN with that reason. While DOWN, commands fail at once with {@link RedisUnavailableException}
 * (nothing waits on a dead socket) and the link tries {@code PING} with a backoff doubling from
 * {@code reconnect.initialDelayMs} to {@code reconnect.maxDelayMs}; when Redis answers, the scripts are loaded
 * again (a restarted Redis has none), the link is UP, and the listeners resume their work (flush buffered appends,
 * subscribe the relay again, re-register presence). An idle UP link checks Redis every
 * {@code reconnect.healthCheckIntervalMs}.
 *
 * <p>State changes run on the link's own context, in order.
 */
public final class RedisLink {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final Vertx vertx;
  private final Context context;
  private final RedisExtensionOptions options;
  private final Redis redis;
  private final List<Consumer<ExtensionState>> listeners = new CopyOnWriteArrayList<>();
  private volatile ExtensionState state = new ExtensionState(ExtensionState.Status.DOWN, "not started", Instant.now());
  private long backoffMs;
  private long probeTimer = -1;
  private long healthTimer = -1;
  private boolean probing;
  private volatile boolean closed;

  public RedisLink(Vertx vertx, RedisExtensionOptions options, MeterRegistry registry) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.backoffMs = options.getReconnectInitialDelayMs();
    // RESP2: the replies of scripts and pub/sub messages have one shape; a deep waiting queue: callers are doors
    // serving many clients, and a full pool queue is load, not an outage
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(options.getUrl())
      .setPreferredProtocolVersion(io.vertx.redis.client.ProtocolVersion.RESP2)
      .setMaxPoolSize(8).setMaxPoolWaiting(100_000).setMaxWaitingHandlers(100_000));
    if (registry != null) {
      Gauge.builder("inos.redis.up", this, l -> l.state.isUp() ? 1 : 0)
        .description("1 when the Redis extension reaches Redis, 0 when it runs degraded").register(registry);
    }
  }

  public Context context() {
    return context;
  }

  public Vertx vertx() {
    return vertx;
  }

  public ExtensionState state() {
    return state;
  }

  public boolean isUp() {
    return state.isUp();
  }

  /** {@code listener} is called on the link's context at every change of state. */
  public void onStateChange(Consumer<ExtensionState> listener) {
    listeners.add(listener);
  }

  /** Tries Redis once; completes (UP or DOWN) when that try is over. Later tries go on in the background. */
  public Future<ExtensionState> start() {
    return Future.<ExtensionState>future(p -> context.runOnContext(v -> probe().onComplete(ar -> p.complete(state))))
      .onSuccess(s -> context.runOnContext(v -> {
        healthTimer = vertx.setPeriodic(options.getHealthCheckIntervalMs(), id -> {
          if (state.isUp()) {
            send(Request.cmd(Command.PING));
          }
        });
      }));
  }

  public Future<Void> close() {
    closed = true;
    return Future.<Void>future(p -> context.runOnContext(v -> {
      vertx.cancelTimer(probeTimer);
      vertx.cancelTimer(healthTimer);
      p.complete();
    })).compose(v -> redis.close());
  }

  /** Sends one command; fails at once while DOWN. */
  public Future<Response> send(Request request) {
    return call(() -> redis.send(request), true);
  }

  /** Sends commands pipelined on one connection; fails at once while DOWN. */
  public Future<List<Response>> batch(List<Request> requests) {
    return call(() -> redis.batch(requests), true);
  }

  /** A connection of its own, for pub/sub; fails at once while DOWN. */
  public Future<RedisConnection> connect() {
    if (!state.isUp()) {
      return Future.failedFuture(new RedisUnavailableException(state.reason()));
    }
    return redis.connect().onFailure(this::failed);
  }

  /** Reports a failure seen outside {@link #send} (a pub/sub connection that closed). */
  public void failed(Throwable failure) {
    if (isOutage(failure)) {
      markDown(describe(failure));
    }
  }

  private <T> Future<T> call(Supplier<Future<T>> command, boolean retryNoScript) {
    if (!state.isUp()) {
      return Future.failedFuture(new RedisUnavailableException(state.reason()));
    }
    return command.get().recover(failure -> {
      if (retryNoScript && failure instanceof ErrorType e && String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
        return loadScripts().compose(v -> call(command, false));
      }
      failed(failure);
      return Future.failedFuture(failure);
    });
  }

  /** An outage is whatever is not an answer from Redis (an error reply means Redis is there). */
  private static boolean isOutage(Throwable failure) {
    return !(failure instanceof ErrorType);
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private Future<Void> loadScripts() {
    List<Request> loads = new ArrayList<>();
    for (LuaScript s : Scripts.ALL) {
      loads.add(s.load());
    }
    return redis.batch(loads).mapEmpty();
  }

  private void markDown(String reason) {
    context.runOnContext(v -> {
      if (closed || !state.isUp()) {
        return;
      }
      LOG.warn("Redis is unavailable, the extension runs degraded until it is back: {}", reason);
      setState(new ExtensionState(ExtensionState.Status.DOWN, reason, Instant.now()));
      backoffMs = options.getReconnectInitialDelayMs();
      scheduleProbe();
    });
  }

  private void scheduleProbe() {
    if (closed || probing) {
      return;
    }
    probing = true;
    probeTimer = vertx.setTimer(backoffMs, id -> probe());
  }

  /** On the link's context: PING, load the scripts, and go UP; else wait longer and try again. */
  private Future<Void> probe() {
    probing = true;
    return redis.send(Request.cmd(Command.PING)).compose(pong -> loadScripts()).andThen(ar -> {
      probing = false;
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        backoffMs = options.getReconnectInitialDelayMs();
        if (!state.isUp()) {
          LOG.info("Redis at {} is reachable: the extension is up", options.getUrl());
          setState(new ExtensionState(ExtensionState.Status.UP, null, Instant.now()));
        }
      } else {
        String reason = describe(ar.cause());
        if (!reason.equals(state.reason())) {
          setState(new ExtensionState(ExtensionState.Status.DOWN, reason, state.since()));
        }
        backoffMs = Math.min(backoffMs * 2, options.getReconnectMaxDelayMs());
        scheduleProbe();
      }
    });
  }

  private void setState(ExtensionState next) {
    boolean changed = next.status() != state.status();
    state = next;
    if (changed) {
      for (Consumer<ExtensionState> l : listeners) {
        try {
          l.accept(next);
        } catch (RuntimeException e) {
          LOG.warn("a Redis state listener failed: {}", e.toString());
        }
      }
    }
  }
}
