package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.inos.adapters.mqtt.RetainedStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Retained messages that survive a restart: an {@link InMemoryRetainedStore} serves every match (its topic tree is
 * the index), and Redis holds the durable copy, one hash {@code {prefix}retained} of topic → the message as JSON
 * (payload, properties, expiry), loaded by {@link #open()}.
 *
 * <p>Writes go to Redis behind the memory, in order, without waiting. A topic whose write failed (Redis away) is
 * remembered and written again, as memory has it then, when Redis is back; if Redis was away at start, what it holds
 * is loaded then, under the topics retained meanwhile. Expired messages leave Redis when a match or a load meets
 * them. The bound is the memory's: a new topic past {@code maxMessages} is refused.
 *
 * <p>Used on the adapter's context only.
 */
final class RedisRetainedStore implements RetainedStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRetainedStore.class);
  private static final int SCAN_COUNT = 1_000;

  private final MqttRedis redis;
  private final String key;
  private final InMemoryRetainedStore memory;
  /** topics whose last write did not reach Redis */
  private final MissedWrites missed;
  private boolean loadPending;

  /**
   * @param keyPrefix   prefix of the hash's name
   * @param maxMessages how many topics it holds at most
   */
  RedisRetainedStore(MqttRedis redis, String keyPrefix, int maxMessages) {
    this.redis = redis;
    this.key = keyPrefix + "retained";
    this.memory = new InMemoryRetainedStore(maxMessages, this::write);
    this.missed = new MissedWrites(redis, this::write);
    redis.onUp(this::caughtUp);
  }

  /** Loads what Redis holds; when it cannot, starts empty and loads when Redis is back. Never fails. */
  @Override
  public Future<Void> open() {
    return load().recover(err -> {
      LOG.warn("mqtt: the retained messages in Redis cannot be read now ({}); they are loaded when it is back",
        err.getMessage());
      loadPending = true;
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Boolean> put(Publication message) {
    boolean kept = memory.keep(message);
    if (kept) {
      write(message.topic());
    }
    return Future.succeededFuture(kept);
  }

  @Override
  public Future<List<Publication>> match(String filter) {
    return memory.match(filter);
  }

  @Override
  public int size() {
    return memory.size();
  }

  /** Writes what memory holds for {@code topic} now (removing it from Redis when memory holds nothing). */
  private void write(String topic) {
    Publication message = memory.get(topic);
    Request request = message == null ? Request.cmd(Command.HDEL).arg(key).arg(topic)
      : Request.cmd(Command.HSET).arg(key).arg(topic).arg(PublicationJson.toJson(message).toBuffer());
    redis.send(request).onFailure(err -> missed.add(topic));
  }

  /** Redis is back: what could not be written first, then (read after it, on the same connection) a pending load. */
  private void caughtUp() {
    missed.writeAgain();
    if (loadPending) {
      loadPending = false;
      load().onFailure(err -> loadPending = true);
    }
  }

  /** Reads the hash in pages; a topic memory holds already (retained since the start) keeps its newer message. */
  private Future<Void> load() {
    return page("0", 0).onSuccess(n -> LOG.info("mqtt: {} retained messages loaded from Redis", n)).mapEmpty();
  }

  private Future<Integer> page(String cursor, int loaded) {
    return redis.send(Request.cmd(Command.HSCAN).arg(key).arg(cursor).arg("COUNT").arg(SCAN_COUNT)).compose(r -> {
      Response entries = r.get(1);
      int count = loaded;
      long now = System.currentTimeMillis();
      for (int i = 0; i + 1 < entries.size(); i += 2) {
        String topic = entries.get(i).toString();
        if (memory.get(topic) != null || missed.contains(topic)) {
          continue;
        }
        Publication message;
        try {
          message = PublicationJson.fromJson(new JsonObject(entries.get(i + 1).toBuffer()));
        } catch (RuntimeException e) {
          LOG.warn("mqtt: the retained message of '{}' in Redis is unreadable and is dropped: {}", topic, e.toString());
          message = null;
        }
        if (message == null || message.expired(now)) {
          redis.send(Request.cmd(Command.HDEL).arg(key).arg(topic));
        } else if (memory.keep(message)) {
          count++;
        }
      }
      String next = r.get(0).toString();
      return next.equals("0") ? Future.succeededFuture(count) : page(next, count);
    });
  }
}
