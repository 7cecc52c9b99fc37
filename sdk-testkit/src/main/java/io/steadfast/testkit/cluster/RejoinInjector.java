package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.role.RoleChange;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.SteadfastNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A backup stopped until the primary's journal was purged past it, then restarted: it must come
 * back by installing a checkpoint (REJOIN).
 */
final class RejoinInjector<C, R> implements FaultInjector {

  private final ScenarioStage<C, R> stage;

  RejoinInjector(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  @Override
  public void inject(int number, FaultSchedule.Fault fault) {
    EmbeddedCluster<C, R> c = stage.cluster();
    History.Rejoin rejoin = new History.Rejoin();
    stage.history.rejoins.add(rejoin);
    SteadfastNode<C, R> primary = c.primary();
    List<NodeId> backups =
        c.ids().stream().filter(id -> !id.equals(primary.id())).sorted().toList();
    NodeId lagging = backups.get(fault.choice() % backups.size());
    rejoin.node = lagging.value();
    Position before = c.node(lagging).appliedPosition();
    long start = System.nanoTime();
    c.stop(lagging);
    // The stopped backup's journal may run past what it had applied (entries written, not yet
    // applied or committed). The primary's journal end, read once the backup is down, bounds it:
    // the backup held nothing the primary of its epoch had not written. Waiting only for the
    // purge past the applied index let the journal it still held meet the primary's, and it
    // caught up by entries, never installing a checkpoint.
    rejoin.behindIndex = primary.status().journalEndIndex();
    stage.history.event(
        "stopped "
            + lagging
            + "; its journal ends at or before index "
            + rejoin.behindIndex
            + " (the primary's end); waiting for the primary to purge past it");
    rejoin.logPurged =
        ScenarioStage.poll(Duration.ofSeconds(90), () -> stage.purgedPast(rejoin.behindIndex));
    if (!rejoin.logPurged) {
      rejoin.detail =
          "the primary's journal was not purged past index " + rejoin.behindIndex + " within 90 s";
    }
    long restartedAt = System.nanoTime();
    stage.restart(lagging, before);
    rejoin.rejoinedByInstall =
        ScenarioStage.poll(
            Duration.ofSeconds(60),
            () ->
                stage.history.observations.delivered().stream()
                    .anyMatch(
                        e ->
                            e.nanos() > restartedAt
                                && e.change().node().equals(lagging)
                                && e.change().reason() == RoleChange.Reason.REJOIN));
    rejoin.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    stage.history.event(
        "rejoin of "
            + lagging
            + ": "
            + (rejoin.rejoinedByInstall
                ? "installed a checkpoint (REJOIN)"
                : "no REJOIN within 60 s")
            + " "
            + rejoin.detail);
  }
}
