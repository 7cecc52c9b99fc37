package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.ReplicaAudit.Verdict;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replica audit: every member fingerprints its state at the same journal entry and the primary
 * compares; a member that drifted is named with the part that differs, one that is down is said to
 * have not answered, and nothing is changed.
 */
class AuditIT {

  @Test
  void theAudit_namesAReplicaThatDrifted_andOneThatDidNotAnswer() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        audited(changes).meterRegistry(registry).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("auditor", "clerk"));
      for (int i = 1; i <= 20; i++) {
        session.execute(new LedgerCommand.Deposit("acct-" + (i % 3), i, "a-" + i));
      }
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      List<NodeId> backups = cluster.ids().stream().filter(n -> !n.equals(primary.id())).toList();

      ReplicaAudit clean = primary.auditReplicas();
      assertThat(clean.allMatch()).as("verdicts %s", clean.verdicts()).isTrue();
      assertThat(clean.verdicts()).containsOnlyKeys(backups);
      assertThat(clean.journalIndex()).isPositive();

      SteadfastNode<LedgerCommand, Long> drifted = cluster.node(backups.get(0));
      drifted
          .audit()
          .inspect(
              app -> {
                ((LedgerApplication) app).drift("acct-1", 1);
                return null;
              });
      ReplicaAudit found = primary.auditReplicas();
      assertThat(found.verdicts())
          .containsEntry(drifted.id(), Verdict.APPLICATION_STATE_DIFFERS)
          .containsEntry(backups.get(1), Verdict.MATCH);
      assertThat(found.foundDifference()).isTrue();
      assertThat(
              registry
                  .get("steadfast.audit.verdicts")
                  .tag("member", drifted.id().value())
                  .tag("verdict", "APPLICATION_STATE_DIFFERS")
                  .counter()
                  .count())
          .isEqualTo(1.0);
      // The audit reports; it changes nothing.
      assertThat(drifted.audit().inspect(app -> ((LedgerApplication) app).appliedCounts()).size())
          .isEqualTo(20);

      cluster.crash(backups.get(1));
      ReplicaAudit partial = primary.auditReplicas();
      assertThat(partial.verdicts())
          .containsEntry(backups.get(1), Verdict.NOT_ANSWERED)
          .containsEntry(drifted.id(), Verdict.APPLICATION_STATE_DIFFERS);
      assertThat(partial.round()).isNotEqualTo(found.round());

      assertThatThrownBy(drifted::auditReplicas).isInstanceOf(NotPrimaryException.class);
    }
  }

  @Test
  void thePrimaryAuditsPeriodically_andShowsTheLastAuditInItsStatus() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).auditEvery(Duration.ofMillis(200)).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("auditor", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 5, "p-1"));
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      await(
          "a periodic audit in which both backups match",
          Duration.ofSeconds(20),
          () ->
              primary
                  .runtime()
                  .lastAudit()
                  .map(a -> a.allMatch() && a.verdicts().size() == 2)
                  .orElse(false));
      Map<String, Object> fields = primary.runtime().statusFields();
      assertThat(fields).containsKey("lastAudit");
      assertThat(fields.get("lastAudit")).asString().contains("MATCH");
    }
  }

  @Test
  void anAuditThatResyncs_replacesTheDriftedState_whileCommandsGoOn() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        audited(changes).meterRegistry(registry).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("auditor", "clerk"));
      for (int i = 1; i <= 20; i++) {
        session.execute(new LedgerCommand.Deposit("acct-" + (i % 3), i, "a-" + i));
      }
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      List<NodeId> backups = cluster.ids().stream().filter(n -> !n.equals(primary.id())).toList();
      SteadfastNode<LedgerCommand, Long> drifted = cluster.node(backups.get(0));
      drifted
          .audit()
          .inspect(
              app -> {
                ((LedgerApplication) app).drift("acct-1", 1);
                return null;
              });

      ReplicaAudit audit = primary.auditReplicas(true);
      assertThat(audit.verdicts()).containsEntry(drifted.id(), Verdict.APPLICATION_STATE_DIFFERS);
      assertThat(audit.resyncing()).containsExactly(drifted.id());
      for (int i = 21; i <= 40; i++) {
        session.execute(new LedgerCommand.Deposit("acct-" + (i % 3), i, "a-" + i));
      }
      await(
          "the drifted member to say it was re-synchronised",
          Duration.ofSeconds(30),
          () ->
              String.valueOf(drifted.runtime().statusFields().get("lastResync"))
                  .startsWith("re-synchronised from "));
      ClusterTestSupport.awaitConvergence(cluster);
      ReplicaAudit after = primary.auditReplicas(true);
      assertThat(after.allMatch()).as("verdicts %s", after.verdicts()).isTrue();
      assertThat(after.resyncing()).isEmpty();
      assertThat(ClusterTestSupport.appliedCounts(drifted)).hasSize(40);
      assertThat(
              registry
                  .get("steadfast.resyncs")
                  .tag("node", drifted.id().value())
                  .tag("outcome", "done")
                  .counter()
                  .count())
          .isEqualTo(1.0);
      // The re-synced member took a checkpoint at once: a restart starts from the new state.
      cluster.crash(drifted.id());
      cluster.restart(drifted.id());
      ClusterTestSupport.awaitConvergence(cluster);
    }
  }

  @Test
  void aPrimaryThatDrifted_handsOver_andTheNextPrimaryResyncsIt() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        audited(changes).resyncDiffering(true).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("auditor", "clerk"));
      for (int i = 1; i <= 10; i++) {
        session.execute(new LedgerCommand.Deposit("acct", i, "p-" + i));
      }
      SteadfastNode<LedgerCommand, Long> drifted = cluster.primary();
      drifted
          .audit()
          .inspect(
              app -> {
                ((LedgerApplication) app).drift("acct", 7);
                return null;
              });

      ReplicaAudit first = drifted.auditReplicas();
      assertThat(first.verdicts().values()).containsOnly(Verdict.APPLICATION_STATE_DIFFERS);
      assertThat(first.resyncing()).as("a primary never re-syncs itself").isEmpty();
      await(
          "the drifted primary to hand over",
          Duration.ofSeconds(20),
          () -> cluster.nodes().stream().anyMatch(n -> n.isPrimary() && n != drifted));
      SteadfastNode<LedgerCommand, Long> next = cluster.primary();
      ReplicaAudit second = next.auditReplicas();
      assertThat(second.resyncing()).containsExactly(drifted.id());
      session.execute(new LedgerCommand.Deposit("acct", 11, "p-11"));
      ClusterTestSupport.awaitConvergence(cluster);
      assertThat(next.auditReplicas().allMatch()).isTrue();
    }
  }

  @Test
  void withoutAMajorityNothingIsResynced() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster = audited(changes).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("auditor", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 1, "m-1"));
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      List<NodeId> backups = cluster.ids().stream().filter(n -> !n.equals(primary.id())).toList();
      // Drifted only once every member applied the deposit, so that only the application's state
      // differs (a result computed from a drifted balance would differ in the session table too).
      ClusterTestSupport.awaitConvergence(cluster);
      // Three members, three different states: no majority to copy from.
      for (int i = 0; i < backups.size(); i++) {
        long amount = i + 1L;
        cluster
            .node(backups.get(i))
            .audit()
            .inspect(
                app -> {
                  ((LedgerApplication) app).drift("acct", amount);
                  return null;
                });
      }
      ReplicaAudit audit = primary.auditReplicas(true);
      assertThat(audit.verdicts().values()).containsOnly(Verdict.APPLICATION_STATE_DIFFERS);
      assertThat(audit.resyncing()).isEmpty();
      assertThat(primary.isPrimary()).isTrue();
    }
  }

  /** The ledger cluster these tests audit by hand: no periodic audit, a short deadline. */
  private static EmbeddedCluster.Builder<LedgerCommand, Long> audited(List<RoleChange> changes) {
    return ClusterTestSupport.ledgerCluster(changes)
        .requestDeadline(Duration.ofSeconds(3))
        .auditEvery(Duration.ZERO);
  }
}
