package io.inos.ledger;

import io.vertx.core.json.JsonObject;

/**
 * Options of {@link LedgerWriter}.
 */
public class LedgerWriterOptions {

  /** Default most entries per round trip. */
  public static final int DEFAULT_BATCH_SIZE = 256;
  /** Default longest wait for a batch to fill. */
  public static final long DEFAULT_FLUSH_INTERVAL_MS = 50;
  /** Default most entries held while the database is slow or away. */
  public static final int DEFAULT_MAX_QUEUE = 100_000;
  /** Default first delay before retrying a failed batch. */
  public static final long DEFAULT_RETRY_INITIAL_DELAY_MS = 200;
  /** Default longest delay between retries (the delay doubles up to it). */
  public static final long DEFAULT_RETRY_MAX_DELAY_MS = 10_000;

  private int batchSize = DEFAULT_BATCH_SIZE;
  private long flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS;
  private int maxQueue = DEFAULT_MAX_QUEUE;
  private long retryInitialDelayMs = DEFAULT_RETRY_INITIAL_DELAY_MS;
  private long retryMaxDelayMs = DEFAULT_RETRY_MAX_DELAY_MS;

  /** Options with the defaults. */
  public LedgerWriterOptions() {
  }

  /** @param other options to copy */
  public LedgerWriterOptions(LedgerWriterOptions other) {
    this.batchSize = other.batchSize;
    this.flushIntervalMs = other.flushIntervalMs;
    this.maxQueue = other.maxQueue;
    this.retryInitialDelayMs = other.retryInitialDelayMs;
    this.retryMaxDelayMs = other.retryMaxDelayMs;
  }

  /** @param json options as produced by {@link #toJson()}; absent fields keep their defaults */
  public LedgerWriterOptions(JsonObject json) {
    this.batchSize = json.getInteger("batchSize", DEFAULT_BATCH_SIZE);
    this.flushIntervalMs = json.getLong("flushIntervalMs", DEFAULT_FLUSH_INTERVAL_MS);
    this.maxQueue = json.getInteger("maxQueue", DEFAULT_MAX_QUEUE);
    this.retryInitialDelayMs = json.getLong("retryInitialDelayMs", DEFAULT_RETRY_INITIAL_DELAY_MS);
    this.retryMaxDelayMs = json.getLong("retryMaxDelayMs", DEFAULT_RETRY_MAX_DELAY_MS);
  }

  /** @return the options as JSON */
  public JsonObject toJson() {
    return new JsonObject()
      .put("batchSize", batchSize)
      .put("flushIntervalMs", flushIntervalMs)
      .put("maxQueue", maxQueue)
      .put("retryInitialDelayMs", retryInitialDelayMs)
      .put("retryMaxDelayMs", retryMaxDelayMs);
  }

  /** @return the most entries written in one round trip */
  public int getBatchSize() {
    return batchSize;
  }

  /**
   * @param batchSize the most entries written in one round trip; a full batch is written at once
   * @return this
   */
  public LedgerWriterOptions setBatchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /** @return the longest an entry waits for its batch to fill */
  public long getFlushIntervalMs() {
    return flushIntervalMs;
  }

  /**
   * @param flushIntervalMs the longest an entry waits for its batch to fill
   * @return this
   */
  public LedgerWriterOptions setFlushIntervalMs(long flushIntervalMs) {
    this.flushIntervalMs = flushIntervalMs;
    return this;
  }

  /** @return the most entries held; beyond it the oldest are dropped (and counted) */
  public int getMaxQueue() {
    return maxQueue;
  }

  /**
   * @param maxQueue the most entries held; beyond it the oldest are dropped and counted in {@code inos.ledger.dropped}
   * @return this
   */
  public LedgerWriterOptions setMaxQueue(int maxQueue) {
    this.maxQueue = maxQueue;
    return this;
  }

  /** @return the first delay before retrying a failed batch */
  public long getRetryInitialDelayMs() {
    return retryInitialDelayMs;
  }

  /**
   * @param retryInitialDelayMs the first delay before retrying a failed batch
   * @return this
   */
  public LedgerWriterOptions setRetryInitialDelayMs(long retryInitialDelayMs) {
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
  public LedgerWriterOptions setRetryMaxDelayMs(long retryMaxDelayMs) {
    this.retryMaxDelayMs = retryMaxDelayMs;
    return this;
  }
}
