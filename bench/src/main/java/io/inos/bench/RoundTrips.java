package io.inos.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Drives round trips the same way for every peer: a batch of requests is started at once on one event-loop context,
 * and the benchmark thread waits once for the whole batch. The hand-off between the benchmark thread and the event
 * loop happens once per batch, not once per request, so the per-request figure is the cost of the round trip
 * itself.
 */
final class RoundTrips {

  /** Requests outstanding at once in one benchmark invocation. */
  static final int BATCH = 100;

  private RoundTrips() {
  }

  /**
   * Starts {@code count} round trips on {@code context} and blocks the calling (non event-loop) thread until all
   * have answered.
   *
   * @throws Exception the first failure of a round trip, so a broken peer fails the benchmark instead of timing it
   */
  static void run(Context context, int count, Supplier<Future<?>> roundTrip) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      // every answer comes back on this same context, one at a time: a plain counter is enough
      int[] pending = {count};
      for (int i = 0; i < count; i++) {
        roundTrip.get().onComplete(ok -> {
          if (--pending[0] == 0) {
            done.complete(null);
          }
        }, done::completeExceptionally);
      }
    });
    done.get(30, TimeUnit.SECONDS);
  }
}
