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
    ROLE_THREAD_RESUME
  }

  /** A call that ran past its budget, with the stack the watchdog saw. */
  record Overrun(Exit exit, String thread, long nanos, Duration budget, String stack) {
    @Override
    public String toString() {
      return exit
          + " on "
          + thread
          + " took "
          + Duration.ofNanos(nanos).toMillis()
          + " ms, budget "
          + budget.toMillis()
          + " ms\n"
          + stack;
    }
  }

  private record Running(Exit exit, long started) {}

  private final Map<Exit, Duration> budgets = new EnumMap<>(Exit.class);
  private final Map<Exit, List<Long>> durations = new EnumMap<>(Exit.class);
  private final Map<Thread, Running> running = new ConcurrentHashMap<>();
  private final Map<Thread, String> stacks = new ConcurrentHashMap<>();
  private final List<Overrun> overruns = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService watchdog;

  ExitTimings(ExitPointBudgets declared) {
    budgets.put(Exit.APPLY, declared.apply());
    budgets.put(Exit.CHECKPOINT, declared.checkpoint());
    budgets.put(Exit.RESTORE, declared.restore());
    budgets.put(Exit.QUERY, declared.query());
    budgets.put(Exit.ROLE_CHANGE, declared.roleChange());
    budgets.put(Exit.ROLE_THREAD_RESUME, declared.roleChange());
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
    running.put(Thread.currentThread(), new Running(exit, System.nanoTime()));
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

  List<Overrun> overruns() {
    return List.copyOf(overruns);
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
