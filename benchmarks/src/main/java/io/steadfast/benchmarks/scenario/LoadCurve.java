package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The latency–throughput curve of each system: for each session count, offered load rising by
 * doubling until a point no longer holds its rate ({@link OpenLoopScenario#HELD}); that first
 * overloaded point is kept, since it shows where the knee is. Systems take turns for each session
 * count so that a change of the machine's load during the run falls on all of them.
 *
 * <p>Also judges the throughput goals from the curve: each system's capacity is the most it
 * completed at any point, and its cost per command is the process CPU at that point.
 *
 * <p>Not thread-safe: run by the runner's main thread.
 */
final class LoadCurve {

  /** The p99 that the highest held load must stay under. */
  static final double P99_GOAL_MS = 50;

  private final List<Integer> sessionCounts;
  private final double firstRate;
  private final double maxRate;
  private final Duration warmup;
  private final Duration measure;
  private final Consumer<String> say;

  LoadCurve(
      List<Integer> sessionCounts,
      double firstRate,
      double maxRate,
      Duration warmup,
      Duration measure,
      Consumer<String> say) {
    this.sessionCounts = List.copyOf(sessionCounts);
    this.firstRate = firstRate;
    this.maxRate = maxRate;
    this.warmup = warmup;
    this.measure = measure;
    this.say = say;
  }

  /**
   * Sweeps every system and returns, per system name, its points in the order measured.
   *
   * @param systems system name to target, in the order they take turns
   */
  Map<String, List<Map<String, Object>>> sweep(Map<String, Target> systems)
      throws InterruptedException {
    Map<String, List<Map<String, Object>>> curves = new LinkedHashMap<>();
    systems.keySet().forEach(name -> curves.put(name, new ArrayList<>()));
    int workerNumber = 10_000;
    for (int sessions : sessionCounts) {
      for (Map.Entry<String, Target> system : systems.entrySet()) {
        // Every system settled first, not only this one: the systems share the machine, and one
        // still busy after its own turn (member processes compile for a while after load) would
        // slow the one measured.
        for (Target any : systems.values()) {
          any.awaitInSync(Duration.ofSeconds(60));
        }
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          workers.add(system.getValue().newWorker(workerNumber++));
        }
        for (double rate = firstRate; rate <= maxRate; rate *= 2) {
          Map<String, Object> point =
              OpenLoopScenario.point(system.getValue(), workers, rate, warmup, measure);
          curves.get(system.getKey()).add(point);
          say.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "curve: %-12s %4d sessions, offered %6.0f/s: achieved %8.1f/s, p50 %7.2f ms,"
                      + " p99 %8.2f ms, %6.1f us CPU/command%s",
                  system.getKey(),
                  sessions,
                  rate,
                  (Double) point.get("achievedPerSecond"),
                  (Double) point.get("p50Ms"),
                  (Double) point.get("p99Ms"),
                  (Double) point.get("processCpuMicrosPerCommand"),
                  (Boolean) point.get("held") ? "" : " (not held)"));
          if (!(Boolean) point.get("held")) {
            break;
          }
        }
        system.getValue().awaitInSync(Duration.ofSeconds(60));
      }
    }
    return curves;
  }

  /** The point of {@code curve} that completed the most commands a second. */
  static Map<String, Object> capacity(List<Map<String, Object>> curve) {
    Map<String, Object> best = curve.get(0);
    for (Map<String, Object> point : curve) {
      if (num(point, "achievedPerSecond") > num(best, "achievedPerSecond")) {
        best = point;
      }
    }
    return best;
  }

  /**
   * The held point of {@code curve} with the highest offered load whose p99 is within the goal, or
   * null when no held point is.
   */
  static Map<String, Object> highestWithinGoal(List<Map<String, Object>> curve) {
    Map<String, Object> best = null;
    for (Map<String, Object> point : curve) {
      if ((Boolean) point.get("held")
          && num(point, "p99Ms") <= P99_GOAL_MS
          && (best == null || num(point, "offeredPerSecond") > num(best, "offeredPerSecond"))) {
        best = point;
      }
    }
    return best;
  }

  /** Adds the throughput goals, judged from the curves, to {@code report}. */
  static void judge(
      Report report,
      List<Map<String, Object>> mortgage,
      List<Map<String, Object>> counter,
      List<Map<String, Object>> raw) {
    double rawCapacity = num(capacity(raw), "achievedPerSecond");
    Map<String, Object> counterTop = capacity(counter);
    double counterRatio = num(counterTop, "achievedPerSecond") / rawCapacity;
    double mortgageRatio = num(capacity(mortgage), "achievedPerSecond") / rawCapacity;
    report.target(
        "counter capacity / raw capacity (first bar 10x)",
        ">= 20x",
        counterRatio,
        counterRatio >= 20);
    report.target(
        "counter CPU per command at capacity (3 replicas and client)",
        "<= 40 us",
        num(counterTop, "processCpuMicrosPerCommand"),
        num(counterTop, "processCpuMicrosPerCommand") <= 40);
    report.target("mortgage capacity / raw capacity", ">= 10x", mortgageRatio, mortgageRatio >= 10);
    for (Map.Entry<String, List<Map<String, Object>>> curve :
        List.of(Map.entry("counter", counter), Map.entry("mortgage", mortgage))) {
      Map<String, Object> top = capacity(curve.getValue());
      Map<String, Object> within = highestWithinGoal(curve.getValue());
      double share =
          within == null
              ? 0
              : num(within, "achievedPerSecond") / num(top, "achievedPerSecond") * 100;
      // The goal is p99 <= 50 ms at the highest load the system holds; measured here as how much
      // of its capacity it can be offered with the p99 still within 50 ms.
      report.target(
          curve.getKey() + " share of capacity held with p99 <= 50 ms",
          ">= 95 %",
          share,
          share >= 95);
    }
  }

  static double num(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
