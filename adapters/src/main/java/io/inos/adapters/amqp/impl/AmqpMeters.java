package io.inos.adapters.amqp.impl;

import io.inos.adapters.amqp.AmqpAdapterStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The adapter's counters, and their Micrometer meters when a registry is given. */
public final class AmqpMeters {

  private static final List<String> REASONS = List.of(PoisonMessage.TOO_LARGE, PoisonMessage.BAD_JSON,
    PoisonMessage.BAD_TYPE, PoisonMessage.BAD_ENVELOPE, PoisonMessage.NO_TYPE, PoisonMessage.REFUSED);

  final AtomicLong messagesIn = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong acks = new AtomicLong();
  final Map<String, AtomicLong> deadLettered = new LinkedHashMap<>();
  final AtomicLong messagesOut = new AtomicLong();
  final AtomicLong nacks = new AtomicLong();
  final AtomicLong retried = new AtomicLong();
  final AtomicLong outboundDropped = new AtomicLong();
  final AtomicLong outboundLooped = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong connectFailures = new AtomicLong();
  private final LongSupplier held;
  private final LongSupplier connected;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  /**
   * @param registry  where the meters go, or {@code null}
   * @param tag       the value of the {@code adapter} tag (the connection name), so several adapters can share one
   *                  registry
   * @param held      the events held for the broker now
   * @param connected 1 when a connection is up, else 0
   */
  public AmqpMeters(MeterRegistry registry, String tag, LongSupplier held, LongSupplier connected) {
    this.held = held;
    this.connected = connected;
    this.registry = registry;
    REASONS.forEach(r -> deadLettered.put(r, new AtomicLong()));
    if (registry == null) {
      return;
    }
    counter(registry, tag, "inos.amqp.messages.in", "broker messages received", messagesIn);
    counter(registry, tag, "inos.amqp.messages.published", "broker messages published on the Nexus", published);
    counter(registry, tag, "inos.amqp.acks", "broker messages acknowledged", acks);
    counter(registry, tag, "inos.amqp.messages.out", "events confirmed by the broker", messagesOut);
    counter(registry, tag, "inos.amqp.nacks", "publishes the broker refused", nacks);
    counter(registry, tag, "inos.amqp.retries", "publishes sent again", retried);
    counter(registry, tag, "inos.amqp.outbound.dropped", "events dropped: buffer full or no event",
      outboundDropped);
    counter(registry, tag, "inos.amqp.outbound.looped", "events not sent back to the exchange and routing key they "
      + "came from", outboundLooped);
    counter(registry, tag, "inos.amqp.reconnects", "connections re-established after a loss", reconnects);
    counter(registry, tag, "inos.amqp.connect.failures", "connection attempts that failed", connectFailures);
    deadLettered.forEach((reason, count) -> meters.add(FunctionCounter.builder("inos.amqp.dead.lettered", count,
        AtomicLong::doubleValue)
      .description("poison broker messages dead-lettered").tag("adapter", tag).tag("reason", reason)
      .register(registry)));
    meters.add(Gauge.builder("inos.amqp.outbound.held", held, s -> s.getAsLong())
      .description("events waiting for the broker or its confirm").tag("adapter", tag).register(registry));
    meters.add(Gauge.builder("inos.amqp.connected", connected, s -> s.getAsLong())
      .description("1 when connected to the broker").tag("adapter", tag).register(registry));
  }

  /** Removes the meters from the registry, so a later adapter of the same name registers its own. */
  public void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
      meters.clear();
    }
  }

  private void counter(MeterRegistry registry, String tag, String name, String description,
                              AtomicLong count) {
    meters.add(FunctionCounter.builder(name, count, AtomicLong::doubleValue).description(description)
      .tag("adapter", tag).register(registry));
  }

  void deadLettered(String reason) {
    deadLettered.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  public AmqpAdapterStats snapshot() {
    Map<String, Long> dead = new LinkedHashMap<>();
    deadLettered.forEach((r, n) -> dead.put(r, n.get()));
    return new AmqpAdapterStats(messagesIn.get(), published.get(), acks.get(), Map.copyOf(dead), messagesOut.get(),
      nacks.get(), retried.get(), outboundDropped.get(), outboundLooped.get(), held.getAsLong(), reconnects.get(),
      connectFailures.get(), connected.getAsLong() == 1);
  }
}
