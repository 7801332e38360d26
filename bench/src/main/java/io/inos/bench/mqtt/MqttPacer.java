package io.inos.bench.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Publishes {@code count} messages at {@code rate} a second by a schedule, as the fan-out bench's pacer does:
 * message k is due at start + k / rate, each millisecond tick publishes every message that has come due, and each
 * message carries its due time, so a publisher that falls behind shows in the latency (no coordinated omission).
 */
final class MqttPacer {

  /** Publishes message {@code seq}, the {@code k}-th of the run, due at {@code dueNs}. */
  interface Publish {
    void publish(long seq, long k, long dueNs);
  }

  private final Vertx vertx;
  private final Context context;
  private final Publish publish;
  private volatile long startNs;
  private volatile long published;
  private volatile boolean cancelled;

  MqttPacer(Vertx vertx, Context context, Publish publish) {
    this.vertx = vertx;
    this.context = context;
    this.publish = publish;
  }

  /** @return completes once the last message is published or the run is cancelled */
  Future<Void> run(long firstSeq, long count, double rate) {
    Promise<Void> done = Promise.promise();
    cancelled = false;
    published = 0;
    context.runOnContext(v -> {
      long start = System.nanoTime();
      startNs = start;
      double nsPerMessage = 1e9 / rate;
      long[] sent = {0};
      vertx.setPeriodic(1, 1, timer -> {
        long due = cancelled ? sent[0] : Math.min(count, (long) ((System.nanoTime() - start) / nsPerMessage) + 1);
        while (sent[0] < due) {
          long k = sent[0]++;
          publish.publish(firstSeq + k, k, start + (long) (k * nsPerMessage));
        }
        published = sent[0];
        if (sent[0] >= count || cancelled) {
          vertx.cancelTimer(timer);
          done.complete();
        }
      });
    });
    return done.future();
  }

  void cancel() {
    cancelled = true;
  }

  long startNs() {
    return startNs;
  }

  long published() {
    return published;
  }
}
