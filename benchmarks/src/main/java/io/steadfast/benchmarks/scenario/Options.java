package io.steadfast.benchmarks.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a run does: the quick run (under 3 minutes) or the full one (under 20), optionally only some
 * scenarios.
 *
 * @param quick whether this is the quick run
 * @param only the scenarios to run (all if empty)
 * @param out where results.json goes
 * @param throughputWarmup warm-up before each throughput measurement
 * @param throughputSeconds length of each throughput measurement
 * @param failoverRounds failover rounds per side ({@code --failover-rounds N}; 20, or 4 quick)
 * @param switchoverRounds switchover rounds per side
 * @param catchUpSizes commands applied while a member is down
 * @param checkpointSizes book sizes measured offline
 * @param liveCheckpointSizes book sizes measured in a live cluster
 * @param checkpointReps repetitions of each offline measurement
 * @param liveCheckpoints checkpoints to observe per live size
 * @param footprintIdle idle time over which CPU is measured
 * @param curveSessions session counts of the open-loop load curve
 * @param curveWarmup time on schedule before each curve point is recorded
 * @param curveMeasure the recorded window of each curve point
 */
record Options(
    boolean quick,
    Set<String> only,
    Path out,
    Duration throughputWarmup,
    Duration throughputSeconds,
    int failoverRounds,
    int switchoverRounds,
    List<Integer> catchUpSizes,
    List<Integer> checkpointSizes,
    List<Integer> liveCheckpointSizes,
    int checkpointReps,
    int liveCheckpoints,
    Duration footprintIdle,
    List<Integer> curveSessions,
    Duration curveWarmup,
    Duration curveMeasure) {

  /** The first offered load of each curve; it doubles from there. */
  static final double CURVE_FIRST_RATE = 250;

  /** The highest offered load a curve tries. */
  static final double CURVE_MAX_RATE = 256_000;

  static final List<String> SCENARIOS =
      List.of(
          "footprint", "throughput", "curve", "switchover", "failover", "catchup", "checkpoint");

  /**
   * Scenarios that run only when named in {@code --only}: {@code curve-processes} starts three
   * member processes beside an embedded cluster and takes about 7 minutes; {@code curve-codec}
   * compares the mortgage example's JSON codec with the binary codec on two embedded clusters;
   * {@code checkpoint-processes} measures checkpoints of a 1M-loan book (100k with {@code --quick})
   * with one replica per member process ({@link ProcessCheckpoint}, about 4 minutes).
   */
  static final List<String> OPT_IN =
      List.of("curve-processes", "curve-codec", "checkpoint-processes");

  /** Session counts of the process curve (256 is already far past the processes' capacity). */
  static final List<Integer> PROCESS_CURVE_SESSIONS = List.of(1, 16, 64, 256);

  static Options parse(String[] args) {
    boolean quick = false;
    int rounds = -1;
    Set<String> only = Set.of();
    Path out = defaultOut();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = Set.of(args[++i].split(","));
        case "--out" -> out = Path.of(args[++i]);
        case "--election-timeout" -> {
          String[] bounds = args[++i].split(",", -1);
          if (bounds.length != 2) {
            throw new IllegalArgumentException("--election-timeout takes MIN,MAX in ms");
          }
          ElectionTimeout.set(
              Duration.ofMillis(Long.parseLong(bounds[0].trim())),
              Duration.ofMillis(Long.parseLong(bounds[1].trim())));
        }
        case "--load-threads" -> LoadThreads.choose(LoadThreads.named(args[++i]));
        case "--failover-rounds" -> {
          rounds = Integer.parseInt(args[++i]);
          if (rounds < 1) {
            throw new IllegalArgumentException("--failover-rounds takes a count of at least 1");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --quick, --only "
                    + String.join(",", SCENARIOS)
                    + " (or, named only, "
                    + String.join(",", OPT_IN)
                    + "), --out FILE, --election-timeout MIN,MAX,"
                    + " --load-threads platform|virtual, --failover-rounds N");
      }
    }
    for (String name : only) {
      if (!SCENARIOS.contains(name) && !OPT_IN.contains(name)) {
        throw new IllegalArgumentException(
            "unknown scenario " + name + "; one of " + SCENARIOS + " or " + OPT_IN);
      }
    }
    if (quick) {
      return new Options(
          true,
          only,
          out,
          Duration.ofSeconds(1),
          Duration.ofSeconds(3),
          rounds > 0 ? rounds : 4,
          5,
          List.of(10_000),
          List.of(10_000, 100_000),
          List.of(100_000),
          2,
          2,
          Duration.ofSeconds(3),
          List.of(1, 64, 1024),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2));
    }
    return new Options(
        false,
        only,
        out,
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        rounds > 0 ? rounds : 20,
        20,
        List.of(10_000, 100_000),
        List.of(10_000, 100_000, 1_000_000),
        List.of(10_000, 100_000, 1_000_000),
        3,
        3,
        Duration.ofSeconds(10),
        List.of(1, 16, 64, 256, 1024),
        Duration.ofSeconds(1),
        Duration.ofSeconds(4));
  }

  boolean runs(String scenario) {
    return only.contains(scenario) || (only.isEmpty() && !OPT_IN.contains(scenario));
  }

  /** The load-curve chart, beside {@code results.json}. */
  Path chart() {
    return out().resolveSibling("load-curve.svg");
  }

  /** The chart of the embedded cluster against member processes, beside {@code results.json}. */
  Path processChart() {
    return out().resolveSibling("load-curve-processes.svg");
  }

  private static Path defaultOut() {
    Path module = Path.of("benchmarks", "target");
    return (module.toFile().isDirectory() ? module : Path.of("target")).resolve("results.json");
  }
}
