package io.inos.adapters.mqtt;

import io.inos.adapters.mqtt.impl.NodeInterest;
import io.vertx.core.Vertx;

/**
 * Makes a node that runs no MQTT adapter hand the events published on it to the MQTT adapters of the other nodes
 * of its cluster, as every node with an adapter does: it learns which topic filters their sessions hold and sends each
 * matching event once to each adapter that wants it (see the package documentation, "Routing"). Without it, an event
 * published on such a node reaches MQTT clients only when it also passes through a node with an adapter.
 */
public final class MqttEventHandover implements AutoCloseable {

  private final NodeInterest interest;
  private boolean closed;

  private MqttEventHandover(NodeInterest interest) {
    this.interest = interest;
  }

  /** Starts handing over the events published on {@code vertx}'s node; {@link #close()} ends it. */
  public static MqttEventHandover start(Vertx vertx) {
    return new MqttEventHandover(NodeInterest.acquire(vertx));
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      interest.release();
    }
  }
}
