package io.inos.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes {@link LedgerEntry ledger entries} to the {@code ledger} table in batches, off the hot path.
 *
 * <ul>
 *   <li>{@link #append} only enqueues: it never waits on the database and may be called from any thread.</li>
 *   <li>A batch is written when {@link LedgerWriterOptions#getBatchSize() batchSize} entries are queued or every
 *   {@link LedgerWriterOptions#getFlushIntervalMs() flushIntervalMs}, whichever comes first, in one round trip
 *   ({@code executeBatch}, {@code ON CONFLICT (event_id) DO NOTHING}, so a batch retried after a lost
 *   acknowledgement records each event once).</li>
 *   <li>A batch that fails (the database is away) stays queued, in order, and is retried with a doubling delay, so
 *   nothing is lost when the database returns. An entry the database refuses as invalid (SQLSTATE class 22 or 23) is
 *   dropped alone, logged and counted in {@code inos.ledger.rejected}, so it cannot block the ledger.</li>
 *   <li>The queue holds at most {@link LedgerWriterOptions#getMaxQueue() maxQueue} entries; beyond it the oldest are
 *   dropped and counted in {@code inos.ledger.dropped}.</li>
 *   <li>The pool is asked for on each write, so the writer can start before the database is up
 *   ({@code db::pool} returning {@code null} until then).</li>
 * </ul>
 *
 * <p>Meters: {@code inos.ledger.queued} (gauge: waiting and in-flight entries), {@code inos.ledger.written} (entries
 * the database accepted, duplicates included), {@code inos.ledger.failures} (failed writes), {@code inos.ledger.dropped}
 * and {@code inos.ledger.rejected}. Use one writer per registry: the gauge follows the first writer registered.
 */
public final class LedgerWriter {

  static final String INSERT_SQL = "INSERT INTO ledger (event_id, type, state, correlation_id, causation_id,"
    + " user_id, campaign_id, source, payload, metadata, occurred_at)"
    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id) DO NOTHING";

  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
  private static final long DROP_LOG_INTERVAL_MS = 10_000;

  private record Pending(long seq, LedgerEntry entry) {
  }

  private record Waiter(long upToSeq, Promise<Void> promise) {
  }

  private final Vertx vertx;
  private final Context context;
  private final Supplier<Pool> pool;
  private final LedgerWriterOptions options;
  private final Counter written;
  private final Counter dropped;
  private final Counter failures;
  private final Counter rejected;

  // shared with appending threads, guarded by lock
  private final Object lock = new Object();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long nextSeq;
  private long inFlightFirstSeq;
  private int inFlightCount;

  private final AtomicBoolean writeScheduled = new AtomicBoolean();
  private final AtomicLong lastDropLog = new AtomicLong();

  // confined to the writer's context
  private final List<Waiter> waiters = new ArrayList<>();
  private boolean writing;
  private boolean backingOff;
  private boolean failing;
  private long retryDelayMs;
  private long tickTimer = -1;

  private LedgerWriter(Vertx vertx, Supplier<Pool> pool, LedgerWriterOptions options, MeterRegistry registry) {
    if (options.getBatchSize() <= 0 || options.getFlushIntervalMs() <= 0
      || options.getMaxQueue() < options.getBatchSize()) {
      throw new IllegalArgumentException("ledger options need batchSize > 0, flushIntervalMs > 0 and"
        + " maxQueue >= batchSize: " + options.toJson().encode());
    }
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = Objects.requireNonNull(pool, "pool");
    this.options = new LedgerWriterOptions(options);
    this.retryDelayMs = options.getRetryInitialDelayMs();
    this.written = counter(registry, "inos.ledger.written", "Ledger entries accepted by the database");
    this.dropped = counter(registry, "inos.ledger.dropped", "Ledger entries dropped because the queue was full");
    this.failures = counter(registry, "inos.ledger.failures", "Ledger writes that failed and were retried");
    this.rejected = counter(registry, "inos.ledger.rejected", "Ledger entries the database refused as invalid");
    Gauge.builder("inos.ledger.queued", this, LedgerWriter::queued)
      .description("Ledger entries waiting to be written, in flight included")
      .register(registry);
    context.runOnContext(v -> tickTimer = vertx.setPeriodic(options.getFlushIntervalMs(), id -> tick()));
  }

  /**
   * Creates a writer and starts its flush timer.
   *
   * @param vertx    the Vert.x instance; the writer runs on a context of its own (the caller's, if it has one)
   * @param pool     gives the pool to write with, or {@code null} while the database is not up yet
   * @param options  the options; copied
   * @param registry where the writer's meters go
   * @return the writer
   * @throws IllegalArgumentException when the options are inconsistent
   */
  public static LedgerWriter create(Vertx vertx, Supplier<Pool> pool, LedgerWriterOptions options,
                                    MeterRegistry registry) {
    return new LedgerWriter(vertx, pool, options, registry);
  }

  /**
   * Queues an entry. Never blocks and never waits on the database; safe from any thread.
   *
   * @param entry the entry; its payload and metadata must not change afterwards
   */
  public void append(LedgerEntry entry) {
    Objects.requireNonNull(entry, "entry");
    boolean batchFull;
    synchronized (lock) {
      if (queue.size() + inFlightCount >= options.getMaxQueue()) {
        dropped.increment();
        if (queue.isEmpty()) {
          logDrop();
          return; // the whole bound is one batch in flight: the newest is the only one that can go
        }
        queue.pollFirst();
        logDrop();
      }
      queue.addLast(new Pending(nextSeq++, entry));
      batchFull = queue.size() >= options.getBatchSize();
    }
    // one hop to the writer's context per full batch, not one per entry
    if (batchFull && writeScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        writeScheduled.set(false);
        writeNext();
      });
    }
  }

  /**
   * Writes everything appended before this call. While the database is away it keeps waiting (the retries go on):
   * bound it with {@code flush().timeout(...)}, e.g. by {@code shutdown.drainMs} at shutdown.
   *
   * @return a future completed when every entry appended before the call is written (or was dropped)
   */
  public Future<Void> flush() {
    long upTo;
    synchronized (lock) {
      upTo = nextSeq;
    }
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      waiters.add(new Waiter(upTo, promise));
      completeWaiters();
      writeNext();
    });
    return promise.future();
  }

  /** @return entries waiting to be written, in flight included */
  public int queued() {
    synchronized (lock) {
      return queue.size() + inFlightCount;
    }
  }

  /**
   * Stops the periodic writes. Entries still queued stay there: call {@link #flush()} first to keep them.
   *
   * @return a future completed when the timer is stopped
   */
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      vertx.cancelTimer(tickTimer);
      int left = queued();
      if (left > 0) {
        LOG.warn("Ledger writer closed with {} entries not written", left);
      }
      promise.complete();
    });
    return promise.future();
  }

  private void tick() {
    completeWaiters(); // drops made by append may have satisfied a flush
    writeNext();
  }

  private void writeNext() {
    if (writing || backingOff) {
      return;
    }
    Pool current = pool.get();
    if (current == null) {
      return; // the database is not up yet; the next tick asks again
    }
    List<Pending> batch = takeBatch();
    if (batch.isEmpty()) {
      completeWaiters();
      return;
    }
    writing = true;
    List<Tuple> tuples = new ArrayList<>(batch.size());
    batch.forEach(p -> tuples.add(tuple(p.entry())));
    current.preparedQuery(INSERT_SQL).executeBatch(tuples).onComplete(ar -> {
      if (ar.succeeded()) {
        written.increment(batch.size());
        batchDone();
      } else if (isInvalidData(ar.cause())) {
        // one bad entry fails the whole batch: write them one by one to keep the good ones
        writeSingly(current, batch, 0);
      } else {
        batchFailed(batch, ar.cause());
      }
    });
  }

  private void writeSingly(Pool current, List<Pending> batch, int index) {
    if (index == batch.size()) {
      batchDone();
      return;
    }
    LedgerEntry entry = batch.get(index).entry();
    current.preparedQuery(INSERT_SQL).execute(tuple(entry)).onComplete(ar -> {
      if (ar.succeeded()) {
        written.increment();
      } else if (isInvalidData(ar.cause())) {
        rejected.increment();
        LOG.error("Ledger entry {} ({}) refused by the database and dropped: {}", entry.eventId(), entry.type(),
          ar.cause().getMessage());
      } else {
        batchFailed(batch.subList(index, batch.size()), ar.cause());
        return;
      }
      writeSingly(current, batch, index + 1);
    });
  }

  private List<Pending> takeBatch() {
    synchronized (lock) {
      int size = Math.min(options.getBatchSize(), queue.size());
      List<Pending> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(queue.pollFirst());
      }
      if (size > 0) {
        inFlightFirstSeq = batch.get(0).seq();
        inFlightCount = size;
      }
      return batch;
    }
  }

  private void batchDone() {
    synchronized (lock) {
      inFlightCount = 0;
    }
    writing = false;
    retryDelayMs = options.getRetryInitialDelayMs();
    if (failing) {
      failing = false;
      LOG.info("Ledger writes succeed again ({} entries queued)", queued());
    }
    completeWaiters();
    boolean more;
    synchronized (lock) {
      more = !queue.isEmpty() && (queue.size() >= options.getBatchSize() || !waiters.isEmpty());
    }
    if (more) {
      writeNext();
    }
  }

  private void batchFailed(List<Pending> batch, Throwable cause) {
    synchronized (lock) {
      // back to the head of the queue, in order: the retry writes the same entries first
      for (int i = batch.size() - 1; i >= 0; i--) {
        queue.addFirst(batch.get(i));
      }
      inFlightCount = 0;
      while (queue.size() > options.getMaxQueue()) {
        queue.pollFirst();
        dropped.increment();
      }
    }
    writing = false;
    failures.increment();
    if (!failing) {
      failing = true; // logged once per outage, not once per retry
      LOG.warn("Ledger write failed, entries kept and retried: {}", cause.getMessage());
    }
    completeWaiters();
    backingOff = true;
    vertx.setTimer(retryDelayMs, id -> {
      backingOff = false;
      writeNext();
    });
    retryDelayMs = Math.min(retryDelayMs * 2, options.getRetryMaxDelayMs());
  }

  private void completeWaiters() {
    if (waiters.isEmpty()) {
      return;
    }
    long oldestOutstanding;
    synchronized (lock) {
      if (inFlightCount > 0) {
        oldestOutstanding = inFlightFirstSeq;
      } else if (!queue.isEmpty()) {
        oldestOutstanding = queue.peekFirst().seq();
      } else {
        oldestOutstanding = nextSeq;
      }
    }
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.upToSeq() <= oldestOutstanding) {
        it.remove();
        waiter.promise().complete();
      }
    }
  }

  private void logDrop() {
    long now = System.currentTimeMillis();
    long last = lastDropLog.get();
    if (now - last >= DROP_LOG_INTERVAL_MS && lastDropLog.compareAndSet(last, now)) {
      LOG.warn("Ledger queue full ({} entries): dropping the oldest entries; {} dropped so far",
        options.getMaxQueue(), (long) dropped.count());
    }
  }

  private static boolean isInvalidData(Throwable error) {
    // class 22 = data exception, 23 = integrity constraint violation: retrying the same entry cannot help
    return error instanceof PgException pg && pg.getSqlState() != null
      && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  private static Tuple tuple(LedgerEntry e) {
    return Tuple.of(e.eventId(), e.type(), e.state(), e.correlationId(), e.causationId(), e.userId(),
      e.campaignId(), e.source(), e.payload(), e.metadata(), OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }
}
