package io.inos.nexus;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

/**
 * Options of a {@link Nexus}. The journal and the meter registry are objects, not configuration: they are set in
 * code and are not part of {@link #toJson()}.
 */
public final class NexusOptions {

  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_HANDLER_TIMEOUT_MS = 9_000;
  /**
   * How long an answered event id is remembered: 5 s. Duplicates are redeliveries and retries, which come within
   * seconds (the original INOS locked an id for 3 s); remembering longer only keeps answers alive through many
   * garbage collections (each answer is a whole event, a few KB), which at 60 s cost more than the lifecycle itself.
   * Exactly-once over longer periods is the ledger's business: it records every event id.
   */
  public static final long DEFAULT_DUPLICATE_WINDOW_MS = 5_000;
  /**
   * The most answered ids remembered per service host: 10,000, a few MB. They are kept in two generations of half
   * the capacity each: with more than capacity / 2 answers within one window (1,000 requests a second per service
   * host at the defaults) the older generation is forgotten at once, before its window ends.
   */
  public static final int DEFAULT_DUPLICATE_CAPACITY = 10_000;
  /**
   * The most answers kept per service host to hand to duplicates: the 1,000 most recent, about 5 MB. An id is
   * cheap to remember (a few hundred bytes), an answer is not (a whole event): under load every answer kept survives
   * young collections and is copied by each of them, which with 10,000 answers made the collector, not the
   * lifecycle, the main cost of a request. A duplicate of an older id (still within its window) is not processed
   * again but refused with ALREADY_EXISTS, naming the answer it had.
   */
  public static final int DEFAULT_DUPLICATE_ANSWER_CAPACITY = 1_000;
  public static final String DEFAULT_ENVIRONMENT = "development";
  public static final String DEFAULT_SOURCE = "backend";

  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS;
  private long duplicateWindowMs = DEFAULT_DUPLICATE_WINDOW_MS;
  private int duplicateCapacity = DEFAULT_DUPLICATE_CAPACITY;
  private int duplicateAnswerCapacity = DEFAULT_DUPLICATE_ANSWER_CAPACITY;
  private String environment = DEFAULT_ENVIRONMENT;
  private String source = DEFAULT_SOURCE;
  private EventJournal journal = EventJournal.NONE;
  private MeterRegistry meterRegistry;

  public NexusOptions() {
  }

  public NexusOptions(NexusOptions other) {
    this.requestTimeoutMs = other.requestTimeoutMs;
    this.handlerTimeoutMs = other.handlerTimeoutMs;
    this.duplicateWindowMs = other.duplicateWindowMs;
    this.duplicateCapacity = other.duplicateCapacity;
    this.duplicateAnswerCapacity = other.duplicateAnswerCapacity;
    this.environment = other.environment;
    this.source = other.source;
    this.journal = other.journal;
    this.meterRegistry = other.meterRegistry;
  }

  /** Reads the options; a value out of range fails with a message naming its key. */
  public NexusOptions(JsonObject json) {
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setHandlerTimeoutMs(json.getLong("handlerTimeoutMs", DEFAULT_HANDLER_TIMEOUT_MS));
    setDuplicateWindowMs(json.getLong("duplicateWindowMs", DEFAULT_DUPLICATE_WINDOW_MS));
    setDuplicateCapacity(json.getInteger("duplicateCapacity", DEFAULT_DUPLICATE_CAPACITY));
    setDuplicateAnswerCapacity(json.getInteger("duplicateAnswerCapacity", DEFAULT_DUPLICATE_ANSWER_CAPACITY));
    setEnvironment(json.getString("environment", DEFAULT_ENVIRONMENT));
    setSource(json.getString("source", DEFAULT_SOURCE));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("handlerTimeoutMs", handlerTimeoutMs)
      .put("duplicateWindowMs", duplicateWindowMs)
      .put("duplicateCapacity", duplicateCapacity)
      .put("duplicateAnswerCapacity", duplicateAnswerCapacity)
      .put("environment", environment)
      .put("source", source);
  }

  /** How long {@link Nexus#request} waits for an outcome before failing with DEADLINE_EXCEEDED. */
  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public NexusOptions setRequestTimeoutMs(long ms) {
    this.requestTimeoutMs = positive("requestTimeoutMs", ms);
    return this;
  }

  /** How long a handler may run before the host fails it with DEADLINE_EXCEEDED (a service may set less). */
  public long getHandlerTimeoutMs() {
    return handlerTimeoutMs;
  }

  public NexusOptions setHandlerTimeoutMs(long ms) {
    this.handlerTimeoutMs = positive("handlerTimeoutMs", ms);
    return this;
  }

  /**
   * How long an answered event id is remembered to suppress duplicates (see {@link #DEFAULT_DUPLICATE_WINDOW_MS});
   * an id that comes again later is processed again.
   */
  public long getDuplicateWindowMs() {
    return duplicateWindowMs;
  }

  public NexusOptions setDuplicateWindowMs(long ms) {
    this.duplicateWindowMs = positive("duplicateWindowMs", ms);
    return this;
  }

  /**
   * The most answered event ids remembered at once per service host (see {@link #DEFAULT_DUPLICATE_CAPACITY}: the
   * older half is forgotten at once when it is full, even inside its window); requests still running are always
   * remembered.
   */
  public int getDuplicateCapacity() {
    return duplicateCapacity;
  }

  public NexusOptions setDuplicateCapacity(int capacity) {
    this.duplicateCapacity = (int) positive("duplicateCapacity", capacity);
    return this;
  }

  /**
   * The most answers kept at once per service host to hand to duplicates, the most recent ones (see
   * {@link #DEFAULT_DUPLICATE_ANSWER_CAPACITY}); 0 keeps none once sent (duplicates that come while the request runs
   * still share its answer). A duplicate whose answer is no longer kept is refused with ALREADY_EXISTS.
   */
  public int getDuplicateAnswerCapacity() {
    return duplicateAnswerCapacity;
  }

  public NexusOptions setDuplicateAnswerCapacity(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("duplicateAnswerCapacity must not be negative, was " + capacity);
    }
    this.duplicateAnswerCapacity = capacity;
    return this;
  }

  public String getEnvironment() {
    return environment;
  }

  public NexusOptions setEnvironment(String environment) {
    this.environment = environment;
    return this;
  }

  /** The {@code source} of the events the Nexus itself makes. */
  public String getSource() {
    return source;
  }

  public NexusOptions setSource(String source) {
    this.source = source;
    return this;
  }

  public EventJournal getJournal() {
    return journal;
  }

  public NexusOptions setJournal(EventJournal journal) {
    this.journal = journal == null ? EventJournal.NONE : journal;
    return this;
  }

  /** The registry of the metrics hook; {@code null} switches the hook off. */
  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  public NexusOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
