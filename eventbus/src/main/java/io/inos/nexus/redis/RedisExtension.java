package io.inos.nexus.redis;

import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtensionOptions.HistoryScope;
import io.inos.nexus.redis.impl.Keys;
import io.inos.nexus.redis.impl.RedisEventHistory;
import io.inos.nexus.redis.impl.RedisEventRelay;
import io.inos.nexus.redis.impl.RedisLink;
import io.inos.nexus.redis.impl.RedisPresence;
import io.inos.nexus.redis.impl.RedisRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * The Nexus extended over Redis: history and recovery, relay, presence and shared rate limits (see the package
 * documentation for the data layout and the guarantees).
 *
 * <pre>{@code
 * RedisExtension redis = RedisExtension.create(nexus, new RedisExtensionOptions()
 *     .setUrl("redis://localhost:6379").addHistoryScope(new HistoryScope("campaign:*", 1000, 3_600_000)));
 * redis.start().onSuccess(state -> ...);        // completes UP or DOWN; never fails because Redis is away
 * redis.history().recoverAfterEvent("campaign:42", lastEventId);
 * redis.presence().join("42", connectionId, userId, new JsonObject().put("protocol", "sockjs"));
 * redis.rateLimiter().tryAcquire("user:" + userId);
 * redis.state();                                // for /ready: UP, or DOWN with the reason
 * }</pre>
 *
 * <p>One extension per Nexus. It watches what is published on the Nexus's event bus through an outbound
 * interceptor, so it sees every event published on this node (by any Nexus on the same Vert.x) exactly once, and
 * each event is appended and relayed by the node that published it. The Nexus itself is not changed.
 *
 * <p>Degradation: when Redis goes away the Nexus keeps working locally; appends wait in a bounded buffer (then are
 * dropped, counted, and leave a gap marker), the relay pauses, presence and recovery calls fail with
 * {@link RedisUnavailableException}, the rate limiter decides locally; {@link #state()} is DOWN with the reason, and
 * everything resumes by itself when Redis answers again.
 */
public final class RedisExtension {

  private static final Logger LOG = LoggerFactory.getLogger(RedisExtension.class);

  private final Nexus nexus;
  private final RedisExtensionOptions options;
  private final String nodeId = UUID.randomUUID().toString();
  private final RedisLink link;
  private final RedisEventHistory history;
  private final RedisEventRelay relay;
  private final RedisPresence presence;
  private final RedisRateLimiter rateLimiter;
  private final Handler<DeliveryContext<Object>> tap = this::tap;

  private RedisExtension(Nexus nexus, RedisExtensionOptions options, MeterRegistry registry) {
    this.nexus = nexus;
    this.options = new RedisExtensionOptions(options.validate());
    Keys keys = new Keys(this.options.getKeyPrefix());
    this.link = new RedisLink(nexus.vertx(), this.options, registry);
    this.history = new RedisEventHistory(link, keys, this.options, registry);
    this.relay = new RedisEventRelay(nexus, link, keys, this.options, registry);
    this.presence = new RedisPresence(nexus, link, keys, this.options, nodeId, registry);
    this.rateLimiter = new RedisRateLimiter(link, keys, this.options, registry);
  }

  /** An extension whose metrics go to the Nexus's meter registry, when it has one. */
  public static RedisExtension create(Nexus nexus, RedisExtensionOptions options) {
    return new RedisExtension(nexus, options, nexus.options().getMeterRegistry());
  }

  /** An extension whose metrics go to {@code registry} ({@code null}: none). */
  public static RedisExtension create(Nexus nexus, RedisExtensionOptions options, MeterRegistry registry) {
    return new RedisExtension(nexus, options, registry);
  }

  /**
   * Starts watching the Nexus and connects. Completes with the state after the first try: UP, or DOWN with the
   * reason (the extension then keeps trying in the background and resumes by itself).
   */
  public Future<ExtensionState> start() {
    nexus.vertx().eventBus().addOutboundInterceptor(tap);
    return link.start().compose(state -> relay.start().otherwiseEmpty().map(state)).onSuccess(state -> {
      presence.start();
      if (!state.isUp()) {
        LOG.warn("the Redis extension starts degraded: {}", state.reason());
      }
    });
  }

  /** Stops watching, stops timers and closes the connections. Presence entries of this node are left to expire. */
  public Future<Void> close() {
    nexus.vertx().eventBus().removeOutboundInterceptor(tap);
    presence.close();
    return relay.close().compose(v -> link.close());
  }

  /** UP or DOWN with the reason, for {@code /ready}. */
  public ExtensionState state() {
    return link.state();
  }

  /** {@code listener} is told of every change of state, on the extension's context. */
  public RedisExtension onStateChange(Consumer<ExtensionState> listener) {
    link.onStateChange(listener);
    return this;
  }

  public EventHistory history() {
    return history;
  }

  public EventRelay relay() {
    return relay;
  }

  public Presence presence() {
    return presence;
  }

  public SharedRateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** This node's id in presence entries. */
  public String nodeId() {
    return nodeId;
  }

  public RedisExtensionOptions options() {
    return new RedisExtensionOptions(options);
  }

  /** Sees every message sent from this node: events on history addresses are appended, selected types relayed. */
  private void tap(DeliveryContext<Object> ctx) {
    try {
      if (ctx.body() instanceof Event event) {
        String address = ctx.message().address();
        if (!ctx.send()) {
          HistoryScope scope = history.scopeOf(address);
          if (scope != null) {
            history.offer(address, scope, event);
          }
        }
        // an event goes out once: at its type address (its scope publication is the same event again)
        if (address.equals(event.type().toString()) && relay.selects(event)) {
          relay.offerOut(event);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("the Redis extension could not take an event: {}", e.toString());
    }
    ctx.next();
  }
}
