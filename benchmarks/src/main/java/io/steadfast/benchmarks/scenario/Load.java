package io.steadfast.benchmarks.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers on their own threads, each sending commands one at a time, optionally pausing between
 * them. Records the latency of every command acknowledged while recording is on, and counts
 * acknowledgements and errors.
 *
 * <p>Thread-safe.
 */
final class Load implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Load.class);

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean recording;
  private volatile Latencies latencies = new Latencies();

  /**
   * Starts one thread per worker.
   *
   * @param thinkMillis pause after each command (0 for none)
   * @param admit asked with the running count before each command; the thread stops at false
   */
  Load(List<Worker> workers, long thinkMillis, LongPredicate admit) {
    this(workers, thinkMillis, admit, LoadThreads.chosen());
  }

  /** As above, with the workers on threads of the given kind. */
  Load(List<Worker> workers, long thinkMillis, LongPredicate admit, LoadThreads kind) {
    int n = 0;
    for (Worker worker : workers) {
      threads.add(kind.unstarted(() -> loop(worker, thinkMillis, admit), "load-" + n++));
    }
    threads.forEach(Thread::start);
  }

  /** Workers that run until {@link #close()}. */
  Load(List<Worker> workers, long thinkMillis) {
    this(workers, thinkMillis, count -> true);
  }

  private void loop(Worker worker, long thinkMillis, LongPredicate admit) {
    while (running.get()) {
      if (!admit.test(acknowledged.get())) {
        return;
      }
      long start = System.nanoTime();
      try {
        worker.executeNext();
      } catch (RuntimeException e) {
        if (running.get()) {
          errors.incrementAndGet();
          LOG.debug("command failed", e);
        }
        continue;
      }
      long took = System.nanoTime() - start;
      acknowledged.incrementAndGet();
      if (recording) {
        latencies.add(took);
      }
      if (thinkMillis > 0) {
        Polling.sleepMillis(thinkMillis);
      }
    }
  }

  /** Starts recording latencies afresh. */
  void startRecording() {
    latencies = new Latencies();
    recording = true;
  }

  /** Stops recording and returns what was recorded. */
  Latencies stopRecording() {
    recording = false;
    return latencies;
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long errors() {
    return errors.get();
  }

  /** Waits until every thread has stopped by itself (its admit test said no). */
  void awaitDone() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Stops the threads and waits for them (each finishes its current command first). */
  @Override
  public void close() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
