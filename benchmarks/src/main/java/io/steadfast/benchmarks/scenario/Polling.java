package io.steadfast.benchmarks.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Small waiting and file helpers shared by the scenarios and the baseline. Stateless. */
public final class Polling {

  private Polling() {}

  /** Sleeps, restoring the interrupt flag if interrupted. */
  public static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Polls {@code condition} every {@code everyMillis} until it holds.
   *
   * @throws IllegalStateException naming {@code what} if it does not hold within {@code timeout}
   */
  public static void await(
      String what, Duration timeout, long everyMillis, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      sleepMillis(everyMillis);
    }
  }

  /** Deletes a folder and everything under it, if it exists. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
