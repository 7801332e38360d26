package io.inos.server.db;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code INOS_PG_URL} form, {@code postgresql://user:password@host:port/database?param=value}, turned into the
 * options of the reactive client and into the JDBC URL that Flyway needs.
 */
public final class PgUrl {

  /** User when the URL names none: our servers run with the {@code postgres} role (not the client's "user"). */
  public static final String DEFAULT_USER = "postgres";
  /** Database when the URL names none (the client library would pick "db"). */
  public static final String DEFAULT_DATABASE = "inos";

  private PgUrl() {
  }

  /**
   * Parses a PostgreSQL URL.
   *
   * @param url {@code postgresql://} or {@code postgres://} URL; user, password, port, database and parameters are
   *            optional
   * @return new options (the caller may change them)
   * @throws IllegalArgumentException when the URL is malformed
   */
  public static PgConnectOptions parse(String url) {
    if (url == null || !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      throw new IllegalArgumentException("not a postgresql:// URL: " + url);
    }
    PgConnectOptions options = PgConnectOptions.fromUri(url);
    String rest = url.substring(url.indexOf("://") + 3);
    int authorityEnd = firstOf(rest, '/', '?');
    String authority = rest.substring(0, authorityEnd);
    String query = rest.indexOf('?') >= 0 ? "&" + rest.substring(rest.indexOf('?') + 1) : "";
    // fromUri fills absent parts with the client's placeholders ("user", "db"); replace them with ours
    if (!authority.contains("@") && !query.contains("&user=")) {
      options.setUser(DEFAULT_USER);
    }
    boolean hasPath = authorityEnd < rest.length() && rest.charAt(authorityEnd) == '/'
      && authorityEnd + 1 < rest.length() && rest.charAt(authorityEnd + 1) != '?';
    if (!hasPath && !query.contains("&dbname=")) {
      options.setDatabase(DEFAULT_DATABASE);
    }
    if (options.getHost() == null || options.getHost().isEmpty()) {
      throw new IllegalArgumentException("no host in " + url);
    }
    return options;
  }

  /**
   * The JDBC URL for the same server and database (user and password are passed apart, so they never end up in a
   * URL that may be logged).
   *
   * @param options parsed options
   * @param connectTimeoutMs how long the JDBC driver may take to connect
   */
  public static String jdbcUrl(PgConnectOptions options, long connectTimeoutMs) {
    String host = options.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(options.getPort())
      .append('/').append(URLEncoder.encode(options.getDatabase(), StandardCharsets.UTF_8))
      .append("?connectTimeout=").append(Math.max(1, (connectTimeoutMs + 999) / 1000));
    if (options.getSslMode() != null && options.getSslMode() != SslMode.DISABLE) {
      url.append("&sslmode=").append(options.getSslMode().value);
    }
    return url.toString();
  }

  /** {@code host:port}, for messages. */
  static String address(PgConnectOptions options) {
    return options.getHost() + ":" + options.getPort();
  }

  private static int firstOf(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    if (i < 0) {
      return j < 0 ? s.length() : j;
    }
    return j < 0 ? i : Math.min(i, j);
  }
}
