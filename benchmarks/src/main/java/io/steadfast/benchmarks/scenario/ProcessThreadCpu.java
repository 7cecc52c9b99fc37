package io.steadfast.benchmarks.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The CPU time of every thread of another JVM (a member process), by thread name, split into user
 * and kernel time: the names come from {@code jcmd <pid> Thread.print} (the JDK's own tool; it
 * lists the JIT's and the collector's threads too), the times from Linux's {@code
 * /proc/<pid>/task/<tid>/stat}, whose clock ticks are 10 ms. Linux only; a snapshot that cannot be
 * taken is empty and says so on standard error. Threads are grouped as {@link ThreadCpuTimes}
 * groups them.
 */
final class ProcessThreadCpu {

  private static final Pattern THREAD =
      Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-f]+|\\d+)\\b.*$");
  private static final double MICROS_PER_TICK = 1e6 / 100;
  private static final Pattern SPACES = Pattern.compile(" ");

  private record Times(String group, long userTicks, long systemTicks) {}

  private final Map<Long, Times> byThread;

  private ProcessThreadCpu(Map<Long, Times> byThread) {
    this.byThread = byThread;
  }

  /** The CPU time each thread of process {@code pid} has used so far. */
  static ProcessThreadCpu of(long pid) {
    Map<Long, Times> times = new HashMap<>();
    try {
      Process jcmd =
          new ProcessBuilder(jcmd(), Long.toString(pid), "Thread.print")
              .redirectErrorStream(true)
              .start();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          Matcher m = THREAD.matcher(line);
          if (!m.matches()) {
            continue;
          }
          String nid = m.group(2);
          long tid =
              nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
          long[] ticks = ticks(pid, tid);
          if (ticks != null) {
            times.put(tid, new Times(ThreadCpuTimes.group(m.group(1)), ticks[0], ticks[1]));
          }
        }
      }
      jcmd.waitFor();
    } catch (IOException e) {
      System.err.println("no thread times of process " + pid + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ProcessThreadCpu(times);
  }

  /**
   * Microseconds of CPU per command used since {@code before}, by thread group, largest first, as
   * {@code {"total": µs, "user": µs}}; groups under 0.1 µs are left out.
   */
  Map<String, Map<String, Double>> perCommandSince(ProcessThreadCpu before, long commands) {
    Map<String, long[]> sums = new TreeMap<>();
    byThread.forEach(
        (tid, after) -> {
          Times start = before.byThread.get(tid);
          long[] sum = sums.computeIfAbsent(after.group(), name -> new long[2]);
          long user = after.userTicks() - (start == null ? 0 : start.userTicks());
          long system = after.systemTicks() - (start == null ? 0 : start.systemTicks());
          sum[0] += user + system;
          sum[1] += user;
        });
    return ThreadCpuTimes.perCommand(sums, MICROS_PER_TICK, commands);
  }

  /** User and system clock ticks of one thread, or null when it has ended. */
  private static long @Nullable [] ticks(long pid, long tid) {
    try {
      String stat =
          Files.readString(
              Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
      // The name (field 2) may hold spaces and parentheses; the fields after it follow the last
      // ')'.
      String[] fields = SPACES.split(stat.substring(stat.lastIndexOf(')') + 2), -1);
      return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String jcmd() {
    String home = System.getProperty("java.home");
    Path tool = Path.of(home, "bin", "jcmd");
    return Files.isExecutable(tool) ? tool.toString() : "jcmd";
  }
}
