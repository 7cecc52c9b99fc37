package io.steadfast.benchmarks.scenario;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One point of a latency–throughput curve: {@code sessions} sessions together offer {@code rate}
 * commands a second, each session on a fixed schedule that does not wait for the system (open
 * loop), and every latency is measured from when the command was due, not from when it could be
 * sent. A session can have one command in flight (that is what a session is), so a slow answer
 * makes its later commands late, and their lateness counts: the correction for coordinated omission
 * that a closed loop leaves out.
 *
 * <p>Session {@code i} of {@code n} sends its {@code k}-th command at {@code start + (i + k·n) /
 * rate}, so the sessions' schedules interleave evenly. Commands due in the measured window are
 * recorded in an HdrHistogram (three significant digits) once they complete; after the window the
 * sessions go on until each has finished what was due in it, or until a drain limit, after which
 * what is still owed is reported as {@code unfinished}.
 *
 * <p>Not thread-safe: one caller runs one point at a time. The worker threads are its own.
 */
final class OpenLoopScenario {

  /** A point holds its offered rate when it completes at least this share of it. */
  static final double HELD = 0.95;

  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(15);

  private OpenLoopScenario() {}

  /**
   * Runs one point.
   *
   * @param target the system measured (its primary serves the commands)
   * @param workers one per session, opened beforehand; each is driven by one thread here
   * @param rate commands a second offered by all sessions together
   * @param warmup time on the schedule before recording starts
   * @param measure the recorded window
   * @return the figures of this point, for {@code results.json}
   */
  static Map<String, Object> point(
      Target target, List<Worker> workers, double rate, Duration warmup, Duration measure)
      throws InterruptedException {
    return point(target, workers, rate, warmup, measure, (due, finished) -> {});
  }

  /** Told of each command due in the recorded window, on the session's thread, once it is done. */
  @FunctionalInterface
  interface Observer {
    /**
     * Called once per command due in the window.
     *
     * @param due when the command was due ({@link System#nanoTime()})
     * @param finished when its answer came
     */
    void completed(long due, long finished);
  }

  /** As {@link #point(Target, List, double, Duration, Duration)}, telling {@code observer}. */
  static Map<String, Object> point(
      Target target,
      List<Worker> workers,
      double rate,
      Duration warmup,
      Duration measure,
      Observer observer)
      throws InterruptedException {
    int sessions = workers.size();
    long period = Math.max(1, Math.round(sessions * 1e9 / rate));
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long windowStart = start + warmup.toNanos();
    long windowEnd = windowStart + measure.toNanos();
    Recorder recorder = new Recorder(3);
    AtomicLong completedInWindow = new AtomicLong();
    AtomicLong owed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(sessions);
    int primary = target.primary();
    long term0 = target.term(primary);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      Worker worker = workers.get(i);
      long first = start + Math.round(i * 1e9 / rate);
      Thread thread =
          LoadThreads.chosen()
              .unstarted(
                  () -> {
                    try {
                      drive(
                          worker,
                          first,
                          period,
                          windowStart,
                          windowEnd,
                          recorder,
                          completedInWindow,
                          owed,
                          errors,
                          observer);
                    } finally {
                      done.countDown();
                    }
                  },
                  "open-loop-" + i,
                  256 * 1024);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    sleepUntil(windowStart);
    // This JVM (clients, and the members where they run here) plus any member processes.
    long cpuAtWindowStart = os.getProcessCpuTime() + target.externalCpuNanos();
    sleepUntil(windowEnd);
    long cpu = os.getProcessCpuTime() + target.externalCpuNanos() - cpuAtWindowStart;
    boolean drained = done.await(DRAIN_NANOS + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    Histogram histogram = recorder.getIntervalHistogram();
    double seconds = measure.toNanos() / 1e9;
    long completed = completedInWindow.get();
    double achieved = completed / seconds;
    int primaryAfter = target.primary();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sessions", sessions);
    out.put("offeredPerSecond", Report.round(rate));
    out.put("achievedPerSecond", Report.round(achieved));
    out.put("held", achieved >= HELD * rate);
    out.put("recorded", histogram.getTotalCount());
    out.put("p50Ms", millis(histogram.getValueAtPercentile(50)));
    out.put("p90Ms", millis(histogram.getValueAtPercentile(90)));
    out.put("p99Ms", millis(histogram.getValueAtPercentile(99)));
    out.put("p999Ms", millis(histogram.getValueAtPercentile(99.9)));
    out.put("maxMs", millis(histogram.getMaxValue()));
    out.put("unfinished", owed.get());
    out.put("drained", drained);
    out.put("processCpuCores", Report.round(cpu / 1e9 / seconds));
    out.put(
        "processCpuMicrosPerCommand",
        Report.round(completed > 0 ? cpu / 1e3 / completed : Double.NaN));
    out.put("errors", errors.get());
    out.put("termChanges", target.term(primaryAfter) - term0);
    return out;
  }

  /**
   * One session's schedule. Records the latency, from when it was due, of each command due in the
   * window, and counts the commands completed in the window. Stops after the window once nothing
   * due in it is left, or at the drain limit; what is left then is added to {@code owed}.
   */
  private static void drive(
      Worker worker,
      long first,
      long period,
      long windowStart,
      long windowEnd,
      Recorder recorder,
      AtomicLong completedInWindow,
      AtomicLong owed,
      AtomicLong errors,
      Observer observer) {
    long due = first;
    long drainLimit = windowEnd + DRAIN_NANOS;
    while (due < windowEnd) {
      long now = System.nanoTime();
      if (now > drainLimit) {
        owed.addAndGet(countDue(due, windowStart, windowEnd, period));
        return;
      }
      if (due > now) {
        LockSupport.parkNanos(due - now);
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        continue;
      }
      try {
        worker.executeNext();
      } catch (RuntimeException e) {
        errors.incrementAndGet();
        due += period;
        continue;
      }
      long finished = System.nanoTime();
      if (due >= windowStart) {
        recorder.recordValue(finished - due);
        observer.completed(due, finished);
      }
      if (finished >= windowStart && finished < windowEnd) {
        completedInWindow.incrementAndGet();
      }
      due += period;
    }
  }

  /** Commands from {@code due} on that fall due within the window. */
  static long countDue(long due, long windowStart, long windowEnd, long period) {
    long from = Math.max(due, windowStart);
    if (from >= windowEnd) {
      return 0;
    }
    long skip = (from - due + period - 1) / period;
    long firstInWindow = due + skip * period;
    return firstInWindow >= windowEnd ? 0 : 1 + (windowEnd - 1 - firstInWindow) / period;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static double millis(long nanos) {
    return Report.round(nanos / 1e6);
  }
}
