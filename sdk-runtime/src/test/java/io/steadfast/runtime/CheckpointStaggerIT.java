package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The members of one cluster take their automatic checkpoints a third of the interval apart, not at
 * the same entry: on a shared machine, three writes at once made single commands wait several times
 * longer than one write at a time.
 */
class CheckpointStaggerIT {

  @Test
  void membersCheckpointAtDifferentEntries_andStillAgree() throws Exception {
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(ClusterTestSupport.newChangeLog())
            .checkpointEvery(300)
            .start()) {
      // One command per entry, so every member counts the same commands at the same entries.
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("writer", "clerk"));
      for (int i = 0; i < 400; i++) {
        session.execute(new LedgerCommand.Deposit("acct-" + (i % 5), 1, "w-" + i));
      }
      awaitConvergence(cluster);
      await(
          "a checkpoint on every member",
          Duration.ofSeconds(20),
          () -> cluster.status().stream().allMatch(status -> status.lastCheckpointIndex() > 0));

      Map<String, Long> checkpointedAt = new TreeMap<>();
      for (NodeStatus status : cluster.status()) {
        checkpointedAt.put(status.node().value(), status.lastCheckpointIndex());
      }
      // Before the stagger all three checkpointed at the same entry (about 300 here); now the
      // members start a third of the interval apart.
      assertThat(Map.copyOf(checkpointedAt).values().stream().distinct().count())
          .as("checkpoint indexes %s", checkpointedAt)
          .isEqualTo(3);
    }
  }
}
