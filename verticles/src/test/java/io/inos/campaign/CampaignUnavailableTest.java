package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.nexus.Nexus;
import io.inos.testing.TcpProxy;
import io.inos.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL away: before the pool exists, unreachable at request time, and lost in the middle of a transaction.
 * Each time the answer is UNAVAILABLE and nothing is written. The service's pool goes through a {@link TcpProxy}
 * the test stops and starts.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CampaignUnavailableTest {

  private static final long POLL_MS = 20;

  private static CampaignDatabase db;
  private static Pool checker;
  private TcpProxy proxy;
  private Pool servicePool;
  private final AtomicReference<Pool> current = new AtomicReference<>();
  private CampaignCalls calls;
  private String deployment;

  @BeforeAll
  static void createDatabase(Vertx vertx, VertxTestContext ctx) {
    CampaignDatabase.create(vertx).onComplete(ctx.succeeding(created -> {
      db = created;
      checker = db.directPool();
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void dropDatabase(VertxTestContext ctx) {
    (checker == null ? Future.<Void>succeededFuture() : checker.close())
      .eventually(() -> db == null ? Future.succeededFuture() : db.drop())
      .onComplete(ctx.succeedingThenComplete());
  }

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    Nexus nexus = Nexus.create(vertx);
    calls = new CampaignCalls(nexus);
    Supplier<Pool> pool = current::get;
    TcpProxy.start(vertx, TestDatabases.HOST, TestDatabases.PORT)
      .compose(p -> {
        proxy = p;
        servicePool = db.servicePool(p.port());
        return vertx.deployVerticle(new CampaignVerticle(nexus, pool));
      })
      .onComplete(ctx.succeeding(id -> {
        deployment = id;
        ctx.completeNow();
      }));
  }

  @AfterEach
  void undeploy(Vertx vertx, VertxTestContext ctx) {
    vertx.undeploy(deployment)
      .eventually(() -> servicePool.close())
      .eventually(() -> proxy.close())
      .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject newCampaign(String slug) {
    return new JsonObject().put("slug", slug).put("title", "Title");
  }

  private static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Future<Long> rowsNamed(String slug) {
    return checker.preparedQuery("SELECT (SELECT count(*) FROM campaign WHERE slug = $1) "
        + "+ (SELECT count(*) FROM master WHERE name = $1) AS n")
      .execute(Tuple.of(slug))
      .map(rows -> rows.iterator().next().getLong("n"));
  }

  @Test
  void beforeThePoolExistsActionsAreUnavailable(VertxTestContext ctx) {
    // no pool yet: PostgreSQL has not come up since the server started
    String slug = slug("early");
    calls.failure("create_campaign", newCampaign(slug), Code.UNAVAILABLE, PgFailures.UNAVAILABLE_MESSAGE)
      .compose(e -> calls.failure("list_campaigns", new JsonObject(), Code.UNAVAILABLE,
        PgFailures.UNAVAILABLE_MESSAGE))
      .compose(e -> {
        // PostgreSQL comes up: the same verticle now serves
        current.set(servicePool);
        return calls.campaign("create_campaign", newCampaign(slug));
      })
      .map(created -> {
        assertEquals(slug, created.getString("slug"));
        return created;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void postgresqlDownAtRequestTimeIsUnavailableAndWritesNothing(VertxTestContext ctx) {
    current.set(servicePool);
    String slug = slug("down");
    // a first request opens a pooled connection, which the outage then cuts
    calls.campaign("get_campaign", new JsonObject().put("id", 0))
      .compose(c -> proxy.pause())
      .compose(v -> calls.failure("create_campaign", newCampaign(slug), Code.UNAVAILABLE,
        PgFailures.UNAVAILABLE_MESSAGE))
      .compose(e -> calls.failure("get_campaign", new JsonObject().put("id", 0), Code.UNAVAILABLE,
        PgFailures.UNAVAILABLE_MESSAGE))
      .compose(e -> rowsNamed(slug))
      .compose(n -> {
        assertEquals(0L, n, "nothing was written");
        return proxy.resume();
      })
      .compose(v -> calls.campaign("create_campaign", newCampaign(slug)))
      .compose(created -> rowsNamed(slug))
      .map(n -> {
        assertEquals(2L, n, "once PostgreSQL is back, the campaign and its master row are written");
        return n;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConnectionLostMidTransactionIsUnavailableAndRollsBack(Vertx vertx, VertxTestContext ctx) {
    current.set(servicePool);
    String slug = slug("cut");
    // Another session inserts the same slug and keeps its transaction open: the service's transaction inserts its
    // master row, then waits on the slug's unique index. The outage strikes exactly there.
    AtomicReference<SqlConnection> blocker = new AtomicReference<>();
    Future<Void> blocking = checker.getConnection()
      .compose(conn -> {
        blocker.set(conn);
        return conn.query("BEGIN").execute()
          .compose(v -> conn.preparedQuery("INSERT INTO master (type, name) VALUES ('campaign', 'blocker') "
            + "RETURNING id").execute())
          .compose(m -> conn.preparedQuery("INSERT INTO campaign (master_id, slug, title) VALUES ($1, $2, 'b')")
            .execute(Tuple.of(m.iterator().next().getLong("id"), slug)))
          .mapEmpty();
      });
    blocking
      .compose(v -> {
        Future<?> request = calls.failure("create_campaign", newCampaign(slug), Code.UNAVAILABLE,
          PgFailures.UNAVAILABLE_MESSAGE);
        return poll(vertx, "the service's INSERT waits on the lock", () -> backends("wait_event_type = 'Lock'")
            .map(n -> n > 0))
          .compose(x -> proxy.pause())
          .compose(x -> request);
      })
      .compose(e -> blocker.get().query("ROLLBACK").execute())
      // the service's backend only ends its transaction (without COMMIT: a rollback) once it sees the socket gone
      .compose(v -> poll(vertx, "the service's backend is gone", () -> backends("true").map(n -> n == 0)))
      .compose(v -> rowsNamed(slug))
      .map(n -> {
        assertEquals(0L, n, "neither the campaign nor its master row was written");
        return n;
      })
      .eventually(() -> blocker.get() == null ? Future.succeededFuture() : blocker.get().close())
      .onComplete(ctx.succeedingThenComplete());
  }

  /** @return how many backends of the service's pool on the test database match {@code condition} */
  private static Future<Long> backends(String condition) {
    return checker.preparedQuery("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 "
        + "AND application_name = $2 AND " + condition)
      .execute(Tuple.of(db.name(), CampaignDatabase.APPLICATION_NAME))
      .map(rows -> {
        Row row = rows.iterator().next();
        return row.getLong("n");
      });
  }

  /** Polls {@code check} every {@value #POLL_MS} ms until it holds; the test's timeout bounds the wait. */
  private static Future<Void> poll(Vertx vertx, String what, Supplier<Future<Boolean>> check) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    pollOnce(vertx, what, check, done, deadline);
    return done.future();
  }

  private static void pollOnce(Vertx vertx, String what, Supplier<Future<Boolean>> check, Promise<Void> done,
                               long deadline) {
    check.get().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (ar.result()) {
        done.complete();
      } else if (System.nanoTime() > deadline) {
        done.fail(new AssertionError("timed out waiting until " + what));
      } else {
        vertx.setTimer(POLL_MS, t -> pollOnce(vertx, what, check, done, deadline));
      }
    });
  }
}
