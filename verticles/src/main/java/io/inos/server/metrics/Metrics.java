package io.inos.server.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.UUID;

/**
 * The process's metrics: one Prometheus registry holding the Vert.x metrics (HTTP, net, event bus, pools), the JVM's
 * (memory, GC, threads, class loading, processor, uptime) and the application's own ({@code inos.*}).
 *
 * <pre>{@code
 * Metrics metrics = Metrics.create();
 * Vertx vertx = metrics.vertxBuilder(new VertxOptions()).build();   // or .buildClustered()
 * HealthRoutes.create(checks, metrics.registry()).mount(router);    // GET /metrics
 * }</pre>
 */
public final class Metrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final MicrometerMetricsOptions options;
  private final MicrometerMetricsFactory factory;

  private Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.options = new MicrometerMetricsOptions()
      .setEnabled(true)
      // vertx-micrometer keeps a static map of registries by name: a name of our own keeps two Vert.x instances in
      // one JVM (tests, embedders) from silently sharing the first one's registry
      .setRegistryName("inos-" + UUID.randomUUID());
    this.factory = new MicrometerMetricsFactory(registry);
  }

  /** @return a new registry with the JVM binders bound, and the Vert.x metrics set-up that feeds it */
  public static Metrics create() {
    return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** @return the registry; scrape it with {@code registry().scrape()} or mount {@code /metrics} */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** @return the metrics options to set on {@link VertxOptions} (enabled, bound to {@link #registry()}) */
  public MicrometerMetricsOptions metricsOptions() {
    return options;
  }

  /** @return the factory to pass to {@link VertxBuilder#withMetrics} */
  public MicrometerMetricsFactory factory() {
    return factory;
  }

  /**
   * A Vert.x builder with metrics wired in: Vert.x 5 takes the factory on the builder, not in the options.
   *
   * @param vertxOptions the other options; their metrics options are replaced
   * @return the builder; call {@code build()} or {@code buildClustered()}
   */
  public VertxBuilder vertxBuilder(VertxOptions vertxOptions) {
    return Vertx.builder()
      .with(new VertxOptions(vertxOptions).setMetricsOptions(options))
      .withMetrics(factory);
  }

  /** Stops the GC listener and closes the registry; call after Vert.x is closed. */
  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
