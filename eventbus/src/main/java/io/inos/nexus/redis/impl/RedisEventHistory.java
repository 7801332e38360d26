package io.inos.nexus.redis.impl;

import io.inos.nexus.Event;
import io.inos.nexus.EventCodec;
import io.inos.nexus.redis.EventHistory;
import io.inos.nexus.redis.HistoryPosition;
import io.inos.nexus.redis.Recovery;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.nexus.redis.RedisExtensionOptions.HistoryScope;
import io.inos.nexus.redis.RedisUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link EventHistory} in Redis Streams. Appends are queued by the publishing thread (no encoding, no I/O there)
 * and written by the link's context in pipelined batches of {@link #BATCH} scripted XADDs, one batch in flight at a
 * time, so their order per scope is the order of publication on this node.
 */
public final class RedisEventHistory implements EventHistory {

  private static final Logger LOG = LoggerFactory.getLogger(RedisEventHistory.class);
  /** The most appends per pipelined batch: enough to amortise a round trip, small enough to keep latency low. */
  static final int BATCH = 256;
  /** The most scopes remembered as having lost events while Redis was down. */
  static final int MAX_GAP_SCOPES = 10_000;
  private static final EventCodec CODEC = new EventCodec();

  private record Pending(String scope, HistoryScope bounds, Event event, Promise<HistoryPosition> promise,
                         Promise<Void> barrier) {
    Pending(String scope, HistoryScope bounds, Event event, Promise<HistoryPosition> promise) {
      this(scope, bounds, event, promise, null);
    }

    /** A place in the queue that writes nothing: its promise completes once everything ahead of it is written. */
    static Pending barrier(Promise<Void> promise) {
      return new Pending(null, null, null, null, promise);
    }

    boolean isBarrier() {
      return barrier != null;
    }
  }

  private final RedisLink link;
  private final Keys keys;
  private final int limit;
  private final int maxRecovered;
  private final Map<String, HistoryScope> exactScopes = new HashMap<>();
  private final List<Map.Entry<String, HistoryScope>> prefixScopes = new ArrayList<>();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Scopes that lost events, with how many: a gap marker is appended to each when Redis is back. */
  private final ConcurrentHashMap<String, long[]> gaps = new ConcurrentHashMap<>();
  private final Map<String, HistoryScope> gapBounds = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Counter appendedCounter;
  private final Counter droppedCounter;
  private final Counter failedCounter;

  public RedisEventHistory(RedisLink link, Keys keys, RedisExtensionOptions options, MeterRegistry registry) {
    this.link = link;
    this.keys = keys;
    this.limit = options.getAppendBufferLimit();
    this.maxRecovered = options.getMaxRecovered();
    for (HistoryScope s : options.getHistoryScopes()) {
      if (s.pattern().endsWith("*")) {
        prefixScopes.add(Map.entry(s.pattern().substring(0, s.pattern().length() - 1), s));
      } else {
        exactScopes.put(s.pattern(), s);
      }
    }
    if (registry != null) {
      appendedCounter = Counter.builder("inos.redis.history.appends").tag("result", "appended").register(registry);
      droppedCounter = Counter.builder("inos.redis.history.appends").tag("result", "dropped").register(registry);
      failedCounter = Counter.builder("inos.redis.history.appends").tag("result", "failed").register(registry);
      Gauge.builder("inos.redis.history.pending", size, AtomicInteger::get)
        .description("appends waiting for Redis").register(registry);
    } else {
      appendedCounter = null;
      droppedCounter = null;
      failedCounter = null;
    }
    link.onStateChange(s -> {
      if (s.isUp()) {
        wake();
      }
    });
  }

