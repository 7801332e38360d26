package io.inos.adapters.mqtt.impl;

import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where persistent sessions are kept besides the node's memory, so they survive a restart. The sessions tell it each
 * change as it happens (a {@link ClientSession} is stored while its session expiry is above 0); it writes in the
 * background and never makes them wait. {@link #MEMORY} keeps nothing: sessions end with the node.
 *
 * <p>Used on the adapter's context only.
 */
interface SessionStore {

  /** No store: sessions live in memory only. */
  SessionStore MEMORY = new SessionStore() {
    @Override
    public Future<List<StoredSession>> load() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public void loadWhenBack(Consumer<List<StoredSession>> restore) {
    }

    @Override
    public void save(ClientSession s) {
    }

    @Override
    public void saveState(ClientSession s) {
    }

    @Override
    public void put(ClientSession s, ClientSession.Outgoing o) {
    }

    @Override
    public void remove(ClientSession s, ClientSession.Outgoing o) {
    }

    @Override
    public void awaitingRelease(ClientSession s, int packetId, boolean awaiting) {
    }

    @Override
    public void end(String clientId) {
    }
  };

  /** @return the sessions kept, to restore at start; fails when the store cannot be read now */
  Future<List<StoredSession>> load();

  /** After a failed {@link #load()}: loads once the store can be read, and hands the sessions to {@code restore}. */
  void loadWhenBack(Consumer<List<StoredSession>> restore);

  /** Keeps the whole session (state, waiting messages, packet ids awaiting release), replacing what was kept. */
  void save(ClientSession s);

  /** Keeps the session's state: identity, expiry, whether and since when it is offline, subscriptions. */
  void saveState(ClientSession s);

  /** Keeps a message waiting for the client, or its new packet id or release state. */
  void put(ClientSession s, ClientSession.Outgoing o);

  /** Forgets a message: acknowledged, dropped or expired. */
  void remove(ClientSession s, ClientSession.Outgoing o);

  /** Keeps or forgets a QoS 2 packet id the client published and has not released yet. */
  void awaitingRelease(ClientSession s, int packetId, boolean awaiting);

  /** Forgets the session of {@code clientId}. */
  void end(String clientId);
}
