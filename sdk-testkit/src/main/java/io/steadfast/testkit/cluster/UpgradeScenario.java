package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.Since;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.CheckContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rolling upgrade of rule UP-3, on an embedded three-node cluster under the workload's load:
 * every member starts on the previous release; each backup in turn is stopped and started on the
 * new release; the primary role is switched over to an upgraded member; the old primary is
 * upgraded; the new version is finalized; the load goes on with the new command types. Both
 * releases apply the same journal side by side for most of the run, so a new release that changes
 * the old behaviour before the finalize makes the replicas differ.
 *
 * <p>Runs on the suite's check thread; never throws for a misbehaving cluster.
 */
final class UpgradeScenario<C, R> {

  /** What the run did, for UP-3 to judge. */
  static final class Run<C, R> {
    final History<C, R> history;
    final List<String> steps = new ArrayList<>();
    int previousVersion;
    int newVersion;
    int finalizedVersion;
    long newTypesAcknowledged;
    boolean converged;

    Run(History<C, R> history) {
      this.history = history;
    }
  }

  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private final ScenarioStage<C, R> stage;
  private final Run<C, R> run;

  private UpgradeScenario(CheckContext<C, R> context) {
    this.stage = new ScenarioStage<>(context);
    this.run = new Run<>(stage.history);
  }

  static <C, R> Run<C, R> run(CheckContext<C, R> context) throws InterruptedException {
    return new UpgradeScenario<>(context).execute();
  }

  private Run<C, R> execute() throws InterruptedException {
    CheckContext<C, R> context = stage.context;
    History<C, R> history = stage.history;
    ResilientApplication<C, R> probe = context.previousRelease().orElseThrow();
    run.previousVersion = Math.max(1, probe.supportedVersion());
    run.newVersion = Math.max(1, context.newApplication().supportedVersion());
    ExitTimings timings = new ExitTimings(probe.budgets());
    history.timings = timings;
    FaultHooks hooks = new FaultHooks();
    Supplier<ResilientApplication<C, R>> previous =
        () ->
            new ObservedApplication<>(
                context.previousRelease().orElseThrow(),
                stage.codec,
                history.observations,
                timings,
                hooks);
    Supplier<ResilientApplication<C, R>> next =
        () ->
            new ObservedApplication<>(
                context.newApplication(), stage.codec, history.observations, timings, hooks);
    try {
      EmbeddedCluster<C, R> cluster =
          EmbeddedCluster.<C, R>builder()
              .nodes(3)
              .application(previous)
              .codec(stage.codec)
              .checkpointEvery(ClusterScenario.CHECKPOINT_EVERY)
              .checkpointJournalRatio(0)
              .requestDeadline(DEADLINE)
              .clock(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Trace.START)))
              .start();
      stage.cluster = cluster;
      step("3 members on the previous release (version " + run.previousVersion + ")");
      LoadDriver<C, R> load =
          new LoadDriver<>(
              cluster,
              stage.codec,
              stage.workload,
              history.observations,
              context.settings().seed());
      history.load = load;
      load.start();
      if (!progress("the load on the previous release")) {
        return run;
      }
      NodeId first = cluster.primary().id();
      List<NodeId> backups = new ArrayList<>(cluster.ids());
      backups.remove(first);
      for (NodeId backup : backups) {
        cluster.stop(backup);
        cluster.restart(backup, next);
        step("upgraded backup " + backup);
        if (!progress("the load after upgrading " + backup)) {
          return run;
        }
      }
      cluster.switchover(backups.get(0));
      step("switched over to " + backups.get(0) + ", on the new release");
      if (!progress("the load after the switchover")) {
        return run;
      }
      cluster.stop(first);
      cluster.restart(first, next);
      step("upgraded the old primary " + first);
      if (!progress("the load with every member upgraded")) {
        return run;
      }
      run.finalizedVersion = cluster.primary().finalizeVersion(run.newVersion);
      step("finalized version " + run.finalizedVersion);
      if (!progress("the load after the finalize")) {
        return run;
      }
      long faultsOver = System.nanoTime();
      load.stop();
      step("load stopped after " + load.acknowledged() + " acknowledged commands");
      new Convergence<>(stage).converge(faultsOver);
      run.converged = history.convergenceMillis >= 0;
      run.newTypesAcknowledged = newTypesAcknowledged(load);
    } catch (SteadfastException | IllegalStateException e) {
      history.abortedBecause = "the upgrade broke off: " + e;
      step("broke off: " + e);
    } finally {
      stage.tearDown(timings);
    }
    return run;
  }

  private boolean progress(String what) {
    if (stage.awaitAcks(20)) {
      return true;
    }
    stage.history.abortedBecause =
        what
            + " acknowledged fewer than 20 commands within "
            + ScenarioStage.PROGRESS.toSeconds()
            + " s";
    step(stage.history.abortedBecause);
    return false;
  }

  private void step(String text) {
    run.steps.add(text);
    stage.history.event(text);
  }

  private long newTypesAcknowledged(LoadDriver<C, R> load) {
    long count = 0;
    for (LoadDriver.UserState<C> state : load.sessions().values()) {
      for (Map.Entry<Long, C> sent : state.submitted.entrySet()) {
        if (state.acknowledged.containsKey(sent.getKey())
            && Since.Lookup.versionOf(sent.getValue().getClass()) > run.previousVersion) {
          count++;
        }
      }
    }
    return count;
  }
}
