package io.steadfast.testkit.cluster;

import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.CheckContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the one cluster scenario every cluster rule is judged on: a three-node embedded cluster
 * built from the vendor's factory and codec, the workload's users as concurrent sessions, and the
 * seeded {@link FaultSchedule} injected one fault at a time while they work. Then the load stops,
 * the replicas must converge, and the final states are fingerprinted.
 *
 * <p>The cluster checkpoints every {@value #CHECKPOINT_EVERY} journal entries (by the count alone,
 * whatever the state's size) with 64 KiB journal segments, so that checkpoints (and crashes during
 * them) happen often and a node left behind soon finds the journal purged past it. Leader time
 * starts at {@link Trace#START}, as in the pure rules' traces.
 *
 * <p>Used from one thread.
 */
final class ClusterScenario<C, R> {

  static final int CHECKPOINT_EVERY = 40;
  private static final long SEGMENT_BYTES = 64 * 1024;
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private final ScenarioStage<C, R> stage;
  private final History<C, R> history;
  private final long deadline;

  private ClusterScenario(CheckContext<C, R> context) {
    this.stage = new ScenarioStage<>(context);
    this.history = stage.history;
    // Leave a fifth of the rule's time limit for stopping, converging and judging.
    this.deadline = System.nanoTime() + context.settings().ruleTimeout().toNanos() * 4 / 5;
  }

  /** Runs the scenario for {@code context}; never throws for a misbehaving cluster. */
  static <C, R> History<C, R> run(CheckContext<C, R> context) throws InterruptedException {
    return new ClusterScenario<>(context).execute();
  }

  private History<C, R> execute() throws InterruptedException {
    CheckContext<C, R> context = stage.context;
    long seed = context.settings().seed();
    history.schedule = FaultSchedule.generate(seed, context.settings().isDeep());
    ExitTimings timings = new ExitTimings(context.newApplication().budgets());
    history.timings = timings;
    Observations<C> observations = history.observations;
    FaultHooks hooks = new FaultHooks();
    ExpiryProbe<C, R> expiry = new ExpiryProbe<>(stage);
    Map<FaultSchedule.Kind, FaultInjector> injectors = new EnumMap<>(FaultSchedule.Kind.class);
    injectors.put(FaultSchedule.Kind.SWITCHOVER, new SwitchoverInjector<>(stage));
    injectors.put(FaultSchedule.Kind.CRASH, new CrashInjector<>(stage, hooks, null));
    injectors.put(
        FaultSchedule.Kind.CRASH_IN_APPLY,
        new CrashInjector<>(stage, hooks, FaultHooks.Place.APPLY));
    injectors.put(
        FaultSchedule.Kind.CRASH_IN_CHECKPOINT,
        new CrashInjector<>(stage, hooks, FaultHooks.Place.CHECKPOINT));
    injectors.put(FaultSchedule.Kind.LAG_AND_REJOIN, new RejoinInjector<>(stage));
    injectors.put(FaultSchedule.Kind.EXPIRE_SESSION, expiry);
    injectors.put(FaultSchedule.Kind.WRITE_TO_BACKUPS, new BackupWriteProbe<>(stage));
    injectors.put(FaultSchedule.Kind.AUTHORIZE_OUTSIDER, new AuthorizationProbe<>(stage));
    Convergence<C, R> convergence = new Convergence<>(stage);
    PositionSampler<C, R> positions = new PositionSampler<>(stage);
    history.event("start a 3-node cluster; " + history.schedule);
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "steadfast-certify-sampler");
              t.setDaemon(true);
              return t;
            });
    long begin = System.nanoTime();
    try {
      EmbeddedCluster<C, R> cluster =
          EmbeddedCluster.<C, R>builder()
              .nodes(3)
              .application(
                  () ->
                      new ObservedApplication<>(
                          context.newApplication(), stage.codec, observations, timings, hooks))
              .codec(stage.codec)
              .checkpointEvery(CHECKPOINT_EVERY)
              // By the count alone, however large the application's state: the point is to
              // checkpoint often.
              .checkpointJournalRatio(0)
              .segmentSize(SEGMENT_BYTES)
              .requestDeadline(DEADLINE)
              .clock(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Trace.START)))
              .onNode(node -> node.addRoleListener(observations::delivered))
              .start();
      stage.cluster = cluster;
      history.event("primary " + cluster.primary().id());
      // The rules judge the release in its steady state: every member upgraded and its version
      // finalized, as the pure rules' replicas apply (UP-3 covers the way there).
      int version = context.newApplication().supportedVersion();
      if (version > 1) {
        cluster.primary().finalizeVersion(version);
        history.event("finalized application version " + version);
      }
      int[] tick = {0};
      var unused =
          sampler.scheduleAtFixedRate(
              () -> positions.sample(tick[0]++ % 5 == 0), 50, 100, TimeUnit.MILLISECONDS);
      LoadDriver<C, R> load =
          new LoadDriver<>(cluster, stage.codec, stage.workload, observations, seed);
      history.load = load;
      load.start();
      if (!stage.awaitAcks(20)) {
        history.abortedBecause =
            "the load acknowledged fewer than 20 commands within "
                + ScenarioStage.PROGRESS.toSeconds()
                + " s";
        return history;
      }
      int number = 0;
      for (FaultSchedule.Fault fault : history.schedule.faults()) {
        number++;
        if (System.nanoTime() > deadline) {
          history.abortedBecause =
              "out of time before fault " + number + " of " + history.schedule.faults().size();
          break;
        }
        if (!stage.awaitAcks(fault.afterAcks())) {
          history.abortedBecause = "the load stopped making progress before fault " + number;
          break;
        }
        stage.restartStopped();
        java.util.Objects.requireNonNull(injectors.get(fault.kind()), "an injector per kind")
            .inject(number, fault);
      }
      stage.restartStopped();
      long tail = load.acknowledged();
      stage.awaitAcks(20);
      history.event(
          "faults over; load acknowledged " + (load.acknowledged() - tail) + " more commands");
      long faultsOver = System.nanoTime();
      load.stop();
      history.event("load stopped after " + load.acknowledged() + " acknowledged commands");
      convergence.converge(faultsOver);
      expiry.checkAgain();
      convergence.quietResends();
      convergence.finalState();
    } catch (RuntimeException e) {
      history.abortedBecause = "the scenario broke off: " + e;
      history.event("broke off: " + e);
    } finally {
      sampler.shutdownNow();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      stage.tearDown(timings);
      history.durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      new Timeline<>(stage).write();
    }
    return history;
  }
}
