package io.inos.server.health;

import io.inos.ledger.LedgerWriter;
import io.inos.ledger.LedgerWriterOptions;
import io.inos.server.db.PgDatabase;
import io.inos.server.db.PgDatabaseOptions;
import io.inos.server.metrics.Metrics;
import io.inos.testing.TestDatabases;
import io.inos.testing.VertxPgTestBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthRoutesTest extends VertxPgTestBase {

  private final Metrics metrics = Metrics.create();
  private WebClient client;
  private int port;

  @Override
  protected Vertx createVertx() {
    return metrics.vertxBuilder(new VertxOptions()).build();
  }

  @AfterEach
  void closeMetrics() {
    if (client != null) {
      client.close();
    }
    metrics.close();
  }

  @Test
  void readyReportsEachCheckAndFollowsTheirState() {
    // GIVEN one dependency down, one up
    ReadinessState pg = new ReadinessState("postgresql", "connection refused 127.0.0.1:5432");
    ReadinessState redis = new ReadinessState("redis", "starting");
    redis.markUp();
    serve(HealthRoutes.create(List.of(pg, redis), metrics.registry()));

    // THEN liveness is up, readiness is down with the reason
    HttpResponse<Buffer> health = get("/health");
    assertEquals(200, health.statusCode());
    assertEquals(new JsonObject().put("status", "UP"), health.bodyAsJsonObject());

    HttpResponse<Buffer> down = get("/ready");
    assertEquals(503, down.statusCode());
    assertEquals("application/json", down.getHeader("content-type"));
    assertEquals(new JsonObject().put("status", "DOWN").put("checks", new JsonArray()
        .add(new JsonObject().put("name", "postgresql").put("status", "DOWN")
          .put("reason", "connection refused 127.0.0.1:5432"))
        .add(new JsonObject().put("name", "redis").put("status", "UP"))),
      down.bodyAsJsonObject());

    // WHEN the dependency comes up
    pg.markUp();

    // THEN
    HttpResponse<Buffer> up = get("/ready");
    assertEquals(200, up.statusCode());
    assertEquals("UP", up.bodyAsJsonObject().getString("status"));
  }

  @Test
  void readyWithTheRealDatabase() {
    String name = newDatabaseName();
    PgDatabase db = PgDatabase.create(vertx, new PgDatabaseOptions().setUrl(TestDatabases.url(TestDatabases.PORT,
      name)));
    onCleanUp(() -> await(db.close()));
    HealthRoutes routes = HealthRoutes.create(List.of(), metrics.registry()).addCheck(db.readiness());
    serve(routes);

    await(db.start());

    HttpResponse<Buffer> ready = get("/ready");
    assertEquals(200, ready.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("checks", new JsonArray()
      .add(new JsonObject().put("name", "postgresql").put("status", "UP"))), ready.bodyAsJsonObject());
  }

  @Test
  void metricsInPrometheusFormat() {
    LedgerWriter ledger = LedgerWriter.create(vertx, () -> null, new LedgerWriterOptions(), metrics.registry());
    onCleanUp(() -> await(ledger.close()));
    serve(HealthRoutes.create(List.of(), metrics.registry()));
    assertEquals(200, get("/health").statusCode()); // so that HTTP server metrics exist

    HttpResponse<Buffer> response = get("/metrics");

    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("content-type").startsWith("text/plain"), response.getHeader("content-type"));
    String text = response.bodyAsString();
    for (String metric : List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
      "jvm_classes_loaded_classes", "system_cpu_count", "vertx_http_server_", "inos_ledger_queued",
      "inos_ledger_dropped_total", "inos_ledger_written_total", "inos_ledger_failures_total")) {
      assertTrue(text.contains(metric), metric + " missing from /metrics");
    }
  }

  private void serve(HealthRoutes routes) {
    Router router = routes.mount(Router.router(vertx));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    port = server.actualPort();
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> get(String path) {
    return await(client.get(port, "127.0.0.1", path).send());
  }
}
