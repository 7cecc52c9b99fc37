package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade of the application: members get new code one by one while serving, the new
 * command type is refused until the finalize, the finalize is refused while a member runs old code,
 * and the active version, once finalized, is journaled and survives a restart from a checkpoint.
 */
class UpgradeIT {

  @AfterEach
  void oldCodeAgain() {
    LedgerApplication.CODE_VERSION.set(1);
  }

  @Test
  void aRollingUpgrade_isFinalizedOnlyOnceEveryMemberRunsTheNewCode() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    LedgerApplication.CODE_VERSION.set(1);
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .checkpointEvery(10)
            .checkpointJournalRatio(0)
            .start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("upgrader", "clerk"));
      assertThat(session.execute(new LedgerCommand.Deposit("acct", 100, "u-1"))).isEqualTo(100L);
      assertThatThrownBy(() -> session.execute(new LedgerCommand.Interest("acct", 10, "i-0")))
          .isInstanceOf(MalformedCommandException.class)
          .hasMessageContaining("needs application version 2")
          .hasMessageContaining("runs version 1");

      // New code on the backups first, then a switchover, then the old primary.
      LedgerApplication.CODE_VERSION.set(2);
      NodeId firstPrimary = cluster.primary().id();
      for (NodeId backup : cluster.ids()) {
        if (!backup.equals(firstPrimary)) {
          cluster.stop(backup);
          cluster.restart(backup);
          session.execute(new LedgerCommand.Deposit("acct", 1, "u-" + backup.value()));
        }
      }
      assertThatThrownBy(() -> cluster.primary().finalizeVersion(2))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(firstPrimary + "=its code supports version 1");
      NodeId next = cluster.ids().stream().filter(n -> !n.equals(firstPrimary)).findFirst().get();
      cluster.switchover(next);
      cluster.stop(firstPrimary);
      cluster.restart(firstPrimary);
      // Still behaving as version 1 although every member runs version 2's code.
      assertThatThrownBy(() -> session.execute(new LedgerCommand.Interest("acct", 10, "i-1")))
          .isInstanceOf(MalformedCommandException.class);

      assertThat(cluster.primary().finalizeVersion(2)).isEqualTo(2);
      assertThat(session.execute(new LedgerCommand.Interest("acct", 10, "i-2"))).isEqualTo(112L);
      await(
          "every member at active version 2",
          Duration.ofSeconds(20),
          () ->
              cluster.nodes().stream()
                  .allMatch(n -> n.runtime().statusFields().get("activeVersion").equals(2)));
      assertThat(cluster.primary().finalizeVersion(1)).as("never lowered").isEqualTo(2);

      // A member restarted from a checkpoint taken after the finalize keeps version 2.
      for (int i = 0; i < 12; i++) {
        session.execute(new LedgerCommand.Deposit("acct", 1, "after-" + i));
      }
      NodeId backup =
          cluster.ids().stream().filter(n -> !cluster.node(n).isPrimary()).findFirst().get();
      await(
          "a checkpoint after the finalize",
          Duration.ofSeconds(20),
          () -> cluster.node(backup).status().lastCheckpointIndex() > 0);
      cluster.crash(backup);
      cluster.restart(backup);
      await(
          "the restarted member at active version 2",
          Duration.ofSeconds(20),
          () -> cluster.node(backup).runtime().statusFields().get("activeVersion").equals(2));
      awaitConvergence(cluster);
    }
  }

  @Test
  void aMemberWithOldCode_stopsAtTheFinalize_ratherThanDiverging() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    LedgerApplication.CODE_VERSION.set(2);
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("upgrader", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 100, "o-1"));
      cluster.primary().finalizeVersion(2);
      NodeId primary = cluster.primary().id();
      NodeId downgraded = cluster.ids().stream().filter(n -> !n.equals(primary)).findFirst().get();
      // The member is restarted with old code (a botched deployment): replaying the journal it
      // meets the finalize it cannot honour, and stops instead of applying differently.
      cluster.stop(downgraded);
      LedgerApplication.CODE_VERSION.set(1);
      SteadfastNode<LedgerCommand, Long> old = cluster.restart(downgraded);
      await("the old-code member to stop", Duration.ofSeconds(20), old::stopped);
      assertThat(session.execute(new LedgerCommand.Interest("acct", 10, "o-2"))).isEqualTo(110L);
    }
  }
}
