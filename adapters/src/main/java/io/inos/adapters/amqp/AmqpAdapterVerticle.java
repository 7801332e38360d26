package io.inos.adapters.amqp;

import io.inos.adapters.amqp.impl.AmqpAdapter;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The AMQP adapter as a verticle, deployable alone into any Vert.x application:
 * {@code vertx.deployVerticle(new AmqpAdapterVerticle(nexus, options))}. Without a Nexus it makes one on the deploying
 * Vert.x instance.
 *
 * <p>Deployment completes once the adapter listens on every {@code out} binding's address and has either connected
 * to the broker (declared or checked its exchanges and queues, consuming every {@code in} binding) or found it
 * unreachable: it then starts disconnected, holds outbound events in its buffer and keeps trying with exponential
 * backoff, as after any later loss ({@link AmqpAdapterOptions#setRequireBrokerAtStart} makes an unreachable broker
 * fail the deployment instead). A broker that answers and refuses (credentials, virtual host, topology) fails the
 * deployment with a message naming the option. Undeploying waits up to
 * {@link AmqpAdapterOptions#getStopDrainTimeoutMs()} for held events to be confirmed. Deploy one instance per
 * connection wanted (each has its own connection); see the package documentation for the mapping and the
 * guarantees.
 */
public final class AmqpAdapterVerticle extends VerticleBase {

  private final AmqpAdapterOptions options;
  private Nexus nexus;
  private volatile AmqpAdapter adapter;

  public AmqpAdapterVerticle(AmqpAdapterOptions options) {
    this(null, options);
  }

  /**
   * @param nexus   the Nexus to exchange events with, or {@code null} for a new one on the deploying Vert.x
   * @param options the adapter's options (copied)
   * @throws IllegalArgumentException when the options are inconsistent, naming the key
   */
  public AmqpAdapterVerticle(Nexus nexus, AmqpAdapterOptions options) {
    this.nexus = nexus;
    this.options = new AmqpAdapterOptions(options);
    this.options.validate();
  }

  @Override
  public Future<?> start() {
    if (nexus == null) {
      nexus = Nexus.create(vertx);
    }
    AmqpAdapter created;
    try {
      created = new AmqpAdapter(vertx, nexus, options);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    adapter = created;
    return created.start();
  }

  @Override
  public Future<?> stop() {
    AmqpAdapter current = adapter;
    return current == null ? Future.succeededFuture() : current.stop();
  }

  /** @return the Nexus the adapter exchanges events with (made in {@code start()} when none was given) */
  public Nexus nexus() {
    return nexus;
  }

  /** @return the adapter's counters now; all zero before it started */
  public AmqpAdapterStats stats() {
    AmqpAdapter current = adapter;
    return current == null
      ? new AmqpAdapterStats(0, 0, 0, java.util.Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, false)
      : current.stats();
  }

  /** @return whether the adapter is connected to the broker now */
  public boolean isConnected() {
    AmqpAdapter current = adapter;
    return current != null && current.isConnected();
  }

  /**
   * @return why the adapter is not connected now — the last failed attempt or the loss, e.g.
   * {@code java.net.ConnectException: Connection refused} — or {@code null} while it is connected; for readiness
   * reports
   */
  public String problem() {
    AmqpAdapter current = adapter;
    return current == null ? "not started" : current.problem();
  }
}
