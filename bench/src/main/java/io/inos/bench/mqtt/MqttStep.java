package io.inos.bench.mqtt;

import io.vertx.core.buffer.Buffer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the subscribers received during one step: messages {@code firstSeq} to {@code firstSeq + count - 1}, each
 * expected {@code receiversPerMessage} times (once by each subscriber of its topic). Every message id is counted:
 * a delivery is new (a bit set per subscriber), a duplicate, or outside the step (stale).
 *
 * <p>Written concurrently by the subscribers' event loops; each subscriber's bit set is only touched by the event
 * loop its connection lives on.
 */
final class MqttStep {

  final long firstSeq;
  final int count;
  final int receiversPerMessage;
  final LongAdder delivered = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAccumulator lastReceiptNs = new LongAccumulator(Math::max, Long.MIN_VALUE);
  /** Subscribers that received at least one message of this step. */
  final AtomicInteger reached = new AtomicInteger();
  /** Per message, how many subscribers received it. */
  final AtomicIntegerArray receipts;
  /** Latency in microseconds: receipt time minus the time the message was due. */
  final Recorder latency = new Recorder(3);
  private final BitSet[] seen;

  MqttStep(long firstSeq, int count, int receiversPerMessage, int subscribers) {
    this.firstSeq = firstSeq;
    this.count = count;
    this.receiversPerMessage = receiversPerMessage;
    this.receipts = new AtomicIntegerArray(count);
    this.seen = new BitSet[subscribers];
  }

  boolean covers(long seq) {
    return seq >= firstSeq && seq < firstSeq + count;
  }

  long expected() {
    return (long) count * receiversPerMessage;
  }

  /** Called on subscriber {@code index}'s event loop. */
  void record(int index, long seq, long sentNs, long nowNs) {
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
    lastReceiptNs.accumulate(nowNs);
    latency.recordValue(Math.max(0, (nowNs - sentNs) / 1_000));
  }

  /** @return messages of the first {@code n} that every receiver has got */
  int completeAmongFirst(int n) {
    int complete = 0;
    for (int i = 0; i < Math.min(n, count); i++) {
      if (receipts.get(i) >= receiversPerMessage) {
        complete++;
      }
    }
    return complete;
  }

  /** @return messages that at least one receiver has not got */
  int incompleteMessages() {
    return count - completeAmongFirst(count);
  }

  Histogram drainInterval(Histogram total) {
    Histogram interval = latency.getIntervalHistogram();
    total.add(interval);
    return interval;
  }

  /** @return the payload of message {@code seq}, due at {@code dueNs}: JSON, padded to {@code bytes} */
  static Buffer payload(long seq, long dueNs, int bytes) {
    String head = "{\"seq\":" + seq + ",\"sent_ns\":" + dueNs + ",\"pad\":\"";
    int pad = Math.max(0, bytes - head.length() - 2);
    return Buffer.buffer(head + "x".repeat(pad) + "\"}");
  }

  /** @return the number after {@code "key":} in the payload (a bare message or an INOS envelope holding it), or
   * {@link Long#MIN_VALUE} when there is none */
  static long field(Buffer payload, String key) {
    String s = payload.toString(StandardCharsets.UTF_8);
    int at = s.indexOf("\"" + key + "\":");
    if (at < 0) {
      return Long.MIN_VALUE;
    }
    int i = at + key.length() + 3;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    long v = 0;
    int start = i;
    boolean negative = i < s.length() && s.charAt(i) == '-';
    if (negative) {
      i++;
      start++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      v = v * 10 + (s.charAt(i++) - '0');
    }
    return i == start ? Long.MIN_VALUE : negative ? -v : v;
  }
}
