package io.steadfast.benchmarks.scenario;

/**
 * Gives the benchmark JVM's common fork-join pool at least two threads, as the member launcher does
 * for member processes: on two CPUs it would otherwise have one, and every asynchronous step
 * without an executor (one per append on the engine's backups, embedded or raw) would start a
 * thread of its own (docs/operations.md, "Two-core hosts"). A {@code -D} on the command line wins.
 * Call first in {@code main}, before anything uses the pool.
 */
final class CommonPool {

  private static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  static void configure() {
    if (System.getProperty(PARALLELISM) == null) {
      System.setProperty(
          PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }
}
