package io.inos.server.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operational endpoints, for probes and scrapers:
 * <ul>
 *   <li>{@code GET /health}: liveness, always 200 {@code {"status":"UP"}} while the process serves requests, with the
 *   details added ({@link #addDetail}, e.g. the cluster's members);</li>
 *   <li>{@code GET /ready}: readiness, 200 {@code {"status":"UP","checks":[{"name":"postgresql","status":"UP"}]}} when
 *   every {@link ReadinessCheck} is up, 200 {@code "status":"DEGRADED"} when only non-critical ones are down (the
 *   node serves, with less), else 503 with {@code "status":"DOWN"}; each down check has its {@code reason};</li>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format (only when a registry is given).</li>
 * </ul>
 *
 * <p>Checks may be added after the routes are mounted ({@link #addCheck}), so a component that starts later (Redis)
 * can still take part.
 */
public final class HealthRoutes {

  /** The readiness of a node that serves while a non-critical dependency is down. */
  public static final String DEGRADED = "DEGRADED";

  private final List<ReadinessCheck> checks;
  private final PrometheusMeterRegistry registry;
  private final Map<String, Supplier<JsonObject>> details = new ConcurrentHashMap<>();

  private HealthRoutes(List<? extends ReadinessCheck> checks, PrometheusMeterRegistry registry) {
    this.checks = new CopyOnWriteArrayList<>(checks);
    this.registry = registry;
  }

  /**
   * @param checks   the dependencies {@code /ready} reports, in display order
   * @param registry the registry {@code /metrics} exposes; {@code null} for no {@code /metrics} route
   * @return new routes, not mounted yet
   */
  public static HealthRoutes create(List<? extends ReadinessCheck> checks, PrometheusMeterRegistry registry) {
    return new HealthRoutes(checks, registry);
  }

  /**
   * Adds a dependency to {@code /ready}.
   *
   * @param check the dependency
   * @return this
   */
  public HealthRoutes addCheck(ReadinessCheck check) {
    checks.add(check);
    return this;
  }

  /**
   * Adds a section to {@code /health}, e.g. {@code "cluster"} with the members; computed on every request, from
   * state kept in memory (no I/O).
   *
   * @return this
   */
  public HealthRoutes addDetail(String name, Supplier<JsonObject> detail) {
    details.put(name, detail);
    return this;
  }

  /**
   * Adds {@code GET /health}, {@code GET /ready} and {@code GET /metrics} to a router.
   *
   * @param router the server's router (or a sub-router mounted where the endpoints should live)
   * @return the same router
   */
  public Router mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    if (registry != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    return router;
  }

  /**
   * The readiness report, as {@code /ready} sends it.
   *
   * @return {@code {"status":"UP"|"DOWN","checks":[{"name":…,"status":…,"reason":…}]}}
   */
  public JsonObject readiness() {
    boolean criticalUp = true;
    boolean allUp = true;
    JsonArray report = new JsonArray();
    for (ReadinessCheck check : checks) {
      ReadinessCheck.Result result = check.current();
      allUp &= result.isUp();
      criticalUp &= result.isUp() || !check.critical();
      JsonObject entry = new JsonObject().put("name", check.name()).put("status", result.status().name());
      if (!check.critical()) {
        entry.put("critical", false);
      }
      if (!result.isUp()) {
        entry.put("reason", result.reason());
      }
      report.add(entry);
    }
    String status = !criticalUp ? ReadinessCheck.Status.DOWN.name() : allUp ? ReadinessCheck.Status.UP.name()
      : DEGRADED;
    return new JsonObject().put("status", status).put("checks", report);
  }

  private void health(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("status", "UP");
    details.forEach((name, detail) -> body.put(name, detail.get()));
    send(ctx, 200, body);
  }

  private void ready(RoutingContext ctx) {
    JsonObject report = readiness();
    send(ctx, ReadinessCheck.Status.DOWN.name().equals(report.getString("status")) ? 503 : 200, report);
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
      .setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      // probes must see the current state, never a cached one
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .end(body.encode());
  }
}
