package io.inos.nexus.redis.impl;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.Presence;
import io.inos.nexus.redis.PresenceMember;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.nexus.redis.RedisUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Presence} in Redis: one hash per campaign, one sorted set of expiry times for all. */
public final class RedisPresence implements Presence {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
  /** Entries refreshed per script call, and expired entries removed per sweep call. */
  private static final int CHUNK = 300;

  private final Nexus nexus;
  private final RedisLink link;
  private final Keys keys;
  private final String nodeId;
  private final long ttlMs;
  /** This node's members: "{campaign}\n{client}" → member JSON. */
  private final Map<String, String> local = new ConcurrentHashMap<>();
  private long heartbeatTimer = -1;
  private long sweepTimer = -1;

  public RedisPresence(Nexus nexus, RedisLink link, Keys keys, RedisExtensionOptions options, String nodeId,
                       MeterRegistry registry) {
    this.nexus = nexus;
    this.link = link;
    this.keys = keys;
    this.nodeId = nodeId;
    this.ttlMs = options.getPresenceTtlMs();
    if (registry != null) {
      Gauge.builder("inos.redis.presence.local", local, Map::size)
        .description("clients of this node present in a campaign").register(registry);
    }
    link.onStateChange(s -> {
      if (s.isUp()) {
        heartbeat(); // registers again what joined while Redis was down, or was swept while cut off
      }
    });
  }

  public void start() {
    link.context().runOnContext(v -> {
      heartbeatTimer = link.vertx().setPeriodic(Math.max(10, ttlMs / 3), id -> heartbeat());
      sweepTimer = link.vertx().setPeriodic(Math.max(10, ttlMs / 2), id -> sweep());
    });
  }

  /** Stops the heartbeat and the sweep; this node's entries are left to expire (a stopping node says nothing). */
  public void close() {
    link.context().runOnContext(v -> {
      link.vertx().cancelTimer(heartbeatTimer);
      link.vertx().cancelTimer(sweepTimer);
    });
  }

  private static String member(String campaignId, String clientId) {
    return campaignId + "\n" + clientId;
  }

  @Override
  public Future<Boolean> join(String campaignId, String clientId, String userId, JsonObject info) {
    if (campaignId == null || campaignId.isEmpty() || clientId == null || clientId.isEmpty()
      || campaignId.contains("\n") || clientId.contains("\n")) {
      return Future.failedFuture(new IllegalArgumentException("campaign and client ids must be non-empty, one line"));
    }
    PresenceMember m = new PresenceMember(campaignId, clientId, userId, nodeId,
      info == null ? new JsonObject() : info.copy());
    String json = m.toJson().encode();
    local.put(member(campaignId, clientId), json);
    return link.send(Scripts.JOIN.call(new String[] {keys.presence(campaignId), keys.presenceExpiry()},
        clientId, json, member(campaignId, clientId), ttlMs))
      .map(r -> {
        boolean fresh = r.toLong() == 1;
        if (fresh) {
          publish(JOIN_TYPE, m, null);
        }
        return fresh;
      });
  }

  @Override
  public Future<Boolean> leave(String campaignId, String clientId) {
    local.remove(member(campaignId, clientId));
    return link.send(Scripts.LEAVE.call(new String[] {keys.presence(campaignId), keys.presenceExpiry()},
        clientId, member(campaignId, clientId)))
      .map(r -> {
        if (r == null) {
          return false;
        }
        publish(LEAVE_TYPE, PresenceMember.fromJson(new JsonObject(r.toBuffer())), "left");
        return true;
      });
  }

  @Override
  public Future<List<PresenceMember>> members(String campaignId) {
    return link.send(Scripts.MEMBERS.call(new String[] {keys.presence(campaignId), keys.presenceExpiry()},
        campaignId))
      .map(r -> {
        List<PresenceMember> list = new ArrayList<>();
        for (Response m : r) {
          list.add(PresenceMember.fromJson(new JsonObject(m.toBuffer())));
        }
        return list;
      });
  }

  @Override
  public int localCount() {
    return local.size();
  }

  private void heartbeat() {
    if (!link.isUp() || local.isEmpty()) {
      return;
    }
    List<Object> args = new ArrayList<>();
    for (Map.Entry<String, String> e : local.entrySet()) {
      int nl = e.getKey().indexOf('\n');
      args.add(e.getKey().substring(0, nl));
      args.add(e.getKey().substring(nl + 1));
      args.add(e.getValue());
      if (args.size() >= CHUNK * 3) {
        refresh(args);
        args = new ArrayList<>();
      }
    }
    if (!args.isEmpty()) {
      refresh(args);
    }
  }

  private void refresh(List<Object> triples) {
    List<Object> argv = new ArrayList<>(triples.size() + 2);
    argv.add(keys.prefix());
    argv.add(ttlMs);
    argv.addAll(triples);
    link.send(Scripts.HEARTBEAT.call(new String[] {keys.presenceExpiry()}, argv.toArray()))
      .onSuccess(readded -> {
        for (Response m : readded) {
          publish(JOIN_TYPE, PresenceMember.fromJson(new JsonObject(m.toBuffer())), null);
        }
      })
      .onFailure(err -> LOG.debug("presence heartbeat failed: {}", err.toString()));
  }

  private void sweep() {
    if (!link.isUp()) {
      return;
    }
    link.send(Scripts.SWEEP.call(new String[] {keys.presenceExpiry()}, keys.prefix(), CHUNK))
      .onSuccess(gone -> {
        for (Response m : gone) {
          PresenceMember member = PresenceMember.fromJson(new JsonObject(m.toBuffer()));
          local.remove(member(member.campaignId(), member.clientId()));
          publish(LEAVE_TYPE, member, "expired");
        }
        if (gone.size() == CHUNK) {
          sweep(); // more are waiting
        }
      })
      .onFailure(err -> {
        if (!(err instanceof RedisUnavailableException)) {
          LOG.debug("presence sweep failed: {}", err.toString());
        }
      });
  }

  private void publish(String type, PresenceMember m, String reason) {
    JsonObject data = m.toJson();
    if (reason != null) {
      data.put("reason", reason);
    }
    // only the campaign in the global context: the event goes to campaign:{id}, not to the user
    nexus.publish(Event.builder(type).source(nexus.options().getSource())
      .environment(nexus.options().getEnvironment()).globalContext("campaign_id", m.campaignId()).data(data).build());
  }
}
