package io.inos.adapters.mqtt.impl;

import io.inos.adapters.mqtt.Publication;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Persistent sessions in Redis, written behind memory as they change:
 * <ul>
 *   <li>{@code {prefix}session:{clientId}}, a hash: {@code state} → the session's state (identity, expiry, since when
 *   it is offline, subscriptions with their options and identifiers), {@code m:{seq}} → each QoS 1 or 2 message
 *   in flight or queued for the client (with its packet id once sent, and whether PUBREC came), {@code r:{packetId}}
 *   → each QoS 2 packet id the client published and has not released. While the client is offline the hash expires
 *   when the session does ({@code PEXPIREAT}); while it is online it does not expire.</li>
 *   <li>{@code {prefix}sessions}, a set of the client ids kept, read at start.</li>
 * </ul>
 * A session whose write failed (Redis away) is written again whole, as memory has it then, when Redis is back.
 *
 * <p>Used on the adapter's context only.
 */
final class RedisSessionStore implements SessionStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);
  private static final String STATE = "state";
  /** Sessions read per round trip at start. */
  private static final int LOAD_BATCH = 100;

  private final MqttRedis redis;
  private final String prefix;
  private final String index;
  private final Function<String, ClientSession> sessions;
  /** client ids whose last write did not reach Redis */
  private final MissedWrites missed;
  private Consumer<List<StoredSession>> pendingLoad;
  /** the last message encoded: a message fanned out to many sessions is encoded once */
  private Publication lastMessage;
  private String lastEncoded;

  /**
   * @param sessions the sessions in memory by client id, to write again after a failure
   */
  RedisSessionStore(MqttRedis redis, String keyPrefix, Function<String, ClientSession> sessions) {
    this.redis = redis;
    this.prefix = keyPrefix + "session:";
    this.index = keyPrefix + "sessions";
    this.sessions = sessions;
    this.missed = new MissedWrites(redis, this::rewrite);
    redis.onUp(this::caughtUp);
  }

  private String key(String clientId) {
    return prefix + clientId;
  }

  @Override
  public void save(ClientSession s) {
    String key = key(s.clientId);
    Request fields = Request.cmd(Command.HSET).arg(key).arg(STATE).arg(StoredSession.stateJson(s).encode());
    for (ClientSession.Outgoing o : s.pendingMessages()) {
      fields.arg("m:" + o.seq).arg(encode(o));
    }
    for (int packetId : s.awaitingRelease()) {
      fields.arg("r:" + packetId).arg("1");
    }
    List<Request> batch = new ArrayList<>(4);
    // the hash is replaced: nothing of a former session of the same client id may stay in it
    batch.add(Request.cmd(Command.DEL).arg(key));
    batch.add(fields);
    expiry(s, key, batch, true);
    batch.add(Request.cmd(Command.SADD).arg(index).arg(s.clientId));
    write(s.clientId, batch);
  }

  @Override
  public void saveState(ClientSession s) {
    String key = key(s.clientId);
    List<Request> batch = new ArrayList<>(2);
    batch.add(Request.cmd(Command.HSET).arg(key).arg(STATE).arg(StoredSession.stateJson(s).encode()));
    expiry(s, key, batch, true);
    write(s.clientId, batch);
  }

  @Override
  public void put(ClientSession s, ClientSession.Outgoing o) {
    String key = key(s.clientId);
    List<Request> batch = new ArrayList<>(2);
    batch.add(Request.cmd(Command.HSET).arg(key).arg("m:" + o.seq).arg(encode(o)));
    expiry(s, key, batch, false);
    write(s.clientId, batch);
  }

  @Override
  public void remove(ClientSession s, ClientSession.Outgoing o) {
    write(s.clientId, List.of(Request.cmd(Command.HDEL).arg(key(s.clientId)).arg("m:" + o.seq)));
  }

  @Override
  public void awaitingRelease(ClientSession s, int packetId, boolean awaiting) {
    String key = key(s.clientId);
    if (awaiting) {
      List<Request> batch = new ArrayList<>(2);
      batch.add(Request.cmd(Command.HSET).arg(key).arg("r:" + packetId).arg("1"));
      expiry(s, key, batch, false);
      write(s.clientId, batch);
    } else {
      write(s.clientId, List.of(Request.cmd(Command.HDEL).arg(key).arg("r:" + packetId)));
    }
  }

  @Override
  public void end(String clientId) {
    write(clientId, List.of(Request.cmd(Command.DEL).arg(key(clientId)), Request.cmd(Command.SREM).arg(index)
      .arg(clientId)));
  }

  /**
   * The hash expires with the session while its client is offline (a field written to a hash that expired meanwhile
   * makes a new hash, which must expire too); it does not while the client is online.
   */
  private static void expiry(ClientSession s, String key, List<Request> batch, boolean persistWhenOnline) {
    if (s.offlineSince() > 0) {
      batch.add(Request.cmd(Command.PEXPIREAT).arg(key).arg(s.offlineSince() + s.expirySeconds() * 1000));
    } else if (persistWhenOnline) {
      batch.add(Request.cmd(Command.PERSIST).arg(key));
    }
  }

  private String encode(ClientSession.Outgoing o) {
    if (o.message != lastMessage) {
      lastMessage = o.message;
      lastEncoded = PublicationJson.toJson(o.message).encode();
    }
    return StoredSession.messageJson(o, lastEncoded);
  }

  private void write(String clientId, List<Request> batch) {
    Future<?> sent = batch.size() == 1 ? redis.send(batch.get(0)) : redis.batch(batch);
    sent.onFailure(err -> missed.add(clientId));
  }

  /** Writes a session that missed a write again, whole, as memory has it now; or forgets it when it ended. */
  private void rewrite(String clientId) {
    ClientSession s = sessions.apply(clientId);
    if (s != null && s.isStored()) {
      save(s);
    } else {
      end(clientId);
    }
  }

  private void caughtUp() {
    missed.writeAgain();
    Consumer<List<StoredSession>> restore = pendingLoad;
    if (restore != null) {
      pendingLoad = null;
      load().onSuccess(restore::accept).onFailure(err -> pendingLoad = restore);
    }
  }

  @Override
  public void loadWhenBack(Consumer<List<StoredSession>> restore) {
    pendingLoad = restore;
  }

  @Override
  public Future<List<StoredSession>> load() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(index)).compose(members -> {
      List<String> ids = new ArrayList<>(members.size());
      members.forEach(m -> ids.add(m.toString()));
      return loadFrom(ids, 0, new ArrayList<>());
    });
  }

  private Future<List<StoredSession>> loadFrom(List<String> ids, int from, List<StoredSession> loaded) {
    if (from >= ids.size()) {
      return Future.succeededFuture(loaded);
    }
    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOAD_BATCH));
    List<Request> reads = new ArrayList<>(chunk.size());
    for (String id : chunk) {
      reads.add(Request.cmd(Command.HGETALL).arg(key(id)));
    }
    return redis.batch(reads).compose(hashes -> {
      for (int i = 0; i < chunk.size(); i++) {
        StoredSession s = read(chunk.get(i), hashes.get(i));
        if (s != null) {
          loaded.add(s);
        }
      }
      return loadFrom(ids, from + LOAD_BATCH, loaded);
    });
  }

  /** @return the session in {@code hash} (a flat field, value array), or {@code null} when it is gone or unreadable */
  private StoredSession read(String clientId, Response hash) {
    JsonObject state = null;
    List<JsonObject> messages = new ArrayList<>();
    Set<Integer> released = new HashSet<>();
    try {
      for (int i = 0; i + 1 < hash.size(); i += 2) {
        String field = hash.get(i).toString();
        if (field.equals(STATE)) {
          state = new JsonObject(hash.get(i + 1).toBuffer());
        } else if (field.startsWith("m:")) {
          messages.add(new JsonObject(hash.get(i + 1).toBuffer()));
        } else if (field.startsWith("r:")) {
          released.add(Integer.parseInt(field.substring(2)));
        }
      }
      if (state != null) {
        return StoredSession.read(clientId, state, messages, released);
      }
    } catch (RuntimeException e) {
      LOG.warn("mqtt: the session of '{}' in Redis is unreadable and is dropped: {}", clientId, e.toString());
    }
    // expired (the hash is gone) or unreadable: the index forgets it
    end(clientId);
    return null;
  }
}
