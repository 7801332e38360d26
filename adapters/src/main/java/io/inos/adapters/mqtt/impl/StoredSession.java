package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.BridgeIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A persistent session as a {@link SessionStore} gives it back, to be restored, and the JSON forms a store writes:
 * the session's state ({@link #stateJson}) and each message waiting for its client ({@link #messageJson}).
 *
 * @param clientId         the client id
 * @param identity         who the session belonged to (a guest, or a user with roles and campaigns)
 * @param expirySeconds    how long it outlives its connection
 * @param offlineSince     when its client went away, in ms since the epoch; 0 when it was online when the node stopped
 * @param subscriptions    its subscriptions, in the order they were made
 * @param pending          the QoS 1 and 2 messages in flight (with a packet id) or queued for its client, in order
 * @param awaitingRelease  the packet ids of QoS 2 messages its client published and has not released yet
 */
record StoredSession(String clientId, BridgeIdentity identity, long expirySeconds, long offlineSince,
                     List<Sub> subscriptions, List<ClientSession.Outgoing> pending, Set<Integer> awaitingRelease) {

  /** One subscription, as the client made it. */
  record Sub(String raw, int qos, boolean noLocal, boolean retainAsPublished, int identifier) {
  }

  /** @return the session's state: identity, expiry, when it went offline, subscriptions */
  static JsonObject stateJson(ClientSession s) {
    BridgeIdentity who = s.identity();
    JsonArray subs = new JsonArray();
    for (Subscription sub : s.subscriptions.values()) {
      subs.add(new JsonObject().put("raw", sub.raw()).put("qos", sub.qos()).put("noLocal", sub.noLocal())
        .put("rap", sub.retainAsPublished()).put("id", sub.identifier()));
    }
    JsonObject json = new JsonObject().put("v", 1).put("expiry", s.expirySeconds()).put("offline", s.offlineSince())
      .put("subs", subs);
    if (who != null) {
      json.put("user", who.userId()).put("guest", who.guest()).put("roles", new JsonArray(List.copyOf(who.roles())))
        .put("campaigns", new JsonArray(List.copyOf(who.campaigns()))).put("exp", who.expiresAt());
    }
    return json;
  }

  /**
   * @param message the message's {@link PublicationJson} form, encoded (a session store encodes a message once for
   *                all the sessions it fans out to)
   * @return one message waiting for the client, with its place (sequence), QoS, packet id and release state
   */
  static String messageJson(ClientSession.Outgoing o, String message) {
    String head = messagePlace(o).encode();
    return head.substring(0, head.length() - 1) + ",\"m\":" + message + "}";
  }

  /** @return the {@link #messageJson} form as a JSON object, for a session handed to another node in one message */
  static JsonObject messageJson(ClientSession.Outgoing o) {
    return messagePlace(o).put("m", PublicationJson.toJson(o.message));
  }

  /** The {@link #messageJson} form without the message: its place, QoS, packet id and release state. */
  private static JsonObject messagePlace(ClientSession.Outgoing o) {
    JsonArray ids = new JsonArray();
    for (int id : o.subscriptionIds) {
      ids.add(id);
    }
    return new JsonObject().put("s", o.seq).put("q", o.qos).put("r", o.retain).put("i", ids)
      .put("p", o.packetId).put("d", o.released);
  }

  /**
   * @param state    the {@link #stateJson} form
   * @param messages the {@link #messageJson} forms, in any order
   * @param released the packet ids awaiting release
   * @throws RuntimeException when a form is unreadable
   */
  static StoredSession read(String clientId, JsonObject state, List<JsonObject> messages, Set<Integer> released) {
    BridgeIdentity who = null;
    String user = state.getString("user");
    if (user != null) {
      who = new BridgeIdentity(user, state.getBoolean("guest", false), strings(state.getJsonArray("roles")),
        strings(state.getJsonArray("campaigns")), state.getLong("exp", 0L));
    }
    List<Sub> subs = new ArrayList<>();
    for (Object o : state.getJsonArray("subs", new JsonArray())) {
      JsonObject sub = (JsonObject) o;
      subs.add(new Sub(sub.getString("raw"), sub.getInteger("qos"), sub.getBoolean("noLocal"), sub.getBoolean("rap"),
        sub.getInteger("id")));
    }
    List<ClientSession.Outgoing> pending = new ArrayList<>(messages.size());
    for (JsonObject m : messages) {
      JsonArray idsJson = m.getJsonArray("i");
      int[] ids = new int[idsJson.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = idsJson.getInteger(i);
      }
      ClientSession.Outgoing o = new ClientSession.Outgoing(PublicationJson.fromJson(m.getJsonObject("m")),
        m.getInteger("q"), m.getBoolean("r"), ids);
      o.seq = m.getLong("s");
      o.packetId = m.getInteger("p");
      o.released = m.getBoolean("d");
      pending.add(o);
    }
    pending.sort((a, b) -> Long.compare(a.seq, b.seq));
    return new StoredSession(clientId, who, state.getLong("expiry"), state.getLong("offline"), subs, pending,
      released);
  }

  private static Set<String> strings(JsonArray array) {
    Set<String> out = new HashSet<>();
    if (array != null) {
      array.forEach(v -> out.add((String) v));
    }
    return out;
  }
}
