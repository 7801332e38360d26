package io.inos.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.multimap.MultiMap;
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
 * multimap, one per address and node consuming it, and over how many distinct addresses. The bridge keeps one
 * consumer per distinct address and node, so registrations should stay within nodes × addresses however many
 * clients come and go; registrations that grow with reconnections are a leak. Reading them is a cluster call (the
 * addresses are the multimap's key set, fetched whole), so they are read every few seconds on a worker thread and
 * kept ({@code /health}, {@code inos_cluster_registrations} and {@code inos_cluster_registered_addresses} show the
 * last reading).
 */
final class ClusterRegistrations {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRegistrations.class);
  /** Where vertx-hazelcast 5 keeps the event bus's registrations. */
  static final String SUBS_MAP = "__vertx.subs";

  private final HazelcastClusterManager manager;
  private volatile Reading last = new Reading(-1, -1);
  private volatile Instant readAt;
  private Vertx vertx;
  private long timer = -1;
  private boolean reading;

  ClusterRegistrations(HazelcastClusterManager manager, MeterRegistry registry) {
    this.manager = manager;
    Gauge.builder("inos.cluster.registrations", this, r -> r.last.count)
      .description("event-bus registrations in the whole cluster (address x node), at the last reading")
      .register(registry);
    Gauge.builder("inos.cluster.registered.addresses", this, r -> r.last.addresses)
      .description("distinct event-bus addresses registered in the whole cluster, at the last reading")
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
      if (hz == null || !hz.getLifecycleService().isRunning()) {
        return new Reading(-1, -1);
      }
      MultiMap<Object, Object> subs = hz.getMultiMap(SUBS_MAP);
      return new Reading(subs.size(), subs.keySet().size());
    }, false).onComplete(ar -> {
      reading = false;
      if (ar.succeeded()) {
        last = ar.result();
        readAt = Instant.now();
      } else {
        LOG.debug("cluster: the registrations could not be read: {}", ar.cause().toString());
      }
    });
  }

  /** @return {@code {"count", "addresses", "read_at"}}; -1 before the first reading */
  JsonObject toJson() {
    Instant at = readAt;
    Reading now = last;
    return new JsonObject().put("count", now.count).put("addresses", now.addresses)
      .put("read_at", at == null ? null : at.toString());
  }

  /** One reading: the registrations, and the distinct addresses they are at. */
  private record Reading(int count, int addresses) {
  }

  void stop() {
    if (timer >= 0 && vertx != null) {
      vertx.cancelTimer(timer);
    }
  }
}
