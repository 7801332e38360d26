package io.inos.adapters.mqtt.impl;

import io.inos.testing.Polling;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the tests of the MQTT Redis stores share: the machine's Redis under a key prefix of each test (never
 * FLUSHALL), a client of the test's own to look behind the stores' back, and the adapter's single context.
 */
public final class RedisTesting implements AutoCloseable {

  public static final String URL = "redis://127.0.0.1:6379";
  static final long WAIT_SECONDS = 20;

  public final String prefix = "inos-test-mqtt-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private final Vertx vertx;
  private final Redis client;
  /** the stores are used on one context, as the adapter uses them */
  final Context context;

  public RedisTesting(Vertx vertx) {
    this.vertx = vertx;
    this.client = Redis.createClient(vertx, URL);
    this.context = vertx.getOrCreateContext();
  }

  /** Runs {@code action} on the stores' context and waits for its future. */
  <T> T on(Callable<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.call().onComplete(done);
      } catch (Exception e) {
        done.fail(e);
      }
    });
    return await(done.future());
  }

  /** Sends a command straight to Redis. */
  public Response redis(Request request) {
    return await(client.send(request));
  }

  /** @return the value of {@code field} in the hash {@code key}, or {@code null} */
  public String hget(String key, String field) {
    Response r = redis(Request.cmd(Command.HGET).arg(key).arg(field));
    return r == null ? null : r.toString();
  }

  /** @return the key's time to live in ms: -1 none, -2 no such key */
  public long pttl(String key) {
    return redis(Request.cmd(Command.PTTL).arg(key)).toLong();
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("nothing within " + WAIT_SECONDS + " s", e);
    }
  }

  /** Polls {@code condition} (on the test thread) until it holds; fails after {@link #WAIT_SECONDS}. */
  public static void awaitUntil(String what, Supplier<Boolean> condition) {
    Polling.awaitUntil(what, java.time.Duration.ofSeconds(WAIT_SECONDS), condition::get);
  }

  /** Deletes the test's keys (SCAN + DEL) and closes the client. */
  @Override
  public void close() {
    try {
      String cursor = "0";
      do {
        Response r = redis(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*").arg("COUNT").arg(1000));
        cursor = r.get(0).toString();
        for (Response key : r.get(1)) {
          redis(Request.cmd(Command.DEL).arg(key.toString()));
        }
      } while (!cursor.equals("0"));
    } finally {
      client.close();
    }
  }
}
