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
        ClusterTestSupport.ledgerCluster(changes)
            .requestDeadline(Duration.ofSeconds(3))
            .auditEvery(Duration.ZERO)
            .meterRegistry(registry)
            .start()) {
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
}
