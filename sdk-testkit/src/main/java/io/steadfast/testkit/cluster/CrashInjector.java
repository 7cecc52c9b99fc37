package io.steadfast.testkit.cluster;

import io.steadfast.api.Position;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.SteadfastNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The primary killed, between calls or (with a place) inside an exit point, then restarted once the
 * load moved on.
 */
final class CrashInjector<C, R> implements FaultInjector {

  private final ScenarioStage<C, R> stage;
  private final FaultHooks hooks;
  private final FaultHooks.@Nullable Place place;

  CrashInjector(ScenarioStage<C, R> stage, FaultHooks hooks, FaultHooks.@Nullable Place place) {
    this.stage = stage;
    this.hooks = hooks;
    this.place = place;
  }

  @Override
  public void inject(int number, FaultSchedule.Fault fault) throws InterruptedException {
    EmbeddedCluster<C, R> c = stage.cluster();
    LoadDriver<C, R> load = stage.history.load();
    SteadfastNode<C, R> victim = c.primary();
    boolean placed = false;
    if (place != null) {
      CountDownLatch entered = hooks.arm(place, victim.id().value(), victim::stopped);
      placed = entered.await(10, TimeUnit.SECONDS);
      if (!placed) {
        hooks.disarm();
      }
    }
    History.FaultRecord record =
        new History.FaultRecord(number, fault.kind(), victim.id().value(), load.acknowledged());
    record.placedInExitPoint = placed;
    record.victimWasPrimary = victim.isPrimary();
    if (!record.victimWasPrimary) {
      record.detail = "an election had already moved the primary away from " + victim.id();
    }
    long start = System.nanoTime();
    c.crash(victim.id());
    Position before = victim.appliedPosition();
    try {
      SteadfastNode<C, R> successor = c.primary();
      record.to = successor.id().value();
      record.completed = !successor.id().equals(victim.id());
    } catch (SteadfastException e) {
      record.detail = "no new primary: " + e.getMessage();
    }
    if (place != null && !placed) {
      record.detail +=
          (record.detail.isEmpty() ? "" : "; ")
              + "no "
              + place
              + " call came within 10 s; crashed between calls instead";
    }
    stage.finish(record, start);
    stage.awaitAcks(fault.restartAfterAcks());
    stage.restart(victim.id(), before);
  }
}
