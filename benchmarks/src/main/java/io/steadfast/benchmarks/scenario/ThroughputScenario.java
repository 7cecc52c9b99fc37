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
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      workers.add(target.newWorker(100 + i));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try (Load load = new Load(workers, 0)) {
      Thread.sleep(warmup.toMillis());
      int primary = target.primary();
      long term0 = target.term(primary);
      long commit0 = target.commitIndex(primary);
      long acks0 = load.acknowledged();
      long errors0 = load.errors();
      long start = System.nanoTime();
      load.startRecording();
      Thread.sleep(measure.toMillis());
      Latencies latencies = load.stopRecording();
      double seconds = (System.nanoTime() - start) / 1e9;
      long acks = load.acknowledged() - acks0;
      int primaryAfter = target.primary();
      long entries = target.commitIndex(primaryAfter) - commit0;
      out.put("sessions", sessions);
      out.put("seconds", Report.round(seconds));
      out.put("commands", acks);
      out.put("opsPerSecond", Report.round(acks / seconds));
      out.put("latency", latencies.summary());
      out.put("raftEntries", entries);
      out.put("commandsPerEntry", Report.round(entries > 0 ? (double) acks / entries : Double.NaN));
      out.put("errors", load.errors() - errors0);
      out.put("termChanges", target.term(primaryAfter) - term0);
      out.put("primaryChanged", primaryAfter != primary);
    }
    return out;
  }
}
