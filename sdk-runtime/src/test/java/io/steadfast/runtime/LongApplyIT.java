package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A long apply stops the apply thread, and nothing else: Raft heartbeats go on (no election), the
 * health probe goes on asking the application, and the node's status answers at once.
 */
class LongApplyIT {

  @Test
  void applyLongerThanTheElectionTimeout_causesNoElection_andHealthProbesGoOn() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    // Election timeouts of 0.6-1 s, still well under the 1.5 s apply: the default 150-300 ms lets a
    // stall of the machine itself (a slow disk flush, CPU steal) start an election the apply did
    // not
    // cause, and this test is about the apply.
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .electionTimeout(Duration.ofMillis(600), Duration.ofMillis(1000))
            .healthProbe(Duration.ofMillis(100), 3)
            .start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("slow-writer", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 1, "warm-up"));
      ClusterTestSupport.awaitConvergence(cluster);
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      long epoch = primary.status().epoch();
      int changesBefore = changes.size();

      CompletableFuture<Long> slow =
          CompletableFuture.supplyAsync(
              () ->
                  session.execute(
                      new LedgerCommand.Deposit(LedgerApplication.SLOW_ACCOUNT, 5, "slow-1")));
      await(
          "a replica inside the slow apply",
          Duration.ofSeconds(10),
          () -> LedgerApplication.IN_SLOW_APPLY.get() > 0);
      long probesAtStart = LedgerApplication.HEALTH_CALLS.get();
      long started = System.nanoTime();
      NodeStatus during = primary.status();
      long statusNanos = System.nanoTime() - started;
      await(
          "health probes during the slow apply",
          Duration.ofSeconds(1),
          () -> LedgerApplication.HEALTH_CALLS.get() >= probesAtStart + 3);
      assertThat(LedgerApplication.IN_SLOW_APPLY.get())
          .as("still inside the slow apply")
          .isPositive();

      assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(5L);
      assertThat(Duration.ofNanos(statusNanos))
          .as("status while apply sleeps")
          .isLessThan(Duration.ofMillis(500));
      assertThat(during.role()).isEqualTo(io.steadfast.api.role.Role.PRIMARY);
      ClusterTestSupport.awaitConvergence(cluster);
      assertThat(cluster.primary().id()).isEqualTo(primary.id());
      assertThat(cluster.status())
          .allSatisfy(
              status ->
                  assertThat(status.epoch()).as("epoch of %s", status.node()).isEqualTo(epoch));
      assertThat(changes.subList(changesBefore, changes.size())).as("role changes").isEmpty();
    }
  }
}
