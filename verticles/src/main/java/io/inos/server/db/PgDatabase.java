package io.inos.server.db;

import io.inos.server.health.ReadinessCheck;
import io.inos.server.health.ReadinessState;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The server's PostgreSQL database: created when missing, migrated with Flyway, then reached through a reactive
 * {@link Pool}.
 *
 * <p>{@link #start()} never fails because PostgreSQL is away: it keeps trying in the background (the delay doubling
 * from {@link PgDatabaseOptions#getRetryInitialDelayMs()} to {@link PgDatabaseOptions#getRetryMaxDelayMs()}) and
 * reports why through {@link #readiness()}, so the server can start and serve {@code /health} meanwhile. Once up, a
 * periodic {@code SELECT 1} keeps the readiness current. Queries made while PostgreSQL is away fail after at most
 * {@link PgDatabaseOptions#getConnectTimeoutMs()}.
 *
 * <pre>{@code
 * PgDatabase db = PgDatabase.create(vertx, new PgDatabaseOptions().setUrl(config.pgUrl()));
 * db.start();                                   // do not wait for it: the server starts without the database
 * LedgerWriter ledger = LedgerWriter.create(vertx, db::pool, ledgerOptions, registry);
 * HealthRoutes.create(List.of(db.readiness()), registry).mount(router);
 * }</pre>
 */
public final class PgDatabase {

  /** The name this dependency has in {@code /ready}. */
  public static final String CHECK_NAME = "postgresql";

  private static final Logger LOG = LoggerFactory.getLogger(PgDatabase.class);
  /** duplicate_database, and the unique index behind it when two nodes create the database at the same instant. */
  private static final Set<String> ALREADY_EXISTS = Set.of("42P04", "23505");

  private final Vertx vertx;
  private final Context context;
  private final PgDatabaseOptions options;
  private final PgConnectOptions connectOptions;
  private final String address;
  private final ReadinessState readiness = new ReadinessState(CHECK_NAME, "not started");
  private final Promise<Pool> ready = Promise.promise();

  // written on the database's context, read from any thread
  private volatile Pool pool;
  private volatile boolean closed;
  /** The migration running on a worker, if any: closing waits for it, so no worker outlives Vert.x. */
  private volatile Future<Void> migrating = Future.succeededFuture();
  // confined to the database's context
  private boolean started;
  private long retryDelayMs;
  private long timerId = -1;

  private PgDatabase(Vertx vertx, PgDatabaseOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = new PgDatabaseOptions(options);
    this.connectOptions = PgUrl.parse(options.getUrl());
    this.address = PgUrl.address(connectOptions);
    this.retryDelayMs = options.getRetryInitialDelayMs();
  }

  /**
   * Creates the component; nothing connects until {@link #start()}, {@link #ensureDatabase()} or {@link #migrate()}.
   *
   * @param vertx   the Vert.x instance
   * @param options the options; copied
   * @return the component
   * @throws IllegalArgumentException when the URL is malformed
   */
  public static PgDatabase create(Vertx vertx, PgDatabaseOptions options) {
    return new PgDatabase(vertx, options);
  }

  /** @return the database's readiness, named {@value #CHECK_NAME}: DOWN with a reason until migrated and reachable */
  public ReadinessCheck readiness() {
    return readiness;
  }

  /** @return the database name from the URL */
  public String databaseName() {
    return connectOptions.getDatabase();
  }

  /**
   * The pool, once the database is migrated.
   *
   * @return the pool, or {@code null} before the database first came up (pass {@code db::pool} as a supplier to
   *     components that start before it)
   */
  public Pool pool() {
    return pool;
  }

  /** @return a future completed with the pool when the database first comes up, failed if closed before that */
  public Future<Pool> ready() {
    return ready.future();
  }

  /**
   * Brings the database up in the background: {@link #ensureDatabase()}, then {@link #migrate()}, retried with
   * backoff until both succeed; then probes it periodically. Calling it again has no further effect.
   *
   * @return {@link #ready()}: completes when the database is up; the server should not wait for it
   */
  public Future<Pool> start() {
    context.runOnContext(v -> {
      if (!started && !closed) {
        started = true;
        readiness.markDown("connecting to " + address);
        attempt();
      }
    });
    return ready.future();
  }

  /**
   * Creates the database named in the URL if it does not exist, over a connection to the {@code postgres}
   * database. Another node creating it at the same time is not an error.
   *
   * @return a future completed when the database exists
   */
  public Future<Void> ensureDatabase() {
    String name = connectOptions.getDatabase();
    PgConnectOptions admin = new PgConnectOptions(connectOptions).setDatabase("postgres");
    SqlClient client = PgBuilder.client().with(netClientOptions()).connectingTo(admin).using(vertx).build();
    return client.preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1").execute(Tuple.of(name))
      .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture() : createDatabase(client, name))
      .eventually(client::close);
  }

  /**
   * Runs the Flyway migrations ({@link PgDatabaseOptions#getMigrationLocation()}) on a worker thread, then creates
   * the pool if it does not exist yet. The database must exist ({@link #ensureDatabase()}).
   *
   * @return a future completed when the schema is current and {@link #pool()} is set
   */
  public Future<Void> migrate() {
    String jdbcUrl = PgUrl.jdbcUrl(connectOptions, options.getConnectTimeoutMs());
    String user = connectOptions.getUser();
    String password = connectOptions.getPassword();
    String location = options.getMigrationLocation();
    Future<Void> migration = vertx.executeBlocking(() -> Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations(location)
        .load()
        .migrate())
      .map(result -> {
        logMigration(result);
        if (pool == null && !closed) {
          pool = createPool();
        }
        return null;
      });
    migrating = migration;
    return migration;
  }

  /**
   * Stops the retries and probes and closes the pool.
   *
   * @return a future completed when the pool is closed
   */
  public Future<Void> close() {
    Promise<Void> closing = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      vertx.cancelTimer(timerId);
      readiness.markDown("closed");
      ready.tryFail("PostgreSQL component closed before the database came up");
      // a migration still running finishes first (bounded by the connect timeout); then nothing creates a pool
      migrating.<Void>transform(ar -> {
        Pool current = pool;
        return current == null ? Future.succeededFuture() : current.close();
      }).onComplete(closing);
    });
    return closing.future();
  }

  /**
   * A short, operator-facing reason for a failure to reach or prepare the database, e.g.
   * {@code connection refused 127.0.0.1:5432}.
   *
   * @param error the failure
   * @return the reason
   */
  public String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectTimeoutException) {
        return "connect timeout " + address;
      }
      if (t instanceof ConnectException) {
        return "connection refused " + address;
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + connectOptions.getHost();
      }
      if (t instanceof PgException pg) {
        return pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
      }
    }
    if (error instanceof FlywayException) {
      return "migration failed: " + firstLine(error.getMessage());
    }
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : firstLine(root.getMessage());
  }

  private void attempt() {
    if (closed) {
      return;
    }
    // a close that came while the database was being created must not be followed by a migration on a worker
    // (migrate() itself is what close waits for)
    ensureDatabase().compose(v -> closed ? Future.<Void>failedFuture("closed") : migrate()).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        readiness.markUp();
        LOG.info("PostgreSQL {} is up, database {} migrated", address, databaseName());
        ready.tryComplete(pool);
        scheduleProbe();
      } else {
        String reason = describe(ar.cause());
        if (readiness.markDown(reason)) {
          // logged on change only: a long outage must not flood the log every 10 s
          LOG.warn("PostgreSQL {} not ready, retrying in the background: {}", address, reason);
          LOG.debug("PostgreSQL {} start-up failure", address, ar.cause());
        }
        timerId = vertx.setTimer(retryDelayMs, t -> attempt());
        retryDelayMs = Math.min(retryDelayMs * 2, options.getRetryMaxDelayMs());
      }
    });
  }

  private void scheduleProbe() {
    // a timer chain rather than a periodic timer, so a slow probe never overlaps the next one
    timerId = vertx.setTimer(options.getHealthCheckIntervalMs(), t -> probe());
  }

  private void probe() {
    if (closed) {
      return;
    }
    pool.query("SELECT 1").execute().onComplete(ar -> {
      if (ar.succeeded()) {
        if (readiness.markUp()) {
          LOG.info("PostgreSQL {} is reachable again", address);
        }
      } else {
        String reason = describe(ar.cause());
        if (readiness.markDown(reason)) {
          LOG.warn("PostgreSQL {} became unreachable: {}", address, reason);
        }
      }
      if (!closed) {
        scheduleProbe();
      }
    });
  }

  private Future<Void> createDatabase(SqlClient client, String name) {
    // CREATE DATABASE takes no parameters and cannot run in a transaction: a simple query with a quoted identifier
    return client.query("CREATE DATABASE " + quoteIdentifier(name)).execute()
      .<Void>mapEmpty()
      .onSuccess(v -> LOG.info("Created database {}", name))
      .recover(error -> error instanceof PgException pg && ALREADY_EXISTS.contains(pg.getSqlState())
        ? Future.succeededFuture()
        : Future.failedFuture(error));
  }

  private Pool createPool() {
    PoolOptions poolOptions = new PoolOptions()
      .setMaxSize(options.getPoolSize())
      // a query waiting for a connection while PostgreSQL is away fails after this, not after the 30 s default
      .setConnectionTimeout((int) options.getConnectTimeoutMs())
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return PgBuilder.pool()
      .with(poolOptions)
      .with(netClientOptions())
      .connectingTo(connectOptions)
      .using(vertx)
      .build();
  }

  private NetClientOptions netClientOptions() {
    return new NetClientOptions().setConnectTimeout((int) options.getConnectTimeoutMs());
  }

  private void logMigration(MigrateResult result) {
    if (result.migrationsExecuted > 0) {
      LOG.info("Database {}: applied {} migration(s), schema now at version {}", databaseName(),
        result.migrationsExecuted, result.targetSchemaVersion);
    }
  }

  /** Double quotes around the name, inner quotes doubled: the identifier cannot end early. */
  static String quoteIdentifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
