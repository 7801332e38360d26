package io.inos.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Base of the tests that use Vert.x and PostgreSQL: a Vert.x instance per test, databases that are dropped after
 * the test, and waiting helpers for the test thread (never an event loop, so blocking on a future is fine here).
 */
public abstract class VertxPgTestBase {

  /** How long any single step may take before the test fails. */
  protected static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  protected Vertx vertx;
  private final List<String> databases = new ArrayList<>();
  private final List<Runnable> cleanups = new ArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = createVertx();
  }

  @AfterEach
  void cleanUp() {
    try {
      cleanups.forEach(Runnable::run);
      for (String name : databases) {
        await(TestDatabases.drop(vertx, name));
      }
    } finally {
      await(vertx.close());
    }
  }

  /** @return the Vert.x instance of the test; override to build it with metrics */
  protected Vertx createVertx() {
    return Vertx.vertx();
  }

  /** @return a database name that is dropped after the test (if it gets created) */
  protected String newDatabaseName() {
    String name = TestDatabases.randomName();
    databases.add(name);
    return name;
  }

  /** @return the name of a new, empty database, dropped after the test */
  protected String createDatabase() {
    String name = newDatabaseName();
    await(TestDatabases.create(vertx, name));
    return name;
  }

  /** Runs before the databases are dropped, e.g. to close a pool or stop a writer. */
  protected void onCleanUp(Runnable cleanup) {
    cleanups.add(cleanup);
  }

  /** @return a small pool straight to a database on the shared server, closed after the test */
  protected Pool directPool(String database) {
    Pool pool = PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(2))
      .connectingTo(new PgConnectOptions().setHost(TestDatabases.HOST).setPort(TestDatabases.PORT)
        .setUser("postgres").setDatabase(database))
      .using(vertx)
      .build();
    onCleanUp(() -> await(pool.close()));
    return pool;
  }

  /** Waits for a future on the test thread. */
  protected static <T> T await(Future<T> future) {
    try {
      return future.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + STEP_TIMEOUT, e);
    }
  }

  /** Polls a condition until it holds, failing the test after {@link #STEP_TIMEOUT}. */
  protected static void awaitUntil(String what, BooleanSupplier condition) {
    Polling.awaitUntil(what, STEP_TIMEOUT, condition);
  }
}
