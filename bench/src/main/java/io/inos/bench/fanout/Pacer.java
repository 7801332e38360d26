package io.inos.bench.fanout;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Publishes {@code count} messages at {@code rate} a second by a schedule: message k is due at start + k / rate, and
 * each millisecond tick publishes every message that has come due. A publisher that falls behind catches up instead
 * of drifting, and each message carries its due time, so lateness on the publishing side counts in the latency
 * (no coordinated omission). Shared by the fan-out and the MQTT load generators.
 */
public final class Pacer {

  /** Publishes message {@code seq}, the {@code k}-th of the run, due at {@code dueNs} ({@link System#nanoTime()}). */
  public interface Publish {
    void publish(long seq, long k, long dueNs);
  }

  private final Vertx vertx;
  private final Context context;
  private final Publish publish;
  private volatile long startNs;
  private volatile long published;
  private volatile boolean cancelled;

  /** @param context where every publish runs (the publishing connection's) */
  public Pacer(Vertx vertx, Context context, Publish publish) {
    this.vertx = vertx;
    this.context = context;
    this.publish = publish;
  }

  /** @return completes, on the publisher's context, once the last message is published or the run is cancelled */
  public Future<Void> run(long firstSeq, long count, double rate) {
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

  public void cancel() {
    cancelled = true;
  }

  /** @return when the current run started ({@link System#nanoTime()}), 0 before it has */
  public long startNs() {
    return startNs;
  }

  public long published() {
    return published;
  }
}
