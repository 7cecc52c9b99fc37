package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput and latency for a fixed time with {@code sessions} concurrent sessions, each sending
 * one command at a time with no pause. Also counts Raft entries (the primary's commit index delta)
 * to give commands per entry, and the term change during the run (an election that nobody asked
 * for).
 */
final class ThroughputScenario {

  private ThroughputScenario() {}

  static Map<String, Object> run(Target target, int sessions, Duration warmup, Duration measure)
      throws InterruptedException {
    return run(target, sessions, warmup, measure, LoadThreads.chosen(), false);
  }

  /**
   * As above, with the sessions on threads of the given kind, and with {@code byThread} the CPU per
   * command of each group of live threads ({@link ThreadCpuTimes}) under {@code cpuByThread}.
   */
  static Map<String, Object> run(
      Target target,
      int sessions,
      Duration warmup,
      Duration measure,
      LoadThreads threads,
      boolean byThread)
      throws InterruptedException {
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      workers.add(target.newWorker(100 + i));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try (Load load = new Load(workers, 0, count -> true, threads)) {
      Thread.sleep(warmup.toMillis());
      int primary = target.primary();
      long term0 = target.term(primary);
      long commit0 = target.commitIndex(primary);
      long[] journal0 = target.journaled(primary);
      long acks0 = load.acknowledged();
      long errors0 = load.errors();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime() + target.externalCpuNanos();
      ThreadCpuTimes threads0 = byThread ? ThreadCpuTimes.now() : null;
      long start = System.nanoTime();
      load.startRecording();
      Thread.sleep(measure.toMillis());
      Latencies latencies = load.stopRecording();
      ThreadCpuTimes threads1 = byThread ? ThreadCpuTimes.now() : null;
      double seconds = (System.nanoTime() - start) / 1e9;
      long cpu = os.getProcessCpuTime() + target.externalCpuNanos() - cpu0;
      long acks = load.acknowledged() - acks0;
      int primaryAfter = target.primary();
      long entries = target.commitIndex(primaryAfter) - commit0;
      long[] journal1 = target.journaled(primaryAfter);
      boolean known = primaryAfter == primary && journal0[0] >= 0 && journal1[0] >= 0;
      long batches = known ? journal1[0] - journal0[0] : -1;
      long requests = known ? journal1[1] - journal0[1] : -1;
      out.put("sessions", sessions);
      out.put("seconds", Report.round(seconds));
      out.put("commands", acks);
      out.put("opsPerSecond", Report.round(acks / seconds));
      out.put("latency", latencies.summary());
      out.put("processCpuCores", Report.round(cpu / 1e9 / seconds));
      out.put("processCpuMicrosPerCommand", Report.round(acks > 0 ? cpu / 1e3 / acks : Double.NaN));
      out.put("raftLogIndices", entries);
      out.put(
          "commandsPerLogIndex", Report.round(entries > 0 ? (double) acks / entries : Double.NaN));
      out.put("journalEntries", batches);
      out.put(
          "commandsPerEntry", Report.round(batches > 0 ? (double) requests / batches : Double.NaN));
      out.put("errors", load.errors() - errors0);
      out.put("termChanges", target.term(primaryAfter) - term0);
      out.put("primaryChanged", primaryAfter != primary);
      if (threads0 != null && threads1 != null) {
        out.put("cpuByThread", threads1.perCommandSince(threads0, acks));
      }
    }
    return out;
  }
}
