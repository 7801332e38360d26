package io.inos.server.db;

import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PgUrlTest {

  @Test
  void fullUrl() {
    PgConnectOptions options = PgUrl.parse("postgresql://inos:s%40cret@db.example:6543/inos_prod?sslmode=require");

    assertEquals("inos", options.getUser());
    assertEquals("s@cret", options.getPassword());
    assertEquals("db.example", options.getHost());
    assertEquals(6543, options.getPort());
    assertEquals("inos_prod", options.getDatabase());
    assertEquals("jdbc:postgresql://db.example:6543/inos_prod?connectTimeout=3&sslmode=require",
      PgUrl.jdbcUrl(options, 3_000));
  }

  @Test
  void absentUserAndDatabaseTakeOurDefaults() {
    PgConnectOptions options = PgUrl.parse("postgres://localhost");

    assertEquals("postgres", options.getUser());
    assertEquals("inos", options.getDatabase());
    assertEquals(5432, options.getPort());
  }

  @Test
  void userAndDatabaseAsParameters() {
    PgConnectOptions options = PgUrl.parse("postgresql://localhost:5432?user=app&dbname=other");

    assertEquals("app", options.getUser());
    assertEquals("other", options.getDatabase());
  }

  @Test
  void malformed() {
    assertThrows(IllegalArgumentException.class, () -> PgUrl.parse("http://localhost/inos"));
    assertThrows(IllegalArgumentException.class, () -> PgUrl.parse("postgresql://localhost:notaport/inos"));
    assertThrows(IllegalArgumentException.class, () -> PgUrl.parse("postgresql://a:b:c@localhost/inos"));
  }

  @Test
  void quotesIdentifiers() {
    assertEquals("\"inos\"", PgDatabase.quoteIdentifier("inos"));
    assertEquals("\"in\"\"os\"", PgDatabase.quoteIdentifier("in\"os"));
  }
}
