package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A primary whose process ends is found dead by a backup (its journal port refuses connections),
 * which stands for election at once instead of waiting out the election timeout.
 */
class DeadPrimaryIT {

  @Test
  void aCrashedPrimary_isFoundDeadByABackup_whichStandsForElection() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).meterRegistry(registry).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("dead-primary", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 5, "d-1"));
      NodeId victim = cluster.primary().id();

      cluster.crash(victim);
      await(
          "a new primary",
          Duration.ofSeconds(20),
          () -> cluster.nodes().stream().anyMatch(n -> !n.id().equals(victim) && n.isPrimary()));

      double stood =
          registry
              .find("steadfast.primary.found.dead")
              .tag("election", "started")
              .counters()
              .stream()
              .mapToDouble(Counter::count)
              .sum();
      assertThat(stood).as("elections started because the primary's port refused").isPositive();
      assertThat(session.execute(new LedgerCommand.Deposit("acct", 5, "d-2"))).isEqualTo(10L);
    }
  }

  @Test
  void withTheProbeOff_failoverWaitsForTheElectionTimeout_andNobodyStandsEarly() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .deadPrimaryProbe(false)
            .meterRegistry(registry)
            .start()) {
      NodeId victim = cluster.primary().id();
      cluster.crash(victim);
      await(
          "a new primary",
          Duration.ofSeconds(20),
          () -> cluster.nodes().stream().anyMatch(n -> !n.id().equals(victim) && n.isPrimary()));
      assertThat(registry.find("steadfast.primary.found.dead").counters()).isEmpty();
    }
  }
}
