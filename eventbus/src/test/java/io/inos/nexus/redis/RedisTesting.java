package io.inos.nexus.redis;

import io.inos.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the Redis extension tests share: the machine's Redis under a random prefix, a private redis-server. */
final class RedisTesting {

  static final String SHARED_URL = "redis://127.0.0.1:6379";
  static final long WAIT_SECONDS = 15;

  private RedisTesting() {
  }

  /** A prefix of this test alone: tests share the machine's Redis and never FLUSHALL. */
  static String prefix() {
    return "inos-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + WAIT_SECONDS + " s", e);
    }
  }

  /**
   * Asks {@code probe} again (every 20 ms, on a Vert.x timer) until its answer passes {@code until}; fails after
   * {@link #WAIT_SECONDS}. For conditions that Redis reaches by itself (an append written, an entry expired).
   */
  static <T> T eventually(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> until) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    Promise<T> done = Promise.promise();
    new Object() {
      void attempt() {
        probe.get().onComplete(ar -> {
          if (ar.succeeded() && until.test(ar.result())) {
            done.complete(ar.result());
          } else if (System.nanoTime() > deadline) {
            done.fail(new AssertionError("condition not reached; last answer: "
              + (ar.succeeded() ? ar.result() : ar.cause())));
          } else {
            vertx.setTimer(20, id -> attempt());
          }
        });
      }
    }.attempt();
    try {
      return done.future().await(WAIT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** Deletes every key under {@code prefix} (SCAN + DEL, never FLUSHALL). */
  static void deleteKeys(Vertx vertx, String url, String prefix) {
    Redis redis = Redis.createClient(vertx, url);
    try {
      String cursor = "0";
      do {
        Response r = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
          .arg("COUNT").arg(1000)));
        cursor = r.get(0).toString();
        for (Response key : r.get(1)) {
          await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
        }
      } while (!cursor.equals("0"));
    } finally {
      redis.close();
    }
  }

  /** A redis-server of one test, without persistence, on its own port: it may be stopped and started again. */
  static final class PrivateRedis implements AutoCloseable {
    final int port;
    private Process process;

    PrivateRedis() {
      this.port = FreePorts.belowEphemeralRange();
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    /** Starts it and returns once it logs that it accepts connections. */
    PrivateRedis start() {
      try {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--daemonize", "no")).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
        String line;
        StringBuilder log = new StringBuilder();
        while ((line = out.readLine()) != null) {
          log.append(line).append('\n');
          if (line.contains("Ready to accept connections")) {
            Thread drain = new Thread(() -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe empty
                }
              } catch (IOException ignored) {
                // the server stopped
              }
            }, "redis-" + port + "-log");
            drain.setDaemon(true);
            drain.start();
            return this;
          }
        }
        throw new AssertionError("redis-server did not start:\n" + log);
      } catch (IOException e) {
        throw new AssertionError("cannot run redis-server", e);
      }
    }

    /** Kills it (as a crash would) and waits until it is gone. */
    void stop() {
      if (process != null) {
        process.destroyForcibly();
        try {
          process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        process = null;
      }
    }

    @Override
    public void close() {
      stop();
    }
  }
}
