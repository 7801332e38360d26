package io.inos.ledger;

import io.inos.server.db.PgDatabase;
import io.inos.server.db.PgDatabaseOptions;
import io.inos.server.db.PgUrl;
import io.inos.testing.TcpProxy;
import io.inos.testing.TestDatabases;
import io.inos.testing.VertxPgTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerWriterTest extends VertxPgTestBase {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void writesEveryEntryInBatches() {
    // GIVEN a migrated database and a writer
    Pool pool = migratedPool();
    LedgerWriter writer = writer(() -> pool, new LedgerWriterOptions().setBatchSize(100).setFlushIntervalMs(20));
    List<LedgerEntry> entries = entries(1_050);

    // WHEN appended from the test thread, then flushed
    entries.forEach(writer::append);
    await(writer.flush());

    // THEN every entry arrived, field by field for one of them
    assertEquals(ids(entries), ledgerIds(pool));
    assertEquals(1_050.0, registry.counter("inos.ledger.written").count());
    assertEquals(0, writer.queued());
    LedgerEntry first = entries.get(0);
    Row row = await(pool.preparedQuery("SELECT * FROM ledger WHERE event_id = $1")
      .execute(io.vertx.sqlclient.Tuple.of(first.eventId()))).iterator().next();
    assertEquals(first.type(), row.getString("type"));
    assertEquals(first.state(), row.getString("state"));
    assertEquals(first.correlationId(), row.getString("correlation_id"));
    assertEquals(first.causationId(), row.getString("causation_id"));
    assertEquals(first.userId(), row.getString("user_id"));
    assertEquals(first.campaignId(), row.getString("campaign_id"));
    assertEquals(first.source(), row.getString("source"));
    assertEquals(first.payload(), row.getJsonObject("payload"));
    assertEquals(first.metadata(), row.getJsonObject("metadata"));
    assertEquals(first.occurredAt(), row.getOffsetDateTime("occurred_at").toInstant());
  }

  @Test
  void appendingTheSameEventTwiceRecordsItOnce() {
    Pool pool = migratedPool();
    LedgerWriter writer = writer(() -> pool, new LedgerWriterOptions());
    LedgerEntry entry = entries(1).get(0);

    writer.append(entry);
    await(writer.flush());
    writer.append(entry);
    await(writer.flush());

    assertEquals(Set.of(entry.eventId()), ledgerIds(pool));
  }

  @Test
  void keepsEntriesThroughAnOutageAndWritesThemWhenTheDatabaseReturns() {
    // GIVEN a writer that reaches PostgreSQL through a proxy
    String database = migratedDatabase();
    TcpProxy proxy = await(TcpProxy.start(vertx, TestDatabases.HOST, TestDatabases.PORT));
    onCleanUp(() -> await(proxy.close()));
    Pool proxied = PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(2))
      .with(new NetClientOptions().setConnectTimeout(2_000))
      .connectingTo(PgUrl.parse(TestDatabases.url(proxy.port(), database)))
      .using(vertx)
      .build();
    onCleanUp(() -> await(proxied.close()));
    LedgerWriter writer = writer(() -> proxied, new LedgerWriterOptions()
      .setBatchSize(50).setFlushIntervalMs(20).setRetryInitialDelayMs(20).setRetryMaxDelayMs(200));
    List<LedgerEntry> before = entries(120);
    before.forEach(writer::append);
    await(writer.flush());

    // WHEN the database goes away while entries keep coming
    await(proxy.pause());
    List<LedgerEntry> during = entries(300);
    during.forEach(writer::append);
    awaitUntil("writes fail", () -> registry.counter("inos.ledger.failures").count() >= 2);
    assertTrue(writer.queued() > 0);

    // AND comes back
    await(proxy.resume());
    await(writer.flush());

    // THEN nothing was lost
    Set<UUID> expected = ids(before);
    expected.addAll(ids(during));
    assertEquals(expected, ledgerIds(directPool(database)));
    assertEquals(0.0, registry.counter("inos.ledger.dropped").count());
  }

  @Test
  void waitsForAPoolThatComesLater() {
    // GIVEN a writer started before the database
    String database = newDatabaseName();
    PgDatabase db = PgDatabase.create(vertx, new PgDatabaseOptions()
      .setUrl(TestDatabases.url(TestDatabases.PORT, database)).setRetryInitialDelayMs(50));
    onCleanUp(() -> await(db.close()));
    LedgerWriter writer = writer(db::pool, new LedgerWriterOptions().setFlushIntervalMs(20));
    List<LedgerEntry> entries = entries(10);
    entries.forEach(writer::append);

    // WHEN the database comes up
    db.start();
    await(writer.flush());

    // THEN
    assertEquals(ids(entries), ledgerIds(db.pool()));
  }

  @Test
  void dropsTheOldestBeyondTheBound() {
    // GIVEN no database yet, so everything stays queued
    LedgerWriter writer = writer(() -> null, new LedgerWriterOptions().setBatchSize(10).setMaxQueue(100));

    // WHEN
    entries(130).forEach(writer::append);

    // THEN
    assertEquals(100, writer.queued());
    assertEquals(30.0, registry.counter("inos.ledger.dropped").count());
  }

  @Test
  void anInvalidEntryIsRejectedAloneAndTheOthersAreWritten() {
    Pool pool = migratedPool();
    LedgerWriter writer = writer(() -> pool, new LedgerWriterOptions().setBatchSize(20));
    List<LedgerEntry> good = entries(15);
    // PostgreSQL's jsonb cannot hold U+0000
    LedgerEntry bad = new LedgerEntry(UUID.randomUUID(), "test:bad:v1:success", null, null, null, null, null, null,
      new JsonObject().put("text", "nul\u0000byte"), null, Instant.now());

    good.subList(0, 7).forEach(writer::append);
    writer.append(bad);
    good.subList(7, 15).forEach(writer::append);
    await(writer.flush());

    assertEquals(ids(good), ledgerIds(pool));
    assertEquals(1.0, registry.counter("inos.ledger.rejected").count());
  }

  private LedgerWriter writer(Supplier<Pool> pool, LedgerWriterOptions options) {
    LedgerWriter writer = LedgerWriter.create(vertx, pool, options, registry);
    onCleanUp(() -> await(writer.close()));
    return writer;
  }

  private String migratedDatabase() {
    String name = createDatabase();
    PgDatabase db = PgDatabase.create(vertx, new PgDatabaseOptions().setUrl(TestDatabases.url(TestDatabases.PORT,
      name)));
    await(db.migrate());
    await(db.close());
    return name;
  }

  private Pool migratedPool() {
    return directPool(migratedDatabase());
  }

  private static List<LedgerEntry> entries(int count) {
    List<LedgerEntry> entries = new ArrayList<>(count);
    String correlation = UUID.randomUUID().toString();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // timestamptz keeps microseconds
    for (int i = 0; i < count; i++) {
      entries.add(new LedgerEntry(UUID.randomUUID(), "campaign:update:v1:success", "success", correlation,
        UUID.randomUUID().toString(), "user-" + i, "0", "test", new JsonObject().put("n", i),
        new JsonObject().put("service_specific", new JsonObject().put("global", new JsonObject().put("i", i))),
        now.plusMillis(i)));
    }
    return entries;
  }

  private static Set<UUID> ids(List<LedgerEntry> entries) {
    Set<UUID> ids = new HashSet<>();
    entries.forEach(e -> ids.add(e.eventId()));
    return ids;
  }

  private static Set<UUID> ledgerIds(Pool pool) {
    Set<UUID> ids = new HashSet<>();
    await(pool.query("SELECT event_id FROM ledger").execute()).forEach(row -> ids.add(row.getUUID(0)));
    return ids;
  }
}
