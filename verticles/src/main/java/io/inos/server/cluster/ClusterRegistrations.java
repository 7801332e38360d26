package io.inos.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * How many event-bus registrations the whole cluster holds: the entries of vertx-hazelcast's {@value #SUBS_MAP}
 * multimap, one per address and node consuming it. The bridge keeps one consumer per distinct address and node, so
 * this figure should stay within nodes × distinct addresses however many clients come and go; a figure that grows
 * with reconnections is a leak. Reading it is a cluster call, so it is read every few seconds on a worker thread and
 * kept ({@code /health} and {@code inos_cluster_registrations} show the last reading).
 */
final class ClusterRegistrations {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRegistrations.class);
  /** Where vertx-hazelcast 5 keeps the event bus's registrations. */
  static final String SUBS_MAP = "__vertx.subs";

  private final HazelcastClusterManager manager;
  private volatile int count = -1;
  private volatile Instant readAt;
  private Vertx vertx;
  private long timer = -1;
  private boolean reading;

  ClusterRegistrations(HazelcastClusterManager manager, MeterRegistry registry) {
    this.manager = manager;
    Gauge.builder("inos.cluster.registrations", this, r -> r.count)
      .description("event-bus registrations in the whole cluster (address x node), at the last reading")
      .register(registry);
  }

  /** Reads now and then every {@code periodMs}. */
  void start(Vertx vertx, long periodMs) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(0, periodMs, id -> read());
  }

  private void read() {
    if (reading) {
      return; // the previous reading is still on its way (a slow cluster): no pile-up
    }
    reading = true;
    vertx.executeBlocking(() -> {
      HazelcastInstance hz = manager.getHazelcastInstance();
      return hz == null || !hz.getLifecycleService().isRunning() ? -1 : hz.getMultiMap(SUBS_MAP).size();
    }, false).onComplete(ar -> {
      reading = false;
      if (ar.succeeded()) {
        count = ar.result();
        readAt = Instant.now();
      } else {
        LOG.debug("cluster: the registrations could not be read: {}", ar.cause().toString());
      }
    });
  }

  /** @return {@code {"count", "read_at"}}; count -1 before the first reading */
  JsonObject toJson() {
    Instant at = readAt;
    return new JsonObject().put("count", count).put("read_at", at == null ? null : at.toString());
  }

  void stop() {
    if (timer >= 0 && vertx != null) {
      vertx.cancelTimer(timer);
    }
  }
}
