package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * When members take their automatic checkpoints: a third of the interval apart, not at the same
 * entry (on a shared machine, three writes at once made single commands wait several times longer
 * than one write at a time), and less often as the state grows (each checkpoint rewrites it all).
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

  /**
   * A ledger whose state grows with every command (each operation's name is kept): checkpoints
   * every 20 commands when the count alone decides; with the default journal ratio, each waits
   * until the journal since the last one is as large as that checkpoint, so a growing state is
   * rewritten less and less often, and the bytes rewritten stay about the bytes journaled.
   */
  @Test
  void aGrowingState_isCheckpointedOnceTheJournalHasGrownByItsSize() throws Exception {
    Written byCount = checkpointsOfAGrowingLedger(0);
    Written byJournal = checkpointsOfAGrowingLedger(1);

    // 600 commands, one per entry, every 20: about 30 checkpoints a member, each of the whole
    // state so far.
    assertThat(byCount.files()).as("checkpoints by count: %s", byCount).isGreaterThan(3 * 20);
    assertThat(byJournal.files())
        .as("checkpoints by count and journal: %s, by count alone: %s", byJournal, byCount)
        .isLessThan(byCount.files() / 2);
    assertThat(byJournal.bytes())
        .as("bytes written by count and journal: %s, by count alone: %s", byJournal, byCount)
        .isLessThan(byCount.bytes() / 3);
  }

  /** How many checkpoint files the three members wrote, and their bytes together. */
  private record Written(long files, long bytes) {}

  private static Written checkpointsOfAGrowingLedger(double journalRatio) throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(ClusterTestSupport.newChangeLog())
            .checkpointEvery(20)
            .checkpointJournalRatio(journalRatio)
            .meterRegistry(meters)
            .start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("writer", "clerk"));
      for (int i = 0; i < 600; i++) {
        session.execute(new LedgerCommand.Deposit("acct-" + i, 1, "operation-number-" + i));
      }
      awaitConvergence(cluster);
      // Each member shows the journal it has applied since its last checkpoint began (one whose
      // checkpoint began at the last entry shows none; the staggered members cannot all have).
      double since = 0;
      for (io.micrometer.core.instrument.Gauge gauge :
          meters.find("steadfast.checkpoint.journal.since").gauges()) {
        since += gauge.value();
      }
      assertThat(meters.find("steadfast.checkpoint.journal.since").gauges()).hasSize(3);
      assertThat(since).as("journal bytes since the members' last checkpoints").isPositive();
    }
    // Counted once the cluster is closed: a write still under way then has been finished or
    // abandoned, so the count no longer changes.
    return written(meters);
  }

  private static Written written(SimpleMeterRegistry meters) {
    long files = 0;
    double bytes = 0;
    for (DistributionSummary summary : meters.find("steadfast.checkpoint.size").summaries()) {
      files += summary.count();
      bytes += summary.totalAmount();
    }
    return new Written(files, (long) bytes);
  }
}
