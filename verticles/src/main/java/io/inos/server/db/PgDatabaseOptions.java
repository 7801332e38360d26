package io.inos.server.db;

import io.vertx.core.json.JsonObject;

/**
 * Options of {@link PgDatabase}.
 */
public class PgDatabaseOptions {

  /** The server's default URL. */
  public static final String DEFAULT_URL = "postgresql://postgres@localhost:5432/inos";
  /** Default pool size. */
  public static final int DEFAULT_POOL_SIZE = 8;
  /**
   * Default connect timeout: short, so that a request made while PostgreSQL is away fails fast instead of holding
   * its caller for the client's default of a minute.
   */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
  /** Default first delay before retrying to reach the database at start-up. */
  public static final long DEFAULT_RETRY_INITIAL_DELAY_MS = 500;
  /** Default longest delay between start-up retries (the delay doubles up to it). */
  public static final long DEFAULT_RETRY_MAX_DELAY_MS = 10_000;
  /** Default period of the readiness probe once the database is up. */
  public static final long DEFAULT_HEALTH_CHECK_INTERVAL_MS = 5_000;
  /** Default Flyway locations. */
  public static final String DEFAULT_MIGRATION_LOCATION = "classpath:db/migration";

  private String url = DEFAULT_URL;
  private int poolSize = DEFAULT_POOL_SIZE;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long retryInitialDelayMs = DEFAULT_RETRY_INITIAL_DELAY_MS;
  private long retryMaxDelayMs = DEFAULT_RETRY_MAX_DELAY_MS;
  private long healthCheckIntervalMs = DEFAULT_HEALTH_CHECK_INTERVAL_MS;
  private String migrationLocation = DEFAULT_MIGRATION_LOCATION;

  /** Options with the defaults. */
  public PgDatabaseOptions() {
  }

  /** @param other options to copy */
  public PgDatabaseOptions(PgDatabaseOptions other) {
    this.url = other.url;
    this.poolSize = other.poolSize;
    this.connectTimeoutMs = other.connectTimeoutMs;
    this.retryInitialDelayMs = other.retryInitialDelayMs;
    this.retryMaxDelayMs = other.retryMaxDelayMs;
    this.healthCheckIntervalMs = other.healthCheckIntervalMs;
    this.migrationLocation = other.migrationLocation;
  }

  /** @param json options as produced by {@link #toJson()}; absent fields keep their defaults */
  public PgDatabaseOptions(JsonObject json) {
    this.url = json.getString("url", DEFAULT_URL);
    this.poolSize = json.getInteger("poolSize", DEFAULT_POOL_SIZE);
    this.connectTimeoutMs = json.getLong("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS);
    this.retryInitialDelayMs = json.getLong("retryInitialDelayMs", DEFAULT_RETRY_INITIAL_DELAY_MS);
    this.retryMaxDelayMs = json.getLong("retryMaxDelayMs", DEFAULT_RETRY_MAX_DELAY_MS);
    this.healthCheckIntervalMs = json.getLong("healthCheckIntervalMs", DEFAULT_HEALTH_CHECK_INTERVAL_MS);
    this.migrationLocation = json.getString("migrationLocation", DEFAULT_MIGRATION_LOCATION);
  }

  /** @return the options as JSON (the URL as given: redact it before logging) */
  public JsonObject toJson() {
    return new JsonObject()
      .put("url", url)
      .put("poolSize", poolSize)
      .put("connectTimeoutMs", connectTimeoutMs)
      .put("retryInitialDelayMs", retryInitialDelayMs)
      .put("retryMaxDelayMs", retryMaxDelayMs)
      .put("healthCheckIntervalMs", healthCheckIntervalMs)
      .put("migrationLocation", migrationLocation);
  }

  /** @return the {@code postgresql://} URL of the database (created if missing) */
  public String getUrl() {
    return url;
  }

  /**
   * @param url a {@code postgresql://user:password@host:port/database} URL, see {@link PgUrl}
   * @return this
   */
  public PgDatabaseOptions setUrl(String url) {
    this.url = url;
    return this;
  }

  /** @return the most connections the pool opens */
  public int getPoolSize() {
    return poolSize;
  }

  /**
   * @param poolSize the most connections the pool opens
   * @return this
   */
  public PgDatabaseOptions setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  /** @return how long a new connection may take, and how long a query may wait for a pooled connection */
  public long getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  /**
   * @param connectTimeoutMs how long a new connection may take, and a query may wait for a pooled connection
   * @return this
   */
  public PgDatabaseOptions setConnectTimeoutMs(long connectTimeoutMs) {
    this.connectTimeoutMs = connectTimeoutMs;
    return this;
  }

  /** @return the first delay before retrying to reach the database */
  public long getRetryInitialDelayMs() {
    return retryInitialDelayMs;
  }

  /**
   * @param retryInitialDelayMs the first delay before retrying to reach the database
   * @return this
   */
  public PgDatabaseOptions setRetryInitialDelayMs(long retryInitialDelayMs) {
    this.retryInitialDelayMs = retryInitialDelayMs;
    return this;
  }

  /** @return the longest delay between retries */
  public long getRetryMaxDelayMs() {
    return retryMaxDelayMs;
  }

  /**
   * @param retryMaxDelayMs the longest delay between retries
   * @return this
   */
  public PgDatabaseOptions setRetryMaxDelayMs(long retryMaxDelayMs) {
    this.retryMaxDelayMs = retryMaxDelayMs;
    return this;
  }

  /** @return the period of the readiness probe once the database is up */
  public long getHealthCheckIntervalMs() {
    return healthCheckIntervalMs;
  }

  /**
   * @param healthCheckIntervalMs the period of the readiness probe ({@code SELECT 1}) once the database is up
   * @return this
   */
  public PgDatabaseOptions setHealthCheckIntervalMs(long healthCheckIntervalMs) {
    this.healthCheckIntervalMs = healthCheckIntervalMs;
    return this;
  }

  /** @return where Flyway finds the migrations */
  public String getMigrationLocation() {
    return migrationLocation;
  }

  /**
   * @param migrationLocation where Flyway finds the migrations, e.g. {@code classpath:db/migration}
   * @return this
   */
  public PgDatabaseOptions setMigrationLocation(String migrationLocation) {
    this.migrationLocation = migrationLocation;
    return this;
  }
}
