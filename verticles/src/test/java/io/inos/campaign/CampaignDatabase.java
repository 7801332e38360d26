package io.inos.campaign;

import io.inos.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

import java.util.concurrent.TimeUnit;

/**
 * A migrated database of its own for a test class, on the shared PostgreSQL server: created with a random name,
 * migrated by Flyway on a worker thread, dropped (with its connections) by {@link #drop()}.
 */
final class CampaignDatabase {

  /** The {@code application_name} of the pools under test, to find their backends in {@code pg_stat_activity}. */
  static final String APPLICATION_NAME = "inos-campaign-under-test";

  private final Vertx vertx;
  private final String name;

  private CampaignDatabase(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  static Future<CampaignDatabase> create(Vertx vertx) {
    CampaignDatabase db = new CampaignDatabase(vertx, TestDatabases.randomName());
    return TestDatabases.create(vertx, db.name)
      .compose(v -> vertx.executeBlocking(() -> Flyway.configure()
        .dataSource("jdbc:postgresql://" + TestDatabases.HOST + ":" + TestDatabases.PORT + "/" + db.name,
          "postgres", null)
        .locations("classpath:db/migration")
        .load()
        .migrate()))
      .map(db);
  }

  String name() {
    return name;
  }

  /** @return a pool straight to the database, for checking rows behind the service's back */
  Pool directPool() {
    return pool(TestDatabases.PORT, "inos-campaign-test-checker");
  }

  /**
   * @param port 5432, or a proxy's port
   * @return a pool as the service would use it: short connect timeouts, so an outage fails a request fast
   */
  Pool servicePool(int port) {
    return pool(port, APPLICATION_NAME);
  }

  private Pool pool(int port, String applicationName) {
    PgConnectOptions connect = new PgConnectOptions().setHost(TestDatabases.HOST).setPort(port)
      .setUser("postgres").setDatabase(name);
    connect.addProperty("application_name", applicationName);
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(4).setConnectionTimeout(2_000).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
      .with(new NetClientOptions().setConnectTimeout(2_000))
      .connectingTo(connect)
      .using(vertx)
      .build();
  }

  Future<Void> drop() {
    return TestDatabases.drop(vertx, name);
  }
}
