package io.inos.adapters.bridge;

import io.inos.nexus.Event;
import io.vertx.core.Future;

import java.util.Set;

/**
 * One client connection as the bridge sees it, opened by a protocol adapter with {@link Bridge#open}. The adapter turns
 * its client's frames into these operations and writes what comes back through its {@link DeliverySink}.
 *
 * <p>Every operation is checked here, the same way for every protocol: the session must be authenticated and its
 * identity not expired, the address not longer than the limit, the rules and the connection's scope must permit it,
 * and the operation takes one token of the session's rate limit (with the Redis extension: of its user's bucket
 * shared by every node, see {@link BridgeOptions#getMaxInboundPerSecond()}). A refused operation fails with a
 * {@link BridgeException}; the session stays usable.
 *
 * <p>Call a session's methods on the context it was opened on (the connection's own); the futures complete there
 * too.
 */
public interface BridgeSession {

  /** @return an id for logs, unique within the bridge */
  long id();

  /** @return who the session acts as, or {@code null} before {@link #authenticate} succeeded */
  BridgeIdentity identity();

  /**
   * Settles or changes who the session is: a bearer token is verified (signature, {@code exp}, claims), no token makes
   * a guest (the proposed guest id when well formed, else a new one). When the identity changes, subscriptions it no
   * longer permits are revoked, each with a {@link BridgeNotice.Kind#SUBSCRIPTION_REVOKED} notice.
   *
   * @return the identity; fails with {@link BridgeError#INVALID_TOKEN} (the message says why, e.g.
   * {@code invalid_token: expired}) or {@link BridgeError#NOT_AUTHENTICATED} (guests not admitted), leaving the
   * identity as it was
   */
  Future<BridgeIdentity> authenticate(BridgeCredentials credentials);

  /**
   * Takes one token of the rate limit for a client frame that carries no operation (a ping, a malformed frame), so
   * that every frame counts. The operations below take theirs themselves.
   *
   * @return {@code false} when over the limit (counted): refuse the frame with {@link BridgeError#RATE_LIMIT_EXCEEDED}
   */
  boolean admit();

  /**
   * Sends an event: a {@code :requested} event goes to its service (fire and forget: its lifecycle still reaches the
   * user's address), any other event is published.
   *
   * @param body the event envelope (a JSON object); its type defaults to {@code address} and must equal it, and
   *             its {@code user_id} is forced to the session's user
   */
  Future<Void> send(String address, Object body);

  /** Publishes an event; a {@code :requested} event is refused ({@link BridgeError#INVALID_EVENT}: use send). */
  Future<Void> publish(String address, Object body);

  /**
   * Sends a {@code :requested} event and waits for its outcome.
   *
   * @return the {@code :success} or {@code :failed} event; when no service answered, a {@code :failed} event made by
   * the bridge with the request's correlation id and the code (NOT_FOUND, UNIMPLEMENTED, DEADLINE_EXCEEDED). Fails
   * only with a {@link BridgeException} when the request is refused.
   */
  Future<Event> request(String address, Object body);

  /**
   * Subscribes to an address. Completes once the address's event-bus consumer is registered, so nothing published
   * after that is missed. Refused when already subscribed, not permitted, or over the subscription limit.
   */
  Future<Void> subscribe(String address);

  /**
   * Subscribes to an address and first delivers what the client missed there since the event {@code lastEventId}
   * (the {@code id} of the last event it received at this address), from the history of the Redis extension.
   *
   * <p>How no event is lost or doubled: the live consumer is registered first and what arrives at the address is
   * held back; then the history appends this node queued are awaited ({@code EventHistory.settled}) and the
   * history after {@code lastEventId} is read, and read again from where it ended until it holds the live events
   * held back before (on a clustered bus, until half a second after this node began to listen at the address: the
   * other nodes learn of a new consumer a moment after it is registered, and what they publish meanwhile reaches
   * this client only through the history);
   * then, through the session's queue in this order, a
   * {@link BridgeNotice.Kind#RECOVERY} notice, the recovered events (in history order, each passing the rules'
   * filter like a live delivery), the held-back live deliveries whose event ids were not among them, and the live
   * flow. Recovered event ids are remembered for a while so a live delivery of one of them that was still on its
   * way is dropped too.
   *
   * <p>The notice says {@code recovered: false} (and no events are recovered) when the history no longer reaches
   * back that far (trimmed, expired, lost, a gap while Redis was down), the event is not in the address's history,
   * the address keeps no history, there is no Redis extension or Redis is down: the client must then read its state
   * again. The live flow follows in every case.
   *
   * @param lastEventId the client's position, or {@code null} for a plain {@link #subscribe(String)} (no notice)
   * @return the notice, once the recovered events are queued (the subscription is live then); {@code null} when
   * {@code lastEventId} is {@code null}. Refused as {@link #subscribe(String)}.
   */
  Future<BridgeNotice> subscribe(String address, String lastEventId);

  /** Ends a subscription; unknown addresses are ignored. */
  Future<Void> unsubscribe(String address);

  /** @return the addresses the session subscribes to now */
  Set<String> subscriptions();

  /**
   * Sends a frame of the adapter's own (a reply, a refusal) through the session's outbound queue, in order with the
   * deliveries and under the same bound; it comes back to {@link DeliverySink#write}.
   */
  void write(Object frame);

  /** @return how many messages wait in the outbound queue now */
  int queued();

  boolean isClosed();

  /**
   * Closes the session: its subscriptions end and its queue is dropped. The adapter calls it when its connection
   * ends; calling it again does nothing.
   */
  Future<Void> close();
}
