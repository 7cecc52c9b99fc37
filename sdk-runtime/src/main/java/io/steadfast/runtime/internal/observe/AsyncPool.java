package io.steadfast.runtime.internal.observe;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Whether {@code CompletableFuture}'s default executor reuses threads in this JVM.
 *
 * <p>When the common fork-join pool has a parallelism below 2 (the JDK's default on a machine or
 * container with two CPUs or fewer), every {@code *Async} stage without an executor starts a new
 * thread. The engine's follower path appends each batch of entries through such a stage, and the
 * JDK's HTTP client completes every {@code sendAsync} through one, so a two-core member or client
 * would start a thread per replicated entry or per request. Measured with member processes on two
 * cores: about 9,800 threads in 30 s on each backup, and half the whole system's throughput.
 */
public final class AsyncPool {

  /** The JDK's system property for the common pool's parallelism. */
  public static final String PARALLELISM_PROPERTY =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private AsyncPool() {}

  /** Whether {@code *Async} stages without an executor run on pooled threads in this JVM. */
  public static boolean pooled() {
    return ForkJoinPool.getCommonPoolParallelism() >= 2;
  }

  /**
   * Logs one warning per JVM, naming the fix, if {@code *Async} stages start a thread each here.
   */
  public static void warnIfThreadPerTask(Logger log) {
    if (!pooled() && WARNED.compareAndSet(false, true)) {
      log.warn(
          "the common fork-join pool has parallelism {} in this JVM, so each asynchronous step"
              + " without an executor starts a new thread (the engine's backups take one per"
              + " replicated entry); start the JVM with -D{}=2 (docs/operations.md, 'Two-core"
              + " hosts')",
          ForkJoinPool.getCommonPoolParallelism(),
          PARALLELISM_PROPERTY);
    }
  }
}
