package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A disaster-recovery replica: it follows the journal under load as a Raft listener, never votes or
 * leads through switchovers, refuses promotion while the primary site is up, and, once every voting
 * member is lost, is promoted to the only voting member with every command it had received, serves
 * the same session on, and grows a cluster again.
 */
class ReplicaIT {

  @Test
  void aReplicaFollows_neverLeads_andIsPromotedWhenThePrimarySiteIsLost() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .requestDeadline(Duration.ofSeconds(5))
            .auditEvery(Duration.ZERO)
            .meterRegistry(registry)
            .start()) {
      List<NodeId> voters = List.copyOf(cluster.ids());
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("dr", "clerk"));
      int op = 0;
      while (op < 30) {
        op++;
        session.execute(new LedgerCommand.Deposit("acct-" + (op % 4), op, "d-" + op));
      }
      SteadfastNode<LedgerCommand, Long> replica = cluster.addReplica();
      assertThat(replica.isReplica()).isTrue();
      while (op < 60) {
        op++;
        session.execute(new LedgerCommand.Deposit("acct-" + (op % 4), op, "d-" + op));
      }
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      await(
          "the replica to apply what the primary committed",
          Duration.ofSeconds(20),
          () -> replica.status().appliedIndex() >= primary.status().commitIndex());
      Map<String, Object> status = primary.runtime().statusFields();
      assertThat((List<?>) status.get("members")).hasSize(3);
      assertThat(status.get("replicas")).asString().contains(replica.id().value(), "lagEntries");
      assertThat(replica.runtime().statusFields()).containsEntry("replica", true);
      assertThat(
              registry
                  .get("steadfast.replica.lag")
                  .tag("node", primary.id().value())
                  .gauge()
                  .value())
          .isZero();

      // A switchover among the voters: the replica follows the new primary and never leads.
      NodeId next = voters.stream().filter(n -> !n.equals(primary.id())).findFirst().orElseThrow();
      cluster.switchover(next);
      while (op < 70) {
        op++;
        session.execute(new LedgerCommand.Deposit("acct-" + (op % 4), op, "d-" + op));
      }
      ClusterTestSupport.awaitConvergence(cluster);
      assertThat(replica.isPrimary()).isFalse();
      assertThat(changes)
          .as("the replica never became primary")
          .noneMatch(
              c -> c.node().equals(replica.id()) && c.to() == io.steadfast.api.role.Role.PRIMARY);

      // Refused while the primary site is up, and on a voting member.
      assertThatThrownBy(() -> replica.requestPromotion(replica.id()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("primary site is up");
      assertThatThrownBy(() -> replica.requestPromotion(next))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("to confirm");
      assertThatThrownBy(() -> cluster.node(next).requestPromotion(next))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("is not a replica");

      // The primary site is lost: every voting member at once.
      for (NodeId voter : voters) {
        cluster.crash(voter);
      }
      // Refused until the replica has not heard from a primary for a few election timeouts.
      String[] said = {""};
      await(
          "the replica to accept its promotion",
          Duration.ofSeconds(10),
          () -> {
            try {
              said[0] = replica.requestPromotion(replica.id());
              return true;
            } catch (ConfigurationException e) {
              assertThat(e).hasMessageContaining("primary site is up");
              return false;
            }
          });
      assertThat(said[0]).contains("becomes the only voting member");
      await("the replica to stop for its promotion", Duration.ofSeconds(10), replica::stopped);
      assertThat(Files.exists(cluster.storage().resolve(replica.id().value())))
          .as("its storage stays")
          .isTrue();
      SteadfastNode<LedgerCommand, Long> promoted = cluster.restart(replica.id());
      await(
          "the promoted replica to serve as primary", Duration.ofSeconds(30), promoted::isPrimary);
      assertThat(promoted.status().storageRepairs())
          .anyMatch(r -> r.startsWith("promotion: promoted to the only voting member"));
      assertThat(promoted.runtime().statusFields()).containsEntry("replica", false);

      // The same session goes on where it was: every command applied exactly once.
      while (op < 80) {
        op++;
        session.execute(new LedgerCommand.Deposit("acct-" + (op % 4), op, "d-" + op));
      }
      Map<String, Integer> applied = ClusterTestSupport.appliedCounts(promoted);
      assertThat(applied).hasSize(80);
      assertThat(applied.values()).containsOnly(1);

      // It grows again: a new member joins the promoted one.
      SteadfastNode<LedgerCommand, Long> added = cluster.addNode();
      op++;
      session.execute(new LedgerCommand.Deposit("acct-0", op, "d-" + op));
      await(
          "the new member to apply everything",
          Duration.ofSeconds(30),
          () -> ClusterTestSupport.appliedCounts(added).size() == 81);
      assertThat(String.valueOf(promoted.runtime().statusFields().get("members")))
          .isEqualTo(List.of(replica.id().value(), added.id().value()).toString());
    }
  }
}
