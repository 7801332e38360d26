package io.inos.bench.fanout;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the subscribers received during one step of a run: messages {@code firstSeq} to {@code firstSeq + count - 1},
 * each expected once by every subscriber.
 *
 * <p>Written concurrently by the subscribers' event loops ({@link #record}); each subscriber's own bit set is only
 * ever touched by the thread that connection lives on.
 */
final class FeedStep {

  final long firstSeq;
  final int count;
  final int subscribers;
  final LongAdder delivered = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  /** Bytes of the delivery frames counted in {@link #delivered}. */
  final LongAdder bytes = new LongAdder();
  final LongAccumulator lastReceiptNs = new LongAccumulator(Math::max, Long.MIN_VALUE);
  /** Subscribers that have received at least one message of this step. */
  final AtomicInteger reached = new AtomicInteger();
  /** Per message, how many subscribers received it. */
  final AtomicIntegerArray receipts;
  /** Latency in microseconds: receipt time minus the time the message was due. */
  final Recorder latency = new Recorder(3);
  private final BitSet[] seen;

  FeedStep(long firstSeq, int count, int subscribers) {
    this.firstSeq = firstSeq;
    this.count = count;
    this.subscribers = subscribers;
    this.receipts = new AtomicIntegerArray(count);
    this.seen = new BitSet[subscribers];
  }

  boolean covers(long seq) {
    return seq >= firstSeq && seq < firstSeq + count;
  }

  /** Called on subscriber {@code index}'s event loop. */
  void record(int index, long seq, long sentNs, long nowNs, int frameBytes) {
    int i = (int) (seq - firstSeq);
    BitSet mine = seen[index];
    if (mine == null) {
      mine = new BitSet(count);
      seen[index] = mine;
      reached.incrementAndGet();
    }
    if (mine.get(i)) {
      duplicates.increment();
      return;
    }
    mine.set(i);
    receipts.incrementAndGet(i);
    delivered.increment();
    bytes.add(frameBytes);
    lastReceiptNs.accumulate(nowNs);
    if (sentNs != Long.MIN_VALUE) {
      latency.recordValue(Math.max(0, (nowNs - sentNs) / 1_000));
    }
  }

  /** @return messages that at least one subscriber has not received */
  int incompleteMessages() {
    int incomplete = 0;
    for (int i = 0; i < count; i++) {
      if (receipts.get(i) < subscribers) {
        incomplete++;
      }
    }
    return incomplete;
  }

  /** Moves what was recorded since the last call into {@code total} and returns it (for the per-second progress). */
  Histogram drainInterval(Histogram total) {
    Histogram interval = latency.getIntervalHistogram();
    total.add(interval);
    return interval;
  }
}
