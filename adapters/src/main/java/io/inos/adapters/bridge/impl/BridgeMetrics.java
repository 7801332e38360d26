package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.BridgeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The bridge's counters, updated from every event loop, and their Micrometer meters ({@code inos.bridge.*}) when
 * there is a registry.
 */
final class BridgeMetrics {

  final LongAdder subscriptions = new LongAdder();
  final LongAdder deliveries = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder slowDisconnects = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder denied = new LongAdder();
  final LongAdder invalidTokens = new LongAdder();
  final LongAdder queued = new LongAdder();
  final AtomicLong queuedHighWater = new AtomicLong();
  private final LongSupplier sessions;
  private final LongSupplier addresses;
  private final List<Meter> meters = new ArrayList<>();
  private final MeterRegistry registry;

  BridgeMetrics(MeterRegistry registry, LongSupplier sessions, LongSupplier addresses) {
    this.registry = registry;
    this.sessions = sessions;
    this.addresses = addresses;
    if (registry == null) {
      return;
    }
    gauge("inos.bridge.sessions", "client sessions open", sessions);
    gauge("inos.bridge.subscriptions", "subscriptions of all sessions", subscriptions::sum);
    gauge("inos.bridge.addresses", "distinct addresses subscribed (event-bus consumers)", addresses);
    gauge("inos.bridge.queued", "messages waiting in outbound queues", queued::sum);
    gauge("inos.bridge.queued.high.water", "most messages ever waiting in one outbound queue", queuedHighWater::get);
    counter("inos.bridge.deliveries", "messages handed to clients", deliveries);
    counter("inos.bridge.dropped", "messages dropped from full outbound queues", dropped);
    counter("inos.bridge.slow.disconnects", "sessions closed for reading too slowly", slowDisconnects);
    counter("inos.bridge.rate.limited", "inbound messages refused over the rate limit", rateLimited);
    counter("inos.bridge.denied", "operations refused by the rules or the scope", denied);
    counter("inos.bridge.invalid.tokens", "bearer tokens refused", invalidTokens);
  }

  void queuedNow(int size) {
    queuedHighWater.accumulateAndGet(size, Math::max);
  }

  BridgeStats snapshot() {
    return new BridgeStats(sessions.getAsLong(), subscriptions.sum(), addresses.getAsLong(), deliveries.sum(),
      dropped.sum(), slowDisconnects.sum(), rateLimited.sum(), denied.sum(), invalidTokens.sum(), queued.sum(),
      queuedHighWater.get());
  }

  /** Removes the meters, so that a closed bridge does not stay referenced by the registry. */
  void close() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    meters.clear();
  }

  private void gauge(String name, String description, LongSupplier value) {
    meters.add(Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).register(registry));
  }

  private void counter(String name, String description, LongAdder value) {
    meters.add(FunctionCounter.builder(name, value, LongAdder::doubleValue).description(description)
      .register(registry));
  }
}
