package io.inos.server;

import io.inos.testing.Polling;
import io.inos.server.config.InosConfig;
import io.inos.server.config.InosConfigLoader;
import io.inos.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the tests of the assembled server share: a Vert.x of the test's own for the clients (never the server's), the
 * server's configuration from {@code INOS_*} variables, a web client, a pool straight to the server's database for
 * checking rows behind its back, and waiting helpers for the test thread.
 *
 * <p>The server creates its database itself (through {@code INOS_PG_URL}); {@link #close()} drops it with
 * {@code WITH (FORCE)}.
 */
final class InosServerHarness implements AutoCloseable {

  /** How long any single step may take before the test fails. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  final Vertx vertx;
  final String database;
  final WebClient web;
  private final List<InosServer> servers = new ArrayList<>();
  private Pool checker;

  InosServerHarness() {
    this.vertx = Vertx.vertx();
    this.database = TestDatabases.randomName();
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** @return the configuration of a server on any free port, its database reached at {@code pgPort} */
  InosConfig config(int pgPort, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.putIfAbsent("INOS_HTTP_PORT", "0");
    // Mosquitto holds 1883 on these machines
    env.putIfAbsent("INOS_MQTT_PORT", "0");
    env.putIfAbsent("INOS_PG_URL", TestDatabases.url(pgPort, database));
    return InosConfigLoader.load((Path) null, env);
  }

  /** Starts a server whose database is reached at {@code pgPort}; it is stopped by {@link #close()}. */
  InosServer start(int pgPort) {
    return start(pgPort, Map.of());
  }

  /** Starts a server with more {@code INOS_*} settings; it is stopped by {@link #close()}. */
  InosServer start(int pgPort, Map<String, String> more) {
    InosServer server = await(InosServer.start(config(pgPort, more)));
    servers.add(server);
    return server;
  }

  /** A server straight to PostgreSQL. */
  InosServer start() {
    return start(TestDatabases.PORT);
  }

  /** @return a pool straight to the server's database (which must exist by then), closed by {@link #close()} */
  Pool checker() {
    if (checker == null) {
      checker = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2))
        .connectingTo(new PgConnectOptions().setHost(TestDatabases.HOST).setPort(TestDatabases.PORT)
          .setUser("postgres").setDatabase(database))
        .using(vertx)
        .build();
    }
    return checker;
  }

  /** Waits until {@code /ready} answers 200. */
  void awaitReady(InosServer server) {
    awaitUntil("/ready answers 200", () -> get(server, "/ready").statusCode() == 200);
  }

  HttpResponse<Buffer> get(InosServer server, String path) {
    return await(web.get(server.httpPort(), "127.0.0.1", path).send());
  }

  /** {@code POST /api/{service}_ops} with a JSON body. */
  Future<HttpResponse<Buffer>> postOps(InosServer server, String service, JsonObject body) {
    return web.post(server.httpPort(), "127.0.0.1", "/api/" + service + "_ops").sendJsonObject(body);
  }

  /** @return the REST body of a create_campaign carrying {@code correlationId} in its metadata */
  static JsonObject createCampaignBody(String slug, String correlationId) {
    return new JsonObject().put("action", "create_campaign").put("slug", slug).put("title", "Title of " + slug)
      .put("metadata", globalContext(correlationId));
  }

  /** @return {@code {"global_context": {"correlation_id": id}}} */
  static JsonObject globalContext(String correlationId) {
    return new JsonObject().put("global_context", new JsonObject().put("correlation_id", correlationId));
  }

  static String newSlug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String newCorrelationId() {
    return "corr-" + UUID.randomUUID();
  }

  /** @return the campaign rows of {@code slug} joined with their master rows */
  List<Row> campaignRows(String slug) {
    List<Row> rows = new ArrayList<>();
    await(checker().preparedQuery("SELECT c.id, c.slug, m.type AS master_type, m.name AS master_name"
        + " FROM campaign c JOIN master m ON m.id = c.master_id WHERE c.slug = $1")
      .execute(Tuple.of(slug))).forEach(rows::add);
    return rows;
  }

  /** @return how many rows, campaign or master, are named {@code slug} */
  long rowsNamed(String slug) {
    return await(checker().preparedQuery("SELECT (SELECT count(*) FROM campaign WHERE slug = $1)"
        + " + (SELECT count(*) FROM master WHERE name = $1) AS n")
      .execute(Tuple.of(slug))).iterator().next().getLong("n");
  }

  /** @return the ledger's rows of one correlation id as "type/state", in the order they occurred */
  List<String> ledgerOf(String correlationId) {
    List<String> entries = new ArrayList<>();
    await(checker().preparedQuery("SELECT type, state FROM ledger WHERE correlation_id = $1 ORDER BY occurred_at, id")
      .execute(Tuple.of(correlationId)))
      .forEach(row -> entries.add(row.getString("type") + "/" + row.getString("state")));
    return entries;
  }

  /**
   * Waits until the ledger holds {@code count} entries of {@code correlationId} (it is written in batches, off the
   * request path), then flushes the server's writer and reads them again, so an extra entry written late would
   * show.
   */
  List<String> awaitLedger(InosServer server, String correlationId, int count) {
    awaitUntil("the ledger holds " + count + " entries of " + correlationId,
      () -> ledgerOf(correlationId).size() >= count);
    await(server.ledger().flush());
    return ledgerOf(correlationId);
  }

  /** Stops the servers, closes the clients and drops the database, even when a step before fails. */
  @Override
  public void close() {
    try {
      for (InosServer server : servers) {
        await(server.stop());
      }
    } finally {
      try {
        if (checker != null) {
          await(checker.close());
        }
        web.close();
        await(TestDatabases.drop(vertx, database));
      } finally {
        await(vertx.close());
      }
    }
  }

  /** Waits for a future on the test thread. */
  static <T> T await(Future<T> future) {
    try {
      return future.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + STEP_TIMEOUT, e);
    }
  }

  /** Waits for a future to fail, and returns why. */
  static Throwable awaitFailure(Future<?> future) {
    try {
      future.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + STEP_TIMEOUT, e);
    } catch (Throwable expected) {
      return expected;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /** Polls a condition until it holds, failing the test after {@link #STEP_TIMEOUT}. */
  static void awaitUntil(String what, Supplier<Boolean> condition) {
    Polling.awaitUntil(what, STEP_TIMEOUT, condition::get);
  }
}
