package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Failover and planned switchover rounds under light load: a background session sends a command
 * every 10 ms while a probe session measures.
 *
 * <ul>
 *   <li>Failover: the probe gets an acknowledgement, the primary is killed, and the probe sends its
 *       next command at once; the figure is the time from the kill to that acknowledgement (the
 *       session retries and resumes on the new primary). The killed member is then restarted and
 *       caught up before the next round.
 *   <li>Switchover: the probe gets an acknowledgement, the primary is moved to the next member (the
 *       call returns when the new primary is ready), then the probe sends its next command; the
 *       figure is the time from the start of the switchover to that acknowledgement.
 * </ul>
 *
 * <p>A random pause of 0–100 ms before each kill spreads the kills over the heartbeat cycle. Each
 * round also records when a new primary was first ready (a watcher polls every millisecond), which
 * splits the figure into the engine's part (detection, election, leader readiness) and the client's
 * part (its retry back-off).
 */
final class HandoverScenario {

  /**
   * One round's timings, in nanoseconds from the kill or the start of the switchover.
   *
   * @param ack the next acknowledged command
   * @param ready a new primary ready (failover), or the switchover call returned (switchover)
   */
  record Round(long ack, long ready) {}

  private final SplittableRandom random = new SplittableRandom(42);

  /** One failover round on {@code target}; returns the time to the next acknowledgement. */
  // The background load only has to run while the round does; the body never touches it.
  @SuppressWarnings("try")
  Round failoverRound(Target target, Worker probe) throws InterruptedException {
    target.awaitInSync(Duration.ofSeconds(60));
    long nanos;
    long[] ready = {-1};
    try (Load background = new Load(List.of(target.newWorker(random.nextInt(1 << 20))), 10)) {
      for (int i = 0; i < 3; i++) {
        probe.executeNext();
      }
      Thread.sleep(random.nextInt(100));
      int victim = target.primary();
      long killed = System.nanoTime();
      if (Boolean.getBoolean("steadfast.bench.trace")) {
        System.err.println(
            "kill "
                + target.side().key()
                + " at "
                + java.time.LocalTime.now(java.time.ZoneOffset.UTC));
      }
      Thread watcher =
          new Thread(
              () -> {
                long end = killed + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < end) {
                  int now = target.readyPrimary();
                  if (now >= 0 && now != victim) {
                    ready[0] = System.nanoTime() - killed;
                    return;
                  }
                  Polling.sleepMillis(target.readyPollMillis());
                }
              },
              "watch-primary");
      watcher.start();
      Thread killer = target.beginCrash(victim);
      probe.executeNext();
      nanos = System.nanoTime() - killed;
      watcher.join();
      killer.join();
      target.restart(victim);
    }
    return new Round(nanos, ready[0]);
  }

  /** One switchover round on {@code target}; returns the time to the next acknowledgement. */
  // The background load only has to run while the round does; the body never touches it.
  @SuppressWarnings("try")
  Round switchoverRound(Target target, Worker probe) throws InterruptedException {
    target.awaitInSync(Duration.ofSeconds(60));
    long nanos;
    try (Load background = new Load(List.of(target.newWorker(random.nextInt(1 << 20))), 10)) {
      for (int i = 0; i < 3; i++) {
        probe.executeNext();
      }
      Thread.sleep(random.nextInt(100));
      int from = target.primary();
      int to = (from + 1) % target.size();
      long started = System.nanoTime();
      target.switchoverTo(to);
      long switched = System.nanoTime() - started;
      probe.executeNext();
      nanos = System.nanoTime() - started;
      return new Round(nanos, switched);
    }
  }
}
