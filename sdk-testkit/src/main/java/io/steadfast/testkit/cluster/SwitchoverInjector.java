package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.SteadfastNode;
import java.util.List;

/** A planned switchover to a backup the schedule chooses. */
final class SwitchoverInjector<C, R> implements FaultInjector {

  private final ScenarioStage<C, R> stage;

  SwitchoverInjector(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  @Override
  public void inject(int number, FaultSchedule.Fault fault) {
    EmbeddedCluster<C, R> c = stage.cluster();
    LoadDriver<C, R> load = stage.history.load();
    SteadfastNode<C, R> from = c.primary();
    List<NodeId> backups = c.ids().stream().filter(id -> !id.equals(from.id())).sorted().toList();
    NodeId target = backups.get(fault.choice() % backups.size());
    History.FaultRecord record =
        new History.FaultRecord(number, fault.kind(), from.id().value(), load.acknowledged());
    record.positionBefore = from.appliedPosition();
    long start = System.nanoTime();
    try {
      c.switchover(target);
      record.to = c.primary().id().value();
      record.completed = record.to.equals(target.value());
      if (!record.completed) {
        record.detail = "asked for " + target + ", primary is " + record.to;
      }
    } catch (SteadfastException e) {
      record.detail = "switchover to " + target + " failed: " + e.getMessage();
    }
    stage.finish(record, start);
  }
}
