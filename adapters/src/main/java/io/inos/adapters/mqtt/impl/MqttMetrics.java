package io.inos.adapters.mqtt.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The adapter's counters, always kept (for {@link io.inos.adapters.mqtt.MqttAdapterVerticle#stats()}) and published
 * as Micrometer meters {@code inos.mqtt.*} when there is a registry.
 */
public final class MqttMetrics {

  /** Why a message was not delivered or not accepted. */
  public enum Drop {
    /** The rules or the connection's scope do not permit it. */
    DENIED("denied"),
    /** Over the bridge's per-client rate. */
    RATE_LIMITED("rate_limited"),
    /** An invalid topic, payload or event. */
    INVALID("invalid"),
    /** A session queue was full (the oldest message made room). */
    QUEUE_FULL("queue_full"),
    /** A QoS 0 message for an offline client, or one larger than the client takes. */
    UNDELIVERABLE("undeliverable"),
    /** Its message expiry interval passed before it could be delivered. */
    EXPIRED("expired");

    final String tag;

    Drop(String tag) {
      this.tag = tag;
    }
  }

  public final AtomicLong connectionsAccepted = new AtomicLong();
  public final AtomicLong connectionsRefused = new AtomicLong();
  public final AtomicLong messagesIn = new AtomicLong();
  public final AtomicLong messagesOut = new AtomicLong();
  private final AtomicLong[] drops = new AtomicLong[Drop.values().length];
  private final Counter[] dropCounters = new Counter[Drop.values().length];
  private final Counter accepted;
  private final Counter refused;
  private final Counter in;
  private final Counter out;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  MqttMetrics(MeterRegistry registry, Supplier<Number> connections, Supplier<Number> sessions,
              Supplier<Number> retained) {
    this.registry = registry;
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new AtomicLong();
    }
    if (registry == null) {
      accepted = refused = in = out = null;
      return;
    }
    accepted = keep(Counter.builder("inos.mqtt.connections.accepted").register(registry));
    refused = keep(Counter.builder("inos.mqtt.connections.refused").register(registry));
    in = keep(Counter.builder("inos.mqtt.messages.in").description("PUBLISH packets accepted from clients")
      .register(registry));
    out = keep(Counter.builder("inos.mqtt.messages.out").description("PUBLISH packets sent to clients")
      .register(registry));
    for (Drop drop : Drop.values()) {
      dropCounters[drop.ordinal()] = keep(Counter.builder("inos.mqtt.messages.dropped").tag("reason", drop.tag)
        .register(registry));
    }
    keep(Gauge.builder("inos.mqtt.connections", connections).description("MQTT connections open now")
      .register(registry));
    keep(Gauge.builder("inos.mqtt.sessions", sessions).description("MQTT sessions, online or not")
      .register(registry));
    keep(Gauge.builder("inos.mqtt.retained", retained).description("topics holding a retained message")
      .register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  void accepted() {
    connectionsAccepted.incrementAndGet();
    if (accepted != null) {
      accepted.increment();
    }
  }

  void refused() {
    connectionsRefused.incrementAndGet();
    if (refused != null) {
      refused.increment();
    }
  }

  void in() {
    messagesIn.incrementAndGet();
    if (in != null) {
      in.increment();
    }
  }

  void out() {
    messagesOut.incrementAndGet();
    if (out != null) {
      out.increment();
    }
  }

  void dropped(Drop why) {
    drops[why.ordinal()].incrementAndGet();
    Counter counter = dropCounters[why.ordinal()];
    if (counter != null) {
      counter.increment();
    }
  }

  /** @return how many messages were dropped for {@code why} */
  public long dropCount(Drop why) {
    return drops[why.ordinal()].get();
  }

  /** @return how many messages were dropped, for any reason */
  public long droppedTotal() {
    long total = 0;
    for (AtomicLong d : drops) {
      total += d.get();
    }
    return total;
  }

  void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
  }
}
