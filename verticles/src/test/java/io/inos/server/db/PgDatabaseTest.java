package io.inos.server.db;

import io.inos.server.health.ReadinessCheck;
import io.inos.testing.TcpProxy;
import io.inos.testing.TestDatabases;
import io.inos.testing.VertxPgTestBase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgDatabaseTest extends VertxPgTestBase {

  @Test
  void ensureDatabaseCreatesAMissingDatabase() {
    // GIVEN a database that does not exist
    String name = newDatabaseName();
    assertFalse(await(TestDatabases.exists(vertx, name)));
    PgDatabase db = database(TestDatabases.PORT, name);

    // WHEN ensured twice (the second finds it)
    await(db.ensureDatabase());
    await(db.ensureDatabase());

    // THEN
    assertTrue(await(TestDatabases.exists(vertx, name)));
  }

  @Test
  void concurrentCreationIsTolerated() {
    String name = newDatabaseName();
    PgDatabase a = database(TestDatabases.PORT, name);
    PgDatabase b = database(TestDatabases.PORT, name);

    await(Future.all(a.ensureDatabase(), b.ensureDatabase(), a.ensureDatabase()));

    assertTrue(await(TestDatabases.exists(vertx, name)));
  }

  @Test
  void migrationsCreateTheTablesAndSeedTheDefaultCampaignOnce() {
    // GIVEN
    String name = createDatabase();
    PgDatabase db = database(TestDatabases.PORT, name);
    assertNull(db.pool());

    // WHEN migrated twice
    await(db.migrate());
    await(db.migrate());

    // THEN the tables exist and campaign 0 is there once, with its master row
    Pool pool = db.pool();
    assertNotNull(pool);
    Set<String> tables = new HashSet<>();
    query(pool, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
      .forEach(row -> tables.add(row.getString(0)));
    assertTrue(tables.containsAll(List.of("master", "ledger", "campaign")), tables.toString());

    RowSet<Row> campaigns = query(pool, "SELECT c.id, c.slug, c.title, c.state, c.features::text, m.type"
      + " FROM campaign c JOIN master m ON m.id = c.master_id");
    assertEquals(1, campaigns.size());
    Row campaign = campaigns.iterator().next();
    assertEquals(0L, campaign.getLong("id"));
    assertEquals("ovasabi_website", campaign.getString("slug"));
    assertEquals("OVASABI Website", campaign.getString("title"));
    assertEquals("active", campaign.getString("state"));
    assertEquals("[]", campaign.getString("features"));
    assertEquals("campaign", campaign.getString("type"));
    assertEquals(1L, query(pool, "SELECT count(*) FROM master").iterator().next().getLong(0));

    // new campaigns take ids from 1 up, never colliding with the default
    long masterId = query(pool, "INSERT INTO master (type) VALUES ('campaign') RETURNING id").iterator().next()
      .getLong(0);
    long id = query(pool, "INSERT INTO campaign (master_id, slug, title) VALUES (" + masterId
      + ", 'second', 'Second') RETURNING id").iterator().next().getLong(0);
    assertEquals(1L, id);
  }

  @Test
  void unreachableAtStartThenUpWhenTheServerComes() {
    // GIVEN PostgreSQL behind a proxy that refuses connections
    TcpProxy proxy = await(TcpProxy.start(vertx, TestDatabases.HOST, TestDatabases.PORT));
    onCleanUp(() -> await(proxy.close()));
    await(proxy.pause());
    String name = newDatabaseName();
    PgDatabase db = database(proxy.port(), name);

    // WHEN started
    Future<Pool> ready = db.start();

    // THEN it reports why it is down, and keeps trying
    awaitUntil("readiness reports the refused connection",
      () -> reason(db).equals("connection refused 127.0.0.1:" + proxy.port()));
    assertEquals(PgDatabase.CHECK_NAME, db.readiness().name());
    assertEquals(ReadinessCheck.Status.DOWN, db.readiness().current().status());
    assertNull(db.pool());
    assertFalse(ready.isComplete());

    // WHEN the server comes back
    await(proxy.resume());

    // THEN it creates the database, migrates it and is up
    Pool pool = await(ready);
    assertTrue(db.readiness().current().isUp());
    assertEquals(1, query(pool, "SELECT id FROM campaign WHERE id = 0").size());

    // AND the periodic probe follows later outages
    await(proxy.pause());
    awaitUntil("readiness goes down", () -> !db.readiness().current().isUp());
    await(proxy.resume());
    awaitUntil("readiness comes back", () -> db.readiness().current().isUp());
  }

  private PgDatabase database(int port, String name) {
    PgDatabase db = PgDatabase.create(vertx, new PgDatabaseOptions()
      .setUrl(TestDatabases.url(port, name))
      .setPoolSize(2)
      .setConnectTimeoutMs(2_000)
      .setRetryInitialDelayMs(50)
      .setRetryMaxDelayMs(200)
      .setHealthCheckIntervalMs(100));
    onCleanUp(() -> await(db.close()));
    return db;
  }

  private static String reason(PgDatabase db) {
    String reason = db.readiness().current().reason();
    return reason == null ? "" : reason;
  }

  private static RowSet<Row> query(Pool pool, String sql) {
    return await(pool.query(sql).execute());
  }
}
