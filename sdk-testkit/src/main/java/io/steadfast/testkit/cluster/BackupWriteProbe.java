package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.StateDigest;
import io.steadfast.runtime.SteadfastNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * With the load paused and the replicas caught up, every backup is asked to open a session: each
 * must refuse with "not primary" and no replica may change.
 */
final class BackupWriteProbe<C, R> implements FaultInjector {

  private final ScenarioStage<C, R> stage;

  BackupWriteProbe(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  @Override
  public void inject(int number, FaultSchedule.Fault fault) throws InterruptedException {
    EmbeddedCluster<C, R> c = stage.cluster();
    LoadDriver<C, R> load = stage.history.load();
    History.BackupProbe probe = new History.BackupProbe();
    stage.history.backupProbes.add(probe);
    if (!load.pause(Duration.ofSeconds(60))) {
      probe.violations.add("the load could not be paused; nothing decided");
      load.resume();
      return;
    }
    try {
      probe.quiet = ScenarioStage.poll(Duration.ofSeconds(20), stage::caughtUp);
      Map<String, StateDigest> before = stage.digests();
      SteadfastNode<C, R> primary = c.primary();
      Principal principal = stage.workload.principal(0);
      for (SteadfastNode<C, R> node : c.nodes()) {
        if (node.id().equals(primary.id()) || node.stopped()) {
          continue;
        }
        try {
          node.openSession(principal);
          probe.violations.add(node.id() + " (a backup) opened a session");
        } catch (NotPrimaryException e) {
          Optional<NodeId> suggested = e.suggestedPrimary();
          if (suggested.isPresent() && !suggested.get().equals(primary.id())) {
            probe.violations.add(
                node.id()
                    + " refused but suggested "
                    + suggested.get()
                    + " while the primary is "
                    + primary.id());
          } else {
            probe.refusals.add(
                node.id()
                    + " refused a session"
                    + suggested.map(s -> ", suggesting " + s).orElse(""));
          }
        } catch (SteadfastException e) {
          probe.violations.add(
              node.id() + " (a backup) failed with " + e + " instead of NotPrimaryException");
        }
      }
      Map<String, StateDigest> after = stage.digests();
      if (!before.equals(after)) {
        probe.violations.add(
            "state changed during the attempts: before " + before + ", after " + after);
      }
    } finally {
      load.resume();
    }
    stage.history.event("writes to backups: " + probe.refusals + " " + probe.violations);
  }
}
