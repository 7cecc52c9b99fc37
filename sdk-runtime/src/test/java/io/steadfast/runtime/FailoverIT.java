package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.appliedCounts;
import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The primary killed again and again under continuous load, and planned switchovers under load. */
class FailoverIT {

  @Test
  void primaryKilledTwentyTimes_nothingLostNothingTwice_everyFailoverObserved() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
             ClusterTestSupport.ledgerCluster(changes).checkpointEvery(500).start();
         LedgerLoad load = new LedgerLoad(cluster.client(), 8, Long.MAX_VALUE)) {
      long lastEpoch = 0;
      for (int kill = 1; kill <= 20; kill++) {
        long ackedBefore = load.acknowledged.size();
        await("load progresses before kill " + kill, Duration.ofSeconds(30),
            () -> load.acknowledged.size() > ackedBefore + 20);
        SteadfastNode<LedgerCommand, Long> victim = cluster.primary();
        cluster.crash(victim.id());
        SteadfastNode<LedgerCommand, Long> successor = cluster.primary();
        assertThat(successor.id()).isNotEqualTo(victim.id());
        NodeId successorId = successor.id();
        long floor = lastEpoch;
        await("FAILOVER role change on " + successorId, Duration.ofSeconds(10), () ->
            changes.stream().anyMatch(c -> c.node().equals(successorId) && c.to() == Role.PRIMARY
                && c.epoch() > floor));
        RoleChange promotion = changes.stream()
            .filter(c -> c.node().equals(successorId) && c.to() == Role.PRIMARY && c.epoch() > floor)
            .findFirst().orElseThrow();
        assertThat(promotion.reason()).as("kill %d", kill).isEqualTo(RoleChange.Reason.FAILOVER);
        assertThat(promotion.epoch()).isGreaterThan(lastEpoch);
        lastEpoch = promotion.epoch();
        cluster.restart(victim.id());
      }
      long ackedAfterKills = load.acknowledged.size();
      await("load continues after the last kill", Duration.ofSeconds(30),
          () -> load.acknowledged.size() > ackedAfterKills + 50);
      load.close();
      assertThat(load.errors).hasValue(0);

      awaitConvergence(cluster);
      Map<String, Integer> counts = appliedCounts(cluster.primary());
      assertThat(counts.values()).as("no operation applied twice").allMatch(n -> n == 1);
      assertThat(counts.keySet()).as("every acknowledged operation applied")
          .containsAll(load.acknowledged);
      for (String op : counts.keySet()) {
        assertThat(load.acknowledged.contains(op) || load.indeterminate.contains(op))
            .as("applied operation %s was submitted", op).isTrue();
      }
    }
  }

  @Test
  void switchoverUnderLoad_movesPrimaryToTarget_nothingLost() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
             ClusterTestSupport.ledgerCluster(changes).start();
         LedgerLoad load = new LedgerLoad(cluster.client(), 8, Long.MAX_VALUE)) {
      for (int round = 1; round <= 5; round++) {
        long ackedBefore = load.acknowledged.size();
        await("load progresses", Duration.ofSeconds(30),
            () -> load.acknowledged.size() > ackedBefore + 20);
        NodeId from = cluster.primary().id();
        NodeId target = cluster.ids().stream().filter(id -> !id.equals(from)).toList()
            .get(round % 2);
        cluster.switchover(target);
        assertThat(cluster.primary().id()).isEqualTo(target);
        await("SWITCHOVER role change on " + target, Duration.ofSeconds(10), () ->
            changes.stream().anyMatch(c -> c.node().equals(target) && c.to() == Role.PRIMARY
                && c.reason() == RoleChange.Reason.SWITCHOVER));
        await("old primary steps down for SWITCHOVER", Duration.ofSeconds(10), () ->
            changes.stream().anyMatch(c -> c.node().equals(from) && c.from() == Role.PRIMARY
                && c.reason() == RoleChange.Reason.SWITCHOVER));
      }
      load.close();
      assertThat(load.errors).hasValue(0);
      awaitConvergence(cluster);
      Map<String, Integer> counts = appliedCounts(cluster.primary());
      assertThat(counts.values()).allMatch(n -> n == 1);
      assertThat(counts.keySet()).containsAll(load.acknowledged);
    }
  }
}
