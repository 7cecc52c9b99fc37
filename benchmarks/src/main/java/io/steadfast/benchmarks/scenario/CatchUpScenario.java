package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backup is down while {@code commands} commands are applied (64 sessions, as fast as they go),
 * then restarted. Measures the time from the restart call until its applied index reaches the
 * primary's, then checks that the two replicas' state digests match.
 */
final class CatchUpScenario {

  private CatchUpScenario() {}

  static Map<String, Object> run(Target target, int commands) throws InterruptedException {
    target.awaitInSync(Duration.ofSeconds(60));
    int primary = target.primary();
    int victim = (primary + 1) % target.size();
    long appliedBefore = target.appliedIndex(victim);
    long checkpointBefore =
        target instanceof SdkTarget<?, ?> sdk ? sdk.lastCheckpointIndex(victim) : -1;
    target.beginCrash(victim).join();

    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      workers.add(target.newWorker(5000 + i));
    }
    long loadStart = System.nanoTime();
    Load load = new Load(workers, 0, done -> done < commands);
    load.awaitDone();
    load.close();
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

    int leader = target.primary();
    Polling.await(
        "primary applied everything",
        Duration.ofSeconds(30),
        2,
        () -> target.appliedIndex(leader) >= target.commitIndex(leader));
    long goal = target.appliedIndex(leader);

    long restartStart = System.nanoTime();
    target.restart(victim);
    long restarted = System.nanoTime();
    Polling.await(
        "restarted member caught up",
        Duration.ofMinutes(2),
        1,
        () -> target.appliedIndex(victim) >= goal);
    long caughtUp = System.nanoTime();
    boolean match = false;
    for (int attempt = 0; attempt < 50 && !match; attempt++) {
      match = target.digest(victim).equals(target.digest(leader));
      if (!match) {
        Polling.sleepMillis(20);
      }
    }
    long verified = System.nanoTime();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("commandsWhileDown", load.acknowledged());
    out.put("entriesBehind", goal - appliedBefore);
    out.put("appliedIndexAtCrash", appliedBefore);
    out.put("checkpointIndexAtCrash", checkpointBefore);
    out.put("entriesReplayedFromOwnLog", appliedBefore - Math.max(0, checkpointBefore));
    out.put("loadSeconds", Report.round(loadSeconds));
    out.put("restartCallMs", Report.round((restarted - restartStart) / 1e6));
    out.put("catchUpMs", Report.round((caughtUp - restartStart) / 1e6));
    out.put("catchUpAndDigestMs", Report.round((verified - restartStart) / 1e6));
    out.put("digestsMatch", match);
    if (target instanceof SdkTarget<?, ?> sdk) {
      out.put("checkpointsInstalled", sdk.checkpointsInstalled(victim));
    }
    return out;
  }
}