  /** @return the bounds of the history of {@code address}, or {@code null} when it keeps none */
  public HistoryScope scopeOf(String address) {
    HistoryScope exact = exactScopes.get(address);
    if (exact != null) {
      return exact;
    }
    for (int i = 0, n = prefixScopes.size(); i < n; i++) {
      Map.Entry<String, HistoryScope> e = prefixScopes.get(i);
      if (address.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public boolean covers(String address) {
    return scopeOf(address) != null;
  }

  /** Queues an append on the publisher's thread, without waiting: the hot path. */
  public void offer(String scope, HistoryScope bounds, Event event) {
    enqueue(new Pending(scope, bounds, event, null));
  }

  @Override
  public Future<Void> settled() {
    if (queue.isEmpty()) {
      return Future.succeededFuture();
    }
    // a barrier in the same FIFO queue: everything queued before this call is ahead of it; it counts in no bound
    Promise<Void> promise = Promise.promise();
    queue.add(Pending.barrier(promise));
    wake();
    return promise.future();
  }

  @Override
  public Future<HistoryPosition> append(String scope, Event event) {
    HistoryScope bounds = scopeOf(scope);
    if (bounds == null) {
      return Future.failedFuture(new IllegalArgumentException("no history scope covers '" + scope + "'"));
    }
    Promise<HistoryPosition> promise = Promise.promise();
    enqueue(new Pending(scope, bounds, event, promise));
    return promise.future();
  }

  private void enqueue(Pending p) {
    if (size.incrementAndGet() > limit) {
      size.decrementAndGet();
      dropped.incrementAndGet();
      if (droppedCounter != null) {
        droppedCounter.increment();
      }
      if (gaps.size() < MAX_GAP_SCOPES || gaps.containsKey(p.scope)) {
        gapBounds.putIfAbsent(p.scope, p.bounds);
        gaps.computeIfAbsent(p.scope, k -> new long[1])[0]++;
      }
      if (p.promise != null) {
        p.promise.fail(new RedisUnavailableException("the history append buffer is full (" + limit + ")"));
      }
      return;
    }
    queue.add(p);
    wake();
  }

  private void wake() {
    if (scheduled.compareAndSet(false, true)) {
      link.context().runOnContext(v -> flush());
    }
  }

  /** On the link's context: writes one batch, then the next, until the queue is empty or Redis is down. */
  private void flush() {
    if (!link.isUp() || (queue.isEmpty() && gaps.isEmpty())) {
      scheduled.set(false);
      if (link.isUp() && (!queue.isEmpty() || !gaps.isEmpty())) {
        wake();
      }
      return;
    }
    List<Request> requests = new ArrayList<>();
    List<Pending> batch = new ArrayList<>();
    Iterator<Pending> pending = queue.iterator();
    while (pending.hasNext() && batch.size() < BATCH) {
      Pending p = pending.next();
      batch.add(p);
      if (!p.isBarrier()) {
        requests.add(appendRequest(p.scope, p.bounds, p.event.id(), encode(p.event)));
      }
    }
    // gap markers go after the last buffered event: the events lost were published after all of those
    boolean drained = !pending.hasNext();
    Map<String, Long> markers = new HashMap<>();
    Iterator<Map.Entry<String, long[]>> it = gaps.entrySet().iterator();
    while (drained && it.hasNext() && markers.size() < BATCH) {
      Map.Entry<String, long[]> gap = it.next();
      it.remove();
      HistoryScope bounds = gapBounds.remove(gap.getKey());
      markers.put(gap.getKey(), gap.getValue()[0]);
      requests.add(appendRequest(gap.getKey(), bounds, "", Long.toString(gap.getValue()[0])));
    }
    Future<List<Response>> sent = requests.isEmpty() ? Future.succeededFuture(List.of()) : link.batch(requests);
    sent.onComplete(ar -> {
      if (ar.succeeded()) {
        List<Response> answers = ar.result();
        int answer = 0;
        for (Pending p : batch) {
          queue.poll();
          if (p.isBarrier()) {
            p.barrier.complete();
            continue;
          }
          Response r = answers.get(answer++);
          size.decrementAndGet();
          if (appendedCounter != null) {
            appendedCounter.increment();
          }
          if (p.promise != null) {
            p.promise.complete(new HistoryPosition(r.get(1).toString(), r.get(0).toString()));
          }
        }
      } else if (ar.cause() instanceof ErrorType error) {
        // Redis refused them (a key of another type, say): they would be refused again
        LOG.warn("Redis refused {} history appends: {}", batch.size(), error.getMessage());
        for (Pending p : batch) {
          queue.poll();
          if (p.isBarrier()) {
            p.barrier.complete();
            continue;
          }
          size.decrementAndGet();
          if (failedCounter != null) {
            failedCounter.increment();
          }
          if (p.promise != null) {
            p.promise.fail(error);
          }
        }
      } else {
        // an outage: keep everything for when the link is up again (it wakes us)
        markers.forEach((scope, count) -> {
          gapBounds.putIfAbsent(scope, scopeOf(scope) == null ? HistoryScope.ofLength(scope, 1000) : scopeOf(scope));
          gaps.computeIfAbsent(scope, k -> new long[1])[0] += count;
        });
        scheduled.set(false);
        return;
      }
      scheduled.set(false);
      if (!queue.isEmpty() || !gaps.isEmpty()) {
        wake();
      }
    });
  }

  private static Buffer encode(Event event) {
    Buffer framed = Buffer.buffer(512);
    CODEC.encodeToWire(framed, event);
    return framed.slice(4, framed.length());
  }

  private Request appendRequest(String scope, HistoryScope bounds, String eventId, Object body) {
    return Scripts.APPEND.call(new String[] {keys.stream(scope), keys.epoch(scope)},
      eventId, body, bounds.maxLength(), bounds.maxAgeMs(), newEpoch());
  }

  private static String newEpoch() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  @Override
  public Future<Recovery> recover(String scope, HistoryPosition since) {
    if (since == null) {
      return run(scope, "now", "", "");
    }
    return run(scope, "pos", since.offset(), since.epoch());
  }

  @Override
  public Future<Recovery> recoverAfterEvent(String scope, String eventId) {
    if (eventId == null || eventId.isEmpty()) {
      return run(scope, "now", "", "");
    }
    return run(scope, "id", eventId, "");
  }

  @Override
  public Future<HistoryPosition> position(String scope) {
    return run(scope, "now", "", "").map(Recovery::position);
  }

  private Future<Recovery> run(String scope, String mode, String value, String epoch) {
    HistoryScope bounds = scopeOf(scope);
    long maxAge = bounds == null ? 0 : bounds.maxAgeMs();
    return link.send(Scripts.RECOVER.call(new String[] {keys.stream(scope), keys.epoch(scope)},
      mode, value, epoch, maxRecovered, newEpoch(), maxAge)).map(this::recovery);
  }

  private Recovery recovery(Response r) {
    String verdict = r.get(0).toString();
    String epoch = r.get(1).toString();
    HistoryPosition last = new HistoryPosition(r.get(2).toString(), epoch);
    if (!verdict.equals("ok")) {
      return new Recovery(false, List.of(), last);
    }
    List<Recovery.Entry> events = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Response entry : r.get(3)) {
      String offset = entry.get(0).toString();
      Response fields = entry.get(1);
      String id = fields.get(1).toString();
      if (!seen.add(id)) {
        continue; // appended twice: a batch resent after a connection broke mid-way
      }
      try {
        events.add(new Recovery.Entry(new HistoryPosition(offset, epoch), Event.fromJson(fields.get(3).toBuffer())));
      } catch (RuntimeException e) {
        LOG.warn("history entry {} of epoch {} is no event, skipped: {}", offset, epoch, e.toString());
      }
    }
    return new Recovery(true, events, last);
  }

  @Override
  public long droppedCount() {
    return dropped.get();
  }

  @Override
  public int pendingCount() {
    return size.get();
  }
}
