package io.inos.e2e;

import io.inos.testing.Polling;
import io.inos.server.InosServer;
import io.inos.server.config.InosConfigLoader;
import io.inos.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One whole {@link InosServer} for an end-to-end test, as {@code io.inos.server.InosServerHarness} starts it: on
 * 127.0.0.1 and a free port, with a database of its own that the server creates and {@link #close()} drops. Besides
 * it, a Vert.x of the test's own (never the server's) for the test's clients, and a pool straight to the server's
 * database for checking rows behind its back.
 */
final class InosUnderTest implements AutoCloseable {

  /** How long any single step may take before the test fails. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  final Vertx vertx = Vertx.vertx();
  final String database = TestDatabases.randomName();
  private InosServer server;
  private Pool checker;

  /** Starts the server and waits until {@code /ready} answers 200, i.e. its database is migrated and up. */
  InosUnderTest start() {
    return start(router -> { });
  }

  /** Starts the server with {@code routes} added to its HTTP port, and waits until {@code /ready} answers 200. */
  InosUnderTest start(java.util.function.Consumer<io.vertx.ext.web.Router> routes) {
    server = await(InosServer.start(InosConfigLoader.load((Path) null, Map.of(
      "INOS_HTTP_HOST", "127.0.0.1",
      "INOS_HTTP_PORT", "0",
      "INOS_MQTT_PORT", "0",
      "INOS_PG_URL", TestDatabases.url(TestDatabases.PORT, database))), routes));
    WebClient web = WebClient.create(vertx);
    try {
      awaitUntil("/ready answers 200", () -> await(web.get(server.httpPort(), "127.0.0.1", "/ready").send())
        .statusCode() == 200);
    } finally {
      web.close();
    }
    return this;
  }

  InosServer server() {
    return server;
  }

  /** @return the base URL of the server's HTTP port */
  String baseUrl() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  /** @return the rows of the campaign {@code slug}: id, owner_id */
  List<Row> campaignRows(String slug) {
    List<Row> rows = new ArrayList<>();
    await(checker().preparedQuery("SELECT id, slug, owner_id FROM campaign WHERE slug = $1")
      .execute(Tuple.of(slug))).forEach(rows::add);
    return rows;
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
   * request path), then flushes the server's writer and reads them again, so an extra entry written late would show.
   */
  List<String> awaitLedger(String correlationId, int count) {
    awaitUntil("the ledger holds " + count + " entries of " + correlationId,
      () -> ledgerOf(correlationId).size() >= count);
    await(server.ledger().flush());
    return ledgerOf(correlationId);
  }

  private Pool checker() {
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

  /** Stops the server, closes the clients and drops the database, even when a step before fails. */
  @Override
  public void close() {
    try {
      if (server != null) {
        await(server.stop());
      }
    } finally {
      try {
        if (checker != null) {
          await(checker.close());
        }
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

  /** Polls a condition until it holds, failing the test after {@link #STEP_TIMEOUT}. */
  static void awaitUntil(String what, Supplier<Boolean> condition) {
    Polling.awaitUntil(what, STEP_TIMEOUT, condition::get);
  }
}
