package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeNotice;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.bridge.Delivery;
import io.inos.adapters.bridge.DeliverySink;
import io.inos.adapters.bridge.GuestIds;
import io.inos.adapters.bridge.SlowConsumerPolicy;
import io.inos.graceful.Outcome;
import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Outcomes;
import io.inos.nexus.redis.RedisExtension;
import io.inos.nexus.redis.SharedRateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client session. Its state is touched on its own context only (the connection's): operations come from the
 * adapter there, and the subscription table hands deliveries there.
 */
final class SessionImpl implements BridgeSession {

  private static final Logger LOG = LoggerFactory.getLogger(SessionImpl.class);
  /** The size counted for a frame that is not text (a notice, an adapter's object). */
  private static final int SMALL_FRAME = 128;
  /** The key of a user's shared inbound bucket in the Redis extension's rate limiter. */
  static final String RATE_KEY_PREFIX = "bridge:";

  private final BridgeImpl bridge;
  private final long id;
  private final Context context;
  private final DeliverySink sink;
  private final String source;
  private final InboundRate rate;
  private volatile BridgeIdentity identity;
  /**
   * The signature part of the token the identity came from: a frame presenting a token with the same signature is
   * the same token (a different header or payload under the same signature would be a forgery), so it need not be
   * verified again. Only the signature is kept, not the whole token: an idle signed-in connection is mostly this.
   */
  private String tokenSignature;
  /** address → the verdict that permitted it (with its per-message filter, if any); null until the first one. */
  private SessionSubscriptions subscriptions;
  private int pendingRequests;
  private ArrayDeque<Object> queue;
  private long queuedBytes;
  private long droppedUntold;
  private boolean closed;
  /** Subscriptions whose missed events are being read: address → the live deliveries held back meanwhile. */
  private Map<String, ArrayDeque<Delivery>> recovering;
  /** Ids of events just recovered per address, so a live delivery of one still on its way is dropped. */
  private Map<String, RecoveredIds> recentlyRecovered;

  SessionImpl(BridgeImpl bridge, long id, Context context, DeliverySink sink, String source) {
    this.bridge = bridge;
    this.id = id;
    this.context = context;
    this.sink = sink;
    this.source = source;
    this.rate = new InboundRate(bridge.settings().getMaxInboundPerSecond());
  }

  /** Called once the bridge knows the session. */
  void start() {
    sink.drainHandler(this::flush);
  }

  Context context() {
    return context;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public BridgeIdentity identity() {
    return identity;
  }

  @Override
  public Future<BridgeIdentity> authenticate(BridgeCredentials credentials) {
    if (closed) {
      return closedFailure();
    }
    BridgeIdentity current = identity;
    if (credentials.hasToken()) {
      if (sameSignature(credentials.token(), tokenSignature) && current != null && !current.expired(nowSeconds())) {
        return Future.succeededFuture(current);
      }
      String presented = credentials.token();
      return bridge.tokens().verify(presented)
        .onFailure(err -> bridge.metrics().invalidTokens.increment())
        .map(verified -> settle(verified, presented));
    }
    if (!bridge.settings().isAllowGuests()) {
      return Future.failedFuture(new BridgeException(BridgeError.NOT_AUTHENTICATED,
        "this server admits signed-in users only: present a bearer token"));
    }
    String proposed = credentials.guestId();
    if (current != null) {
      // guest credentials never replace an identity, and a guest may not turn into another guest
      if (current.guest() && proposed != null && !proposed.equals(current.userId())) {
        return Future.failedFuture(denied("this connection acts as " + current.userId() + ", not " + proposed));
      }
      return Future.succeededFuture(current);
    }
    return Future.succeededFuture(settle(BridgeIdentity.guest(proposed != null ? proposed : GuestIds.newGuestId()),
      null));
  }

  /** @return whether {@code token}'s signature (after its last dot) is {@code signature}, without copying it */
  private static boolean sameSignature(String token, String signature) {
    if (signature == null) {
      return false;
    }
    int start = token.lastIndexOf('.') + 1;
    return token.length() - start == signature.length() && token.regionMatches(start, signature, 0, signature.length());
  }

  private BridgeIdentity settle(BridgeIdentity next, String nextToken) {
    BridgeIdentity previous = identity;
    identity = next;
    tokenSignature = nextToken == null ? null : nextToken.substring(nextToken.lastIndexOf('.') + 1);
    if (previous != null && !previous.equals(next)) {
      recheck("the connection's identity changed");
    }
    return next;
  }

  @Override
  public boolean admit() {
    if (rate.tryTake()) {
      return true;
    }
    bridge.metrics().rateLimited.increment();
    return false;
  }

  @Override
  public Future<Void> send(String address, Object body) {
    return toEvent(address, body).compose(event -> {
      if (!event.type().hasState(EventState.REQUESTED)) {
        bridge.nexus().publish(event);
        return Future.succeededFuture();
      }
      // fire and forget: the lifecycle still reaches the user's address
      bridge.nexus().exchange(event, bridge.requestTimeoutMs())
        .onFailure(err -> LOG.debug("bridge: request {} of session {} found no service: {}", event.type(), id,
          err.getMessage()));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> publish(String address, Object body) {
    return toEvent(address, body).compose(event -> {
      if (event.type().hasState(EventState.REQUESTED)) {
        return Future.failedFuture(new BridgeException(BridgeError.INVALID_EVENT,
          "a request goes to one service: use send, not publish"));
      }
      bridge.nexus().publish(event);
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Event> request(String address, Object body) {
    return toEvent(address, body).compose(event -> {
      if (!event.type().hasState(EventState.REQUESTED)) {
        return Future.failedFuture(new BridgeException(BridgeError.INVALID_EVENT,
          "only a :requested event has an outcome to wait for, not " + event.type()));
      }
      int max = bridge.settings().getMaxPendingRequestsPerSession();
      if (pendingRequests >= max) {
        return Future.failedFuture(new BridgeException(BridgeError.TOO_MANY_PENDING_REQUESTS, "more than " + max
          + " requests are waiting for their outcome"));
      }
      pendingRequests++;
      // no service answered: the client still gets a :failed event with its correlation id, made here
      return bridge.nexus().exchange(event, bridge.requestTimeoutMs())
        .recover(err -> Future.succeededFuture(Outcomes.failedEvent(event, Outcome.of(err), source)))
        .andThen(ar -> pendingRequests--);
    });
  }

  /** The checks every send, publish and request passes, then the body as an event. */
  private Future<Event> toEvent(String address, Object body) {
    return admitted(address).compose(v -> checkedEvent(address, body));
  }

  private Future<Event> checkedEvent(String address, Object body) {
    BridgeIdentity who = identity;
    BridgeRules.Check check = bridge.rules().checkInbound(address, body, who);
    if (!check.permitted()) {
      return Future.failedFuture(denied(check.reason()));
    }
    try {
      return Future.succeededFuture(InboundEvents.toEvent(address, body, who, source));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new BridgeException(BridgeError.INVALID_EVENT, e.getMessage()));
    }
  }

  @Override
  public Future<Void> subscribe(String address) {
    return admitted(address).compose(v -> register(address, false));
  }

  @Override
  public Future<BridgeNotice> subscribe(String address, String lastEventId) {
    if (lastEventId == null) {
      return subscribe(address).map(v -> null);
    }
    // live first (held back), then the history: an event published meanwhile is in one or both, never in neither
    return admitted(address).compose(v -> register(address, true)).compose(v -> {
      ArrayDeque<Delivery> held = recovering == null ? null : recovering.get(address);
      return here(Recoveries.read(bridge.redis(), address, lastEventId, context, () -> heldIds(address, held),
        bridge.table().registeredAt(address))).map(outcome -> merge(address, held, outcome));
    });
  }

  /** @return the ids of the events held back at {@code address}; {@code null} once it no longer recovers */
  private Set<String> heldIds(String address, ArrayDeque<Delivery> held) {
    if (closed || held == null || recovering == null || recovering.get(address) != held) {
      return null;
    }
    Set<String> ids = new HashSet<>(held.size() * 2);
    for (Delivery delivery : held) {
      Event event = delivery.event();
      if (event != null) {
        ids.add(event.id());
      }
    }
    return ids;
  }

  /**
   * Adds the subscription once the rules permit it; with {@code holdBack}, live deliveries are held back from now
   * on until the recovery merged them.
   */
  private Future<Void> register(String address, boolean holdBack) {
    BridgeRules.Check check = bridge.rules().checkOutbound(address, identity);
    if (!check.permitted()) {
      return Future.failedFuture(denied(check.reason()));
    }
    if (subscriptions == null) {
      subscriptions = new SessionSubscriptions();
    } else if (subscriptions.contains(address)) {
      return Future.failedFuture(new BridgeException(BridgeError.ALREADY_SUBSCRIBED,
        "already subscribed to '" + address + "'"));
    }
    int max = bridge.settings().getMaxSubscriptionsPerSession();
    if (subscriptions.size() >= max) {
      return Future.failedFuture(new BridgeException(BridgeError.TOO_MANY_SUBSCRIPTIONS, "more than " + max
        + " subscriptions on one connection"));
    }
    subscriptions.put(address, check);
    if (holdBack) {
      if (recovering == null) {
        recovering = new HashMap<>();
      }
      recovering.put(address, new ArrayDeque<>());
    }
    bridge.metrics().subscriptions.increment();
    return here(bridge.table().subscribe(address, this)).recover(err -> {
      LOG.warn("bridge: cannot register a consumer at {}: {}", address, err.toString());
      forget(address);
      return Future.failedFuture(new BridgeException(BridgeError.REGISTRATION_FAILURE,
        "cannot subscribe to '" + address + "' now"));
    });
  }

  @Override
  public Future<Void> unsubscribe(String address) {
    if (closed) {
      return closedFailure();
    }
    return takeToken(identity).map(v -> {
      forget(address);
      return null;
    });
  }

  @Override
  public Set<String> subscriptions() {
    return subscriptions == null ? Set.of() : Set.copyOf(subscriptions.addresses());
  }

  /**
   * The checks before the rules look at an operation: the session open, authenticated and not expired, the address
   * well formed, and one token of the rate limit (see {@link #takeToken}). Fails with the refusal.
   */
  private Future<Void> admitted(String address) {
    if (closed) {
      return closedFailure();
    }
    BridgeIdentity who = identity;
    BridgeException refused = validate(address, who);
    if (refused != null) {
      // refused frames count too, on the local bucket: no round trip for a frame that does nothing
      return Future.failedFuture(admit() ? refused : overRate());
    }
    return takeToken(who);
  }

  /**
   * One token of the inbound rate: with the Redis extension up and a known user, from the bucket of that user
   * shared by every node ({@code bridge:{user id}}, guests by their guest id), so reconnecting elsewhere does not
   * multiply the quota; otherwise (no extension, Redis down, not authenticated yet) from this session's own bucket.
   */
  private Future<Void> takeToken(BridgeIdentity who) {
    SharedRateLimiter shared = sharedLimiter(who);
    if (shared == null) {
      return admit() ? Future.succeededFuture() : Future.failedFuture(overRate());
    }
    int perSecond = rate.perSecond();
    return here(shared.tryAcquire(RATE_KEY_PREFIX + who.userId(), 1, perSecond, perSecond)).compose(decision -> {
      if (decision.allowed()) {
        return Future.succeededFuture();
      }
      bridge.metrics().rateLimited.increment();
      return Future.failedFuture(overRate());
    });
  }

  private SharedRateLimiter sharedLimiter(BridgeIdentity who) {
    RedisExtension redis = bridge.redis();
    if (redis == null || who == null || who.userId() == null || !redis.state().isUp()) {
      return null;
    }
    return redis.rateLimiter();
  }

  /** @return why the operation is refused before the rules look at it, or {@code null} */
  private BridgeException validate(String address, BridgeIdentity who) {
    if (who == null) {
      return new BridgeException(BridgeError.NOT_AUTHENTICATED, "the connection has not authenticated");
    }
    if (who.expired(nowSeconds())) {
      return new BridgeException(BridgeError.INVALID_TOKEN, "invalid_token: expired");
    }
    if (address == null || address.isEmpty()) {
      return new BridgeException(BridgeError.INVALID_EVENT, "no address");
    }
    int max = bridge.settings().getMaxAddressLength();
    if (address.length() > max) {
      return new BridgeException(BridgeError.ADDRESS_TOO_LONG, "the address is longer than " + max + " characters");
    }
    return null;
  }

  private BridgeException overRate() {
    return new BridgeException(BridgeError.RATE_LIMIT_EXCEEDED, "more than " + rate.perSecond()
      + " messages per second on one connection");
  }

  private BridgeException denied(String why) {
    bridge.metrics().denied.increment();
    return new BridgeException(BridgeError.ACCESS_DENIED, why);
  }

  private void forget(String address) {
    if (recovering != null) {
      recovering.remove(address);
    }
    if (recentlyRecovered != null) {
      recentlyRecovered.remove(address);
    }
    if (subscriptions != null && subscriptions.remove(address) != null) {
      bridge.metrics().subscriptions.decrement();
      bridge.table().unsubscribe(address, this);
    }
  }

  /**
   * Checks every subscription again (rules reloaded, identity changed, token expired): those no longer permitted
   * are revoked with a notice. Runs on the session's context.
   */
  void recheck(String why) {
    if (closed || subscriptions == null || subscriptions.isEmpty()) {
      return;
    }
    BridgeIdentity who = identity;
    boolean expired = who == null || who.expired(nowSeconds());
    BridgeRules rules = bridge.rules();
    for (String address : subscriptions.addresses()) {
      BridgeRules.Check check = expired ? null : rules.checkOutbound(address, who);
      if (check != null && check.permitted()) {
        subscriptions.put(address, check);
      } else {
        forget(address);
        enqueue(BridgeNotice.revoked(address, expired ? "the token expired; authenticate again" : why
          + (check == null ? "" : "; " + check.reason())));
      }
    }
  }

  /** Whether the identity ended; read from the bridge's timer, off the session's context. */
  boolean expiredWithSubscriptions(long nowSeconds) {
    BridgeIdentity who = identity;
    return who != null && who.expired(nowSeconds) && subscriptions != null && !subscriptions.isEmpty();
  }

  /** A delivery from the subscription table, on the session's context. */
  void offer(Delivery delivery) {
    if (closed || subscriptions == null) {
      return;
    }
    BridgeRules.Check check = subscriptions.get(delivery.address());
    if (check == null || !check.accepts(delivery)) {
      return;
    }
    if (recovering != null) {
      ArrayDeque<Delivery> held = recovering.get(delivery.address());
      if (held != null) {
        holdBack(held, delivery);
        return;
      }
    }
    if (recentlyRecovered != null && wasRecovered(delivery)) {
      return;
    }
    enqueue(delivery);
  }

  /** Holds a live delivery back while its address recovers, within the queue's bound (the oldest go first). */
  private void holdBack(ArrayDeque<Delivery> held, Delivery delivery) {
    if (held.size() >= bridge.settings().getMaxQueuedMessages()) {
      held.poll();
      bridge.metrics().dropped.increment();
      droppedUntold++;
    }
    held.add(delivery);
  }

  /** @return whether {@code delivery} is an event just recovered at its address (its live copy was on its way) */
  private boolean wasRecovered(Delivery delivery) {
    RecoveredIds ids = recentlyRecovered.get(delivery.address());
    Event event = delivery.event();
    if (ids == null || event == null) {
      return false;
    }
    if (ids.expired(System.nanoTime())) {
      recentlyRecovered.remove(delivery.address());
      return false;
    }
    return ids.take(event.id());
  }

  /**
   * On the session's context, once the history answered: the notice, the recovered events, the held-back live
   * deliveries that were not among them; then the address is live.
   */
  private BridgeNotice merge(String address, ArrayDeque<Delivery> held, Recoveries.Outcome outcome) {
    if (closed || held == null || recovering == null || recovering.get(address) != held) {
      // unsubscribed, revoked or closed meanwhile: nothing to deliver any more
      return outcome.recovered() ? BridgeNotice.recovered(address, 0)
        : BridgeNotice.notRecovered(address, outcome.reason());
    }
    recovering.remove(address);
    BridgeRules.Check check = subscriptions.get(address);
    if (!outcome.recovered()) {
      BridgeNotice notice = BridgeNotice.notRecovered(address, outcome.reason());
      enqueue(notice);
      for (Delivery delivery : held) {
        enqueue(delivery);
      }
      return notice;
    }
    List<Delivery> recovered = new ArrayList<>(outcome.events().size());
    for (Event event : outcome.events()) {
      Delivery delivery = Delivery.of(address, event, null);
      // the rules' per-message filter, as for a live delivery
      if (check == null || check.accepts(delivery)) {
        recovered.add(delivery);
      }
    }
    BridgeNotice notice = BridgeNotice.recovered(address, recovered.size());
    enqueue(notice);
    for (Delivery delivery : recovered) {
      enqueue(delivery);
    }
    Set<String> ids = outcome.eventIds();
    for (Delivery delivery : held) {
      Event event = delivery.event();
      if (event == null || !ids.contains(event.id())) {
        enqueue(delivery);
      }
    }
    if (!ids.isEmpty()) {
      if (recentlyRecovered == null) {
        recentlyRecovered = new HashMap<>();
      }
      recentlyRecovered.put(address, RecoveredIds.tailOf(outcome.events()));
    }
    return notice;
  }

  @Override
  public void write(Object frame) {
    if (!closed) {
      enqueue(frame);
    }
  }

  @Override
  public int queued() {
    return queue == null ? 0 : queue.size();
  }

  /**
   * Writes at once when nothing waits and the transport takes more; else queues, within the bounds, applying the
   * slow-consumer policy when they are reached.
   */
  private void enqueue(Object item) {
    if ((queue == null || queue.isEmpty()) && sink.writable()) {
      emit(item);
      return;
    }
    if (queue == null) {
      queue = new ArrayDeque<>();
    }
    BridgeOptions limits = bridge.settings();
    long size = sizeOf(item);
    while (!queue.isEmpty() && (queue.size() >= limits.getMaxQueuedMessages()
      || queuedBytes + size > limits.getMaxQueuedBytes())) {
      if (limits.getSlowConsumerPolicy() == SlowConsumerPolicy.DISCONNECT) {
        closeBy(BridgeError.SLOW_CONSUMER, "the connection read too slowly: more than "
          + limits.getMaxQueuedMessages() + " messages or " + limits.getMaxQueuedBytes() + " bytes waited for it");
        // counted once it is closed, so whoever sees the count sees the session gone
        bridge.metrics().slowDisconnects.increment();
        return;
      }
      Object dropped = queue.poll();
      queuedBytes -= sizeOf(dropped);
      bridge.metrics().queued.decrement();
      bridge.metrics().dropped.increment();
      droppedUntold++;
    }
    queue.add(item);
    queuedBytes += size;
    bridge.metrics().queued.increment();
    bridge.metrics().queuedNow(queue.size());
  }

  /** The transport drained: write what waits, while it takes more. */
  private void flush() {
    if (closed || queue == null) {
      return;
    }
    while (!queue.isEmpty() && sink.writable()) {
      Object item = queue.poll();
      queuedBytes -= sizeOf(item);
      bridge.metrics().queued.decrement();
      emit(item);
    }
    if (queue.isEmpty() && droppedUntold > 0 && sink.writable()) {
      tellDropped();
    }
  }

  private void emit(Object item) {
    if (droppedUntold > 0) {
      tellDropped();
    }
    if (item instanceof Delivery delivery) {
      bridge.metrics().deliveries.increment();
      sink.deliver(delivery);
    } else if (item instanceof BridgeNotice notice) {
      sink.notice(notice);
    } else {
      sink.write(item);
    }
  }

  private void tellDropped() {
    long count = droppedUntold;
    droppedUntold = 0;
    sink.notice(BridgeNotice.dropped(count));
  }

  private static long sizeOf(Object item) {
    if (item instanceof Delivery delivery) {
      return delivery.json().length();
    }
    if (item instanceof String text) {
      return text.length();
    }
    if (item instanceof Buffer buffer) {
      return buffer.length();
    }
    return SMALL_FRAME;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (subscriptions != null) {
      for (String address : subscriptions.addresses()) {
        forget(address);
      }
    }
    if (queue != null) {
      bridge.metrics().queued.add(-queue.size());
      queue = null;
    }
    bridge.closed(this);
    return Future.succeededFuture();
  }

  /** The bridge ends the session and tells the adapter to close its connection. */
  void closeBy(BridgeError reason, String message) {
    if (closed) {
      return;
    }
    close();
    try {
      sink.close(reason, message);
    } catch (RuntimeException e) {
      LOG.debug("bridge: closing the connection of session {} failed: {}", id, e.toString());
    }
  }

  /** Runs {@code action} on the session's context. */
  void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** {@code future}, completed on the session's context (table operations complete on the table's). */
  private <T> Future<T> here(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> onContext(() -> promise.handle(ar)));
    return promise.future();
  }

  private static <T> Future<T> closedFailure() {
    return Future.failedFuture(new BridgeException(BridgeError.SESSION_CLOSED, "the session is closed"));
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  @Override
  public String toString() {
    return "BridgeSession[" + id + ", " + (identity == null ? "unauthenticated" : identity.userId()) + "]";
  }
}
