package io.inos.adapters.bridge;

import io.inos.adapters.bridge.impl.BridgeImpl;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The bridge between clients and the Nexus, shared by every protocol adapter of a node (SockJS, WebSocket, SSE, MQTT,
 * AMQP…). It authenticates (JWT bearer tokens, guests), authorises ({@link BridgeRules} and the connection's scope),
 * rate-limits, bounds every outbound queue, counts, and routes.
 *
 * <p>A protocol adapter opens one {@link BridgeSession} per client connection, gives it a {@link DeliverySink}, turns
 * its client's frames into session operations (send, publish, request, subscribe, unsubscribe) and the refusals
 * ({@link BridgeException}) into its protocol's errors.
 *
 * <p>Routing follows the scale rule: the subscription table (address → sessions) is local to the node, with
 * <b>one</b> event-bus consumer per distinct address, registered when the first session subscribes and unregistered
 * when the last one leaves (cluster-wide when clustered, so a publish crosses the network once per interested node).
 * Each message becomes one {@link Delivery} per address, whose encodings are computed once and shared by every
 * session of every protocol; it is handed to each session on the session's own event loop, so the fan-out uses every
 * event loop.
 *
 * <p>Create <b>one</b> bridge per node and give it to every door. Its consumers and timers live on the context it
 * was created on: created in a verticle's {@code start()}, they end with that verticle.
 */
public interface Bridge {

  /**
   * @throws IllegalArgumentException when the options' rules or key do not load; without a key, a development key
   *                                  is generated and a warning logged
   */
  static Bridge create(Vertx vertx, Nexus nexus, BridgeOptions options) {
    return new BridgeImpl(vertx, nexus, new BridgeOptions(options));
  }

  Vertx vertx();

  Nexus nexus();

  /** @return a copy of the options the bridge was created with (its rules may have been reloaded since) */
  BridgeOptions options();

  /**
   * Opens a session for a new client connection, not yet authenticated: call {@link BridgeSession#authenticate}
   * before any operation. The session belongs to the current context (the connection's); its deliveries arrive
   * there.
   *
   * @param sink   where the session writes to the client
   * @param source the {@code source} given to the client's envelopes that have none, e.g. {@code sockjs}, {@code ws},
   *               {@code mqtt}
   */
  BridgeSession open(DeliverySink sink, String source);

  /**
   * Opens a session and authenticates it, for protocols that present credentials when they connect (MQTT CONNECT,
   * an HTTP request).
   *
   * @return the session; fails like {@link BridgeSession#authenticate}, and the session is then closed
   */
  Future<BridgeSession> open(BridgeCredentials credentials, DeliverySink sink, String source);

  /** @return the node's Redis extension ({@link BridgeOptions#getRedis()}), or {@code null} without one */
  RedisExtension redis();

  /** @return the rules in force now */
  BridgeRules rules();

  /**
   * Replaces the rules without a restart. New operations follow the new rules at once; every session's subscriptions
   * are checked again and those no longer permitted are dropped, each with a
   * {@link BridgeNotice.Kind#SUBSCRIPTION_REVOKED} notice.
   *
   * @return completes when every session has been checked; fails with an {@link IllegalArgumentException} naming the
   * bad key when the rules do not load, and the old rules stay
   */
  Future<Void> reloadRules(JsonObject rules);

  /** @return an issuer of tokens signed with this bridge's key (the generated development key too) */
  TokenIssuer tokenIssuer();

  /** @return the bridge's counters now */
  BridgeStats stats();

  /** @return how many sessions subscribe to {@code address} on this node */
  int subscribers(String address);

  /** @return the event-bus consumers the bridge holds: one per distinct address any session subscribes to */
  int addresses();

  /** Closes every session (their sinks are told {@link BridgeError#SESSION_CLOSED}) and unregisters every consumer. */
  Future<Void> close();
}
