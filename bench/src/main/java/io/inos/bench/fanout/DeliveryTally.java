package io.inos.bench.fanout;

import io.vertx.core.buffer.Buffer;

import java.util.concurrent.atomic.LongAdder;

/**
 * The sink of every subscriber: reads {@code seq} and {@code sent_ns} off each delivery and records it in the current
 * {@link FeedStep}. Deliveries of an earlier step (a backlog the server is still sending) are counted as stale and
 * otherwise ignored, so they never pass for the current step's.
 */
final class DeliveryTally implements SubscriberPool.Sink {

  private volatile FeedStep current;
  private final LongAdder stale = new LongAdder();
  private final LongAdder other = new LongAdder();

  void begin(FeedStep step) {
    current = step;
  }

  @Override
  public void onFrame(int index, Buffer frame, long nowNs) {
    long seq = BusFrames.seq(frame);
    if (seq < 0) {
      other.increment(); // a refusal or anything else that is not a feed message
      return;
    }
    FeedStep step = current;
    if (step == null || !step.covers(seq)) {
      stale.increment();
      return;
    }
    step.record(index, seq, BusFrames.sentNs(frame), nowNs, frame.length());
  }

  /** @return deliveries of messages outside the current step so far */
  long stale() {
    return stale.sum();
  }

  /** @return frames that were no feed message */
  long otherFrames() {
    return other.sum();
  }
}
