package io.steadfast.runtime.testapp;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polling with a deadline for the runtime's tests, instead of sleeps standing in for conditions.
 */
public final class Await {

  private Await() {}

  /** Polls {@code condition} every 10 ms until it holds, or fails after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
