package io.steadfast.benchmarks.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of this JVM's live platform threads, for splitting a run's CPU per command by what
 * the threads do. Threads are grouped by name with the digits and the members' ids taken out
 * ({@code n2@group-…-StateMachineUpdater} counts with the other members' appliers). Threads that
 * end between two snapshots, the JIT's and the collector's threads are not seen; a virtual thread's
 * time shows under the carrier threads that ran it.
 */
final class ThreadCpuTimes {

  private record Times(String name, long cpuNanos, long userNanos) {}

  private final Map<Long, Times> byThread;

  private ThreadCpuTimes(Map<Long, Times> byThread) {
    this.byThread = byThread;
  }

  /** The CPU time each live thread has used so far. */
  static ThreadCpuTimes now() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Times> times = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue; // ended since the ids were listed
      }
      long id = info.getThreadId();
      long cpu = threads.getThreadCpuTime(id);
      long user = threads.getThreadUserTime(id);
      if (cpu >= 0 && user >= 0) {
        times.put(id, new Times(group(info.getThreadName()), cpu, user));
      }
    }
    return new ThreadCpuTimes(times);
  }

  /**
   * Microseconds of CPU per command used since {@code before}, by thread group, largest first, as
   * {@code {"total": µs, "user": µs}}; groups under 0.1 µs are left out.
   */
  Map<String, Map<String, Double>> perCommandSince(ThreadCpuTimes before, long commands) {
    Map<String, long[]> sums = new TreeMap<>();
    byThread.forEach(
        (id, after) -> {
          Times start = before.byThread.get(id);
          long[] sum = sums.computeIfAbsent(after.name(), name -> new long[2]);
          sum[0] += after.cpuNanos() - (start == null ? 0 : start.cpuNanos());
          sum[1] += after.userNanos() - (start == null ? 0 : start.userNanos());
        });
    return perCommand(sums, 1e-3, commands);
  }

  /**
   * Per-command figures of summed {total, user} times by group, largest first, as {@code {"total":
   * µs, "user": µs}}; {@code micros} is a microsecond per unit of the sums; groups under 0.1 µs are
   * left out. Shared with {@link ProcessThreadCpu}.
   */
  static Map<String, Map<String, Double>> perCommand(
      Map<String, long[]> sums, double micros, long commands) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .filter(e -> commands > 0 && e.getValue()[0] * micros / commands >= 0.1)
        .forEach(
            e ->
                out.put(
                    e.getKey(),
                    Map.of(
                        "total", Report.round(e.getValue()[0] * micros / commands),
                        "user", Report.round(e.getValue()[1] * micros / commands))));
    return out;
  }

  static String group(String threadName) {
    return threadName
        .replaceAll("n\\d+", "n*")
        .replaceAll("group-[0-9A-F]+", "group")
        .replaceAll("\\d+", "#");
  }
}
