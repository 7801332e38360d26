package io.inos.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The one poll-until loop of the tests (adapters, and verticles through the adapters test jar). */
public final class Polling {

  /** How often a condition is asked again: a poll interval, never a wait for an outcome. */
  private static final long INTERVAL_MS = 20;

  private Polling() {
  }

  /**
   * Asks {@code condition} on the calling thread until it holds.
   *
   * @throws AssertionError naming {@code what} once {@code timeout} passed, or when interrupted
   */
  public static void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
      }
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
