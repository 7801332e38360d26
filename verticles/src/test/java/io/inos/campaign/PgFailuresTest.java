package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.inos.testing.TcpProxy;
import io.inos.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.SqlClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classification of PostgreSQL client failures, on failures a real server and a refused port produce. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PgFailuresTest {

  private static SqlClient client(Vertx vertx, int port) {
    return PgBuilder.client()
      .connectingTo(new PgConnectOptions().setHost(TestDatabases.HOST).setPort(port).setUser("postgres")
        .setDatabase("postgres"))
      .using(vertx)
      .build();
  }

  /** @return the failure of {@code sql}, which must fail */
  private static Future<Throwable> failureOf(SqlClient client, String sql) {
    return client.query(sql).execute().transform(ar -> {
      assertTrue(ar.failed(), sql + " should fail");
      return Future.succeededFuture(ar.cause());
    });
  }

  @Test
  void realServerErrorsAreClassifiedBySqlState(Vertx vertx, VertxTestContext ctx) {
    SqlClient client = client(vertx, TestDatabases.PORT);
    failureOf(client, "SELECT 1/0")
      .compose(divisionByZero -> {
        OutcomeException e = PgFailures.toOutcome(divisionByZero);
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertEquals("22012", PgFailures.sqlState(divisionByZero));
        return failureOf(client, "SELEKT nothing");
      })
      .compose(syntax -> {
        OutcomeException e = PgFailures.toOutcome(syntax);
        assertEquals(Code.INTERNAL, e.code());
        assertEquals("database error (SQLSTATE 42601)", e.outcome().message(),
          "PostgreSQL's own text stays out of the answer");
        assertSame(syntax, e.getCause(), "kept for the logs");
        return failureOf(client, "CREATE TEMP TABLE t (x int PRIMARY KEY); INSERT INTO t VALUES (1); "
          + "INSERT INTO t VALUES (1)");
      })
      .map(duplicate -> {
        assertTrue(PgFailures.isUniqueViolation(duplicate));
        assertTrue(PgFailures.isUniqueViolation(PgFailures.toOutcome(duplicate)), "seen through the outcome too");
        assertEquals(Code.ALREADY_EXISTS, PgFailures.codeOf(duplicate));
        return duplicate;
      })
      .eventually(client::close)
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRefusedConnectionIsUnavailable(Vertx vertx, VertxTestContext ctx) {
    TcpProxy.start(vertx, TestDatabases.HOST, TestDatabases.PORT)
      .compose(proxy -> proxy.pause().map(proxy))
      .compose(proxy -> {
        SqlClient client = client(vertx, proxy.port());
        return failureOf(client, "SELECT 1")
          .map(refused -> {
            OutcomeException e = PgFailures.toOutcome(refused);
            assertEquals(Code.UNAVAILABLE, e.code());
            assertEquals(PgFailures.UNAVAILABLE_MESSAGE, e.outcome().message());
            assertTrue(PgFailures.isUnavailable(refused));
            return e;
          })
          .eventually(client::close)
          .eventually(proxy::close);
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theClientsOwnFailuresAndSqlStates() {
    assertEquals(Code.UNAVAILABLE, PgFailures.codeOf(ClosedConnectionException.INSTANCE));
    assertEquals(Code.UNAVAILABLE, PgFailures.codeOf(new VertxException("Timeout waiting for connection", true)));
    assertEquals(Code.UNAVAILABLE, PgFailures.codeOf(new RuntimeException("wrapped", ClosedConnectionException.INSTANCE)));
    assertEquals(Code.UNAVAILABLE, PgFailures.codeOf(pg("57P01")), "admin shutdown");
    assertEquals(Code.UNAVAILABLE, PgFailures.codeOf(pg("08006")), "connection failure");
    assertEquals(Code.UNAVAILABLE, PgFailures.codeOf(pg("53300")), "too many connections");
    assertEquals(Code.ABORTED, PgFailures.codeOf(pg("40001")));
    assertEquals(Code.ABORTED, PgFailures.codeOf(pg("40P01")));
    assertEquals(Code.FAILED_PRECONDITION, PgFailures.codeOf(pg("23503")));
    assertEquals(Code.INVALID_ARGUMENT, PgFailures.codeOf(pg("23514")));
    assertEquals(Code.DEADLINE_EXCEEDED, PgFailures.codeOf(pg("57014")));
    assertEquals(Code.INTERNAL, PgFailures.codeOf(pg("XX000")));
    assertEquals(Code.INTERNAL, PgFailures.codeOf(new IllegalStateException("a bug")));
    assertFalse(PgFailures.isUniqueViolation(new RuntimeException()));
    OutcomeException precise = OutcomeException.of(Code.NOT_FOUND, "campaign 1 does not exist");
    assertSame(precise, PgFailures.toOutcome(precise));
  }

  private static PgException pg(String sqlState) {
    return new PgException("message", "ERROR", sqlState, null);
  }
}
