package io.inos.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlClient;

import java.util.UUID;

/**
 * Databases of their own for tests, on the shared PostgreSQL server (127.0.0.1:5432, user postgres, trust).
 * Names are random, so tests running at the same time on the same server never meet.
 */
public final class TestDatabases {

  /** The shared server's address. */
  public static final String HOST = "127.0.0.1";
  /** The shared server's port. */
  public static final int PORT = 5432;

  private TestDatabases() {
  }

  /** @return a fresh database name; nothing is created */
  public static String randomName() {
    return "inos_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /**
   * @param port     the port to reach PostgreSQL on (5432, or a {@link TcpProxy}'s)
   * @param database the database
   * @return the {@code INOS_PG_URL} form
   */
  public static String url(int port, String database) {
    return "postgresql://postgres@" + HOST + ":" + port + "/" + database;
  }

  /**
   * Creates an empty database.
   *
   * @param vertx the Vert.x instance
   * @param name  the name, from {@link #randomName()}
   * @return a future completed when it exists
   */
  public static Future<Void> create(Vertx vertx, String name) {
    return run(vertx, "CREATE DATABASE \"" + name + "\"");
  }

  /**
   * Drops a database if it exists, closing the connections still open to it.
   *
   * @param vertx the Vert.x instance
   * @param name  the name
   * @return a future completed when it is gone
   */
  public static Future<Void> drop(Vertx vertx, String name) {
    return run(vertx, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
  }

  /**
   * @param vertx the Vert.x instance
   * @param name  the name
   * @return whether the database exists
   */
  public static Future<Boolean> exists(Vertx vertx, String name) {
    SqlClient client = admin(vertx);
    return client.query("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").execute()
      .map(rows -> rows.size() > 0)
      .eventually(client::close);
  }

  private static Future<Void> run(Vertx vertx, String sql) {
    SqlClient client = admin(vertx);
    return client.query(sql).execute().<Void>mapEmpty().eventually(client::close);
  }

  private static SqlClient admin(Vertx vertx) {
    PgConnectOptions options = new PgConnectOptions().setHost(HOST).setPort(PORT).setUser("postgres")
      .setDatabase("postgres");
    return PgBuilder.client().connectingTo(options).using(vertx).build();
  }
}
