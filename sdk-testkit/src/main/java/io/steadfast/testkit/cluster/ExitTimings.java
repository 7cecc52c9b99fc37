package io.steadfast.testkit.cluster;

import io.steadfast.api.ExitPointBudgets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How long every exit-point call took, against the application's declared budgets, with a watchdog
 * that takes the stack of a call still running past its budget (rule TM-1).
 *
 * <p>A call longer than its budget by the wall clock is judged by what its thread did meanwhile,
 * from the JVM's own accounting: the CPU time it used and the time it spent waiting or blocked
 * (sleeping, waiting for a lock, a latch or a future). When those add up to more than the budget,
 * the application overran ({@link Overrun#own()}); when they do not, the thread was ready to run
 * and the machine did not run it (other processes, garbage collection), and the call is counted as
 * disturbed, never held against the application. Time in blocking native calls (socket or file
 * reads) is neither CPU nor waiting and is counted as disturbance too. Where the JVM does not tell
 * a thread's CPU time or waiting, such a call cannot be judged, and TM-1 says so (UNKNOWN) rather
 * than blame the application.
 *
 * <p>Thread-safe. {@link #close()} stops the watchdog.
 */
final class ExitTimings implements AutoCloseable {

  /** The exit points measured. */
  enum Exit {
    APPLY,
    CHECKPOINT,
    RESTORE,
    QUERY,
    ROLE_CHANGE,
    /** {@code onResume}, which shares the role thread and the role-change budget. */
    ROLE_THREAD_RESUME,
    /** The heartbeat's {@code health()} probe (rule TM-2, not TM-1). */
    HEALTH
  }

  /**
   * A call that ran past its budget by the wall clock, with the stack the watchdog saw.
   *
   * @param nanos wall-clock duration
   * @param cpuNanos CPU time the thread used during the call, or -1 when the JVM cannot tell
   * @param waitedMillis time the thread spent waiting or blocked during the call, or -1
   */
  record Overrun(
      Exit exit,
      String thread,
      long nanos,
      long cpuNanos,
      long waitedMillis,
      Duration budget,
      String stack) {

    /** Whether the JVM told this call's CPU time and waiting, so that it can be judged. */
    boolean judged() {
      return cpuNanos >= 0 && waitedMillis >= 0;
    }

    /**
     * Whether the application itself took longer than its budget: its CPU time and its waiting add
     * up to more. False when not {@link #judged()}.
     */
    boolean own() {
      return judged() && cpuNanos + waitedMillis * 1_000_000 > budget.toNanos();
    }

    @Override
    public String toString() {
      return exit
          + " on "
          + thread
          + " took "
          + Duration.ofNanos(nanos).toMillis()
          + " ms (CPU "
          + (cpuNanos < 0 ? "unknown" : Duration.ofNanos(cpuNanos).toMillis() + " ms")
          + ", waiting "
          + (waitedMillis < 0 ? "unknown" : waitedMillis + " ms")
          + "), budget "
          + budget.toMillis()
          + " ms\n"
          + stack;
    }
  }

  private record Running(Exit exit, long started, long cpuStarted, long waitedStarted) {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  static {
    try {
      if (THREADS.isThreadContentionMonitoringSupported()) {
        THREADS.setThreadContentionMonitoringEnabled(true);
      }
      if (THREADS.isCurrentThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
        THREADS.setThreadCpuTimeEnabled(true);
      }
    } catch (UnsupportedOperationException | SecurityException e) {
      // judged by the wall clock alone: every overrun counts as the application's
    }
  }

  /** CPU time of the current thread, or -1. */
  private static long cpuNow() {
    try {
      return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  /**
   * Milliseconds the current thread has spent waiting or blocked since contention monitoring began,
   * or -1.
   */
  private static long waitedNow() {
    if (!THREADS.isThreadContentionMonitoringEnabled()) {
      return -1;
    }
    java.lang.management.ThreadInfo info = THREADS.getThreadInfo(Thread.currentThread().getId());
    if (info == null || info.getWaitedTime() < 0 || info.getBlockedTime() < 0) {
      return -1;
    }
    return info.getWaitedTime() + info.getBlockedTime();
  }

  private final Map<Exit, Duration> budgets = new EnumMap<>(Exit.class);
  private final Map<Exit, List<Long>> durations = new EnumMap<>(Exit.class);
  private final Map<Thread, Running> running = new ConcurrentHashMap<>();
  private final Map<Thread, String> stacks = new ConcurrentHashMap<>();
  private final List<Overrun> overruns = new CopyOnWriteArrayList<>();
  private final List<String> healthFailures = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong healthThrows =
      new java.util.concurrent.atomic.AtomicLong();
  private final ScheduledExecutorService watchdog;

  ExitTimings(ExitPointBudgets declared) {
    budgets.put(Exit.APPLY, declared.apply());
    budgets.put(Exit.CHECKPOINT, declared.checkpoint());
    budgets.put(Exit.RESTORE, declared.restore());
    budgets.put(Exit.QUERY, declared.query());
    budgets.put(Exit.ROLE_CHANGE, declared.roleChange());
    budgets.put(Exit.ROLE_THREAD_RESUME, declared.roleChange());
    budgets.put(Exit.HEALTH, declared.health());
    for (Exit exit : Exit.values()) {
      durations.put(exit, new ArrayList<>());
    }
    watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "steadfast-certify-watchdog");
              t.setDaemon(true);
              return t;
            });
    var unused = watchdog.scheduleAtFixedRate(this::look, 10, 10, TimeUnit.MILLISECONDS);
  }

  /** Marks the start of a call on the current thread. */
  void enter(Exit exit) {
    running.put(
        Thread.currentThread(), new Running(exit, System.nanoTime(), cpuNow(), waitedNow()));
  }

  /** Marks the end of the call started on the current thread. */
  void exit() {
    Thread me = Thread.currentThread();
    Running call = running.remove(me);
    String stack = stacks.remove(me);
    if (call == null) {
      return;
    }
    long nanos = System.nanoTime() - call.started();
    long cpu = call.cpuStarted() < 0 ? -1 : Math.max(-1, cpuNow() - call.cpuStarted());
    long waitedAtEnd = call.waitedStarted() < 0 ? -1 : waitedNow();
    long waited = waitedAtEnd < 0 ? -1 : waitedAtEnd - call.waitedStarted();
    List<Long> list = durations(call.exit());
    synchronized (list) {
      list.add(nanos);
    }
    Duration budget = budget(call.exit());
    if (nanos > budget.toNanos()) {
      overruns.add(
          new Overrun(
              call.exit(),
              me.getName(),
              nanos,
              cpu,
              waited,
              budget,
              stack == null ? "    (returned before the watchdog took its stack)" : stack));
    }
  }

  private void look() {
    long now = System.nanoTime();
    running.forEach(
        (thread, call) -> {
          if (now - call.started() > budget(call.exit()).toNanos() && !stacks.containsKey(thread)) {
            StringBuilder text = new StringBuilder();
            StackTraceElement[] frames = thread.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 25); i++) {
              text.append("    at ").append(frames[i]).append('\n');
            }
            stacks.put(thread, text.toString().stripTrailing());
          }
        });
  }

  Duration budget(Exit exit) {
    return java.util.Objects.requireNonNull(budgets.get(exit), "every exit has a budget");
  }

  private List<Long> durations(Exit exit) {
    return java.util.Objects.requireNonNull(durations.get(exit), "every exit has a list");
  }

  /** The recorded durations of {@code exit}, sorted, in nanoseconds. */
  long[] sorted(Exit exit) {
    List<Long> list = durations(exit);
    long[] values;
    synchronized (list) {
      values = list.stream().mapToLong(Long::longValue).toArray();
    }
    Arrays.sort(values);
    return values;
  }

  /** A {@code health()} probe threw {@code failure}; the first few are kept with their stack. */
  void healthThrew(Throwable failure) {
    healthThrows.incrementAndGet();
    if (healthFailures.size() < 3) {
      StringBuilder text = new StringBuilder(failure.toString());
      StackTraceElement[] frames = failure.getStackTrace();
      for (int i = 0; i < Math.min(frames.length, 8); i++) {
        text.append("\n    at ").append(frames[i]);
      }
      healthFailures.add(text.toString());
    }
  }

  /** How many {@code health()} probes threw. */
  long healthThrows() {
    return healthThrows.get();
  }

  /** The first {@code health()} failures, with their stacks. */
  List<String> healthFailures() {
    return List.copyOf(healthFailures);
  }

  /** The calls the application itself made longer than their budget. */
  List<Overrun> overruns() {
    return overruns.stream().filter(Overrun::own).toList();
  }

  /** The calls longer than their budget only because the machine did not run their thread. */
  List<Overrun> disturbed() {
    return overruns.stream().filter(o -> o.judged() && !o.own()).toList();
  }

  /** Calls longer than their budget by the wall clock whose CPU time or waiting is unknown. */
  List<Overrun> undetermined() {
    return overruns.stream().filter(o -> !o.judged()).toList();
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
