package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.internal.ratis.JournalFiles;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Restart from disk, catch-up by checkpoint install, and refusal of damaged checkpoints. */
class RecoveryIT {

  @Test
  void nodeDownWhileLogPassesTwoCheckpoints_installsCheckpointAndMatchesPrimary() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .checkpointEvery(100)
            .checkpointJournalRatio(0)
            .segmentSize(64 * 1024)
            .start()) {
      write(cluster, "warm", 150);
      awaitConvergence(cluster);
      NodeId lagging = backupOf(cluster);
      cluster.stop(lagging);
      long checkpointBefore = cluster.primary().status().lastCheckpointIndex();
      write(cluster, "lag", 1500);
      assertThat(cluster.primary().status().lastCheckpointIndex())
          .as("log moved past at least two checkpoints")
          .isGreaterThanOrEqualTo(checkpointBefore + 200);

      // The journals must have been purged past what the lagging node holds, or it catches up from
      // the journal and no checkpoint is sent. Ratis purges only closed segments, and only once the
      // purge point moved 1,024 entries, after a checkpoint: how many commands that takes depends
      // on
      // entry sizes, so write on until it has happened.
      long needed = JournalFiles.bounds(current(cluster, lagging)).last() + 1;
      int more = 0;
      while (!purgedPast(cluster, lagging, needed)) {
        assertThat(more)
            .as("commands written after the lag without the journals being purged past " + needed)
            .isLessThan(6000);
        write(cluster, "more-" + more, 300);
        more += 300;
      }

      cluster.restart(lagging);
      await(
          "REJOIN by checkpoint install on " + lagging,
          Duration.ofSeconds(60),
          () ->
              changes.stream()
                  .anyMatch(
                      c -> c.node().equals(lagging) && c.reason() == RoleChange.Reason.REJOIN));
      awaitConvergence(cluster);
    }
  }

  @Test
  void checkpointWrittenInTheBackground_doesNotStopApply_andANodeRestartsFromIt() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    CountDownLatch gate = new CountDownLatch(1);
    LedgerApplication.frozenWriteGate = gate;
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .checkpointEvery(100)
            .checkpointJournalRatio(0)
            .segmentSize(64 * 1024)
            .start()) {
      // Every frozen write now waits at the gate: commands must still be acknowledged meanwhile.
      write(cluster, "held", 450);
      assertThat(cluster.status())
          .allSatisfy(
              status ->
                  assertThat(status.lastCheckpointIndex())
                      .as("no checkpoint can finish while held")
                      .isEqualTo(-1));
      gate.countDown();
      awaitConvergence(cluster);
      await(
          "checkpoints on every node",
          Duration.ofSeconds(30),
          () -> cluster.status().stream().allMatch(status -> status.lastCheckpointIndex() > 0));

      NodeId victim = backupOf(cluster);
      long checkpoint = cluster.node(victim).status().lastCheckpointIndex();
      cluster.stop(victim);
      SteadfastNode<LedgerCommand, Long> restarted = cluster.restart(victim);
      assertThat(restarted.status().lastCheckpointIndex())
          .as("restarted from the checkpoint written in the background")
          .isGreaterThanOrEqualTo(checkpoint);
      assertThat(restarted.status().recoveredFrom()).isEmpty();
      write(cluster, "after", 50);
      awaitConvergence(cluster);
    } finally {
      LedgerApplication.frozenWriteGate = null;
    }
  }

  @Test
  void flippedByte_inStoredCheckpoint_isRefusedByName_andNodeRecoversFromPeerCheckpoint()
      throws Exception {
    damagedCheckpointIsRefused(
        file -> {
          try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x40);
          }
        },
        "corrupt");
  }

  @Test
  void truncatedCheckpoint_isRefusedByName_andNodeRecoversFromPeerCheckpoint() throws Exception {
    damagedCheckpointIsRefused(
        file -> {
          try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 7);
          }
        },
        "corrupt");
  }

  @Test
  void zeroFilledPage_inStoredCheckpoint_isRefusedByName_andNodeRecoversFromPeerCheckpoint()
      throws Exception {
    damagedCheckpointIsRefused(
        file -> {
          try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(Math.max(64, raf.length() / 2 - 2048));
            raf.write(new byte[4096]);
          }
        },
        "corrupt");
  }

  @Test
  void missingNewestCheckpoint_nodeStartsFromTheOlderOneAndTheJournal() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .checkpointEvery(100)
            .checkpointJournalRatio(0)
            .segmentSize(64 * 1024)
            .start()) {
      NodeId victim = stopBackupWithCheckpoint(cluster);
      Path newest = newestCheckpoint(cluster.storage().resolve(victim.value()));
      Files.delete(newest);
      Files.deleteIfExists(newest.resolveSibling(newest.getFileName() + ".md5"));

      cluster.restart(victim);
      write(cluster, "after", 300);
      awaitConvergence(cluster);
    }
  }

  private interface Damage {
    void apply(Path file) throws IOException;
  }

  private void damagedCheckpointIsRefused(Damage damage, String problem) throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .checkpointEvery(100)
            .checkpointJournalRatio(0)
            .segmentSize(64 * 1024)
            .start()) {
      NodeId victim = stopBackupWithCheckpoint(cluster);
      Path newest = newestCheckpoint(cluster.storage().resolve(victim.value()));
      damage.apply(newest);

      SteadfastNode<LedgerCommand, Long> restarted = cluster.restart(victim);
      write(cluster, "after", 300);
      assertThat(restarted.status().recoveredFrom())
          .get()
          .asString()
          .contains(newest.getFileName().toString())
          .contains(problem)
          .containsPattern("recovered from checkpoint snapshot\\.\\d+_\\d+ from n[123]");
      assertThat(restarted.status().recoveredFrom())
          .get()
          .asString()
          .doesNotContain("from " + victim + " ");
      awaitConvergence(cluster);
    }
  }

  /** Writes 400 commands, waits for a backup's checkpoint, and stops that backup. */
  private static NodeId stopBackupWithCheckpoint(EmbeddedCluster<LedgerCommand, Long> cluster) {
    write(cluster, "before", 400);
    awaitConvergence(cluster);
    NodeId victim = backupOf(cluster);
    await(
        "victim has a checkpoint",
        Duration.ofSeconds(30),
        () -> cluster.node(victim).status().lastCheckpointIndex() > 0);
    cluster.stop(victim);
    return victim;
  }

  private static Path newestCheckpoint(Path nodeStorage) throws IOException {
    try (Stream<Path> files = Files.walk(nodeStorage)) {
      return files
          .filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
          .max((a, b) -> Long.compare(index(a), index(b)))
          .orElseThrow(() -> new AssertionError("no checkpoint under " + nodeStorage));
    }
  }

  private static long index(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(name.indexOf('_') + 1));
  }

  /** A node's journal folder (the group's {@code current}). */
  private static Path current(EmbeddedCluster<LedgerCommand, Long> cluster, NodeId id) {
    try (Stream<Path> files = Files.walk(cluster.storage().resolve(id.value()))) {
      return files
          .filter(p -> p.getFileName().toString().equals("current") && Files.isDirectory(p))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no journal folder for " + id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether every node but {@code lagging} has purged its journal past {@code index}. */
  private static boolean purgedPast(
      EmbeddedCluster<LedgerCommand, Long> cluster, NodeId lagging, long index) {
    return cluster.ids().stream()
        .filter(id -> !id.equals(lagging))
        .allMatch(id -> firstJournalIndex(cluster, id) > index);
  }

  /** The first index of a running node's journal, from its segment names only. */
  private static long firstJournalIndex(EmbeddedCluster<LedgerCommand, Long> cluster, NodeId id) {
    try (Stream<Path> files = Files.list(current(cluster, id))) {
      return files
          .map(p -> p.getFileName().toString())
          .map(JOURNAL_SEGMENT::matcher)
          .filter(Matcher::matches)
          .mapToLong(m -> Long.parseLong(m.group(1)))
          .min()
          .orElse(Long.MAX_VALUE);
    } catch (IOException e) {
      // A segment renamed or purged while listed: look again on the next poll.
      return -1;
    }
  }

  private static final Pattern JOURNAL_SEGMENT =
      Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

  private static NodeId backupOf(EmbeddedCluster<LedgerCommand, Long> cluster) {
    NodeId primary = cluster.primary().id();
    return cluster.ids().stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
  }

  private static void write(
      EmbeddedCluster<LedgerCommand, Long> cluster, String prefix, int count) {
    Session<LedgerCommand, Long> session =
        cluster.client().openSession(Principal.of(prefix + "-writer", "clerk"));
    for (int i = 0; i < count; i++) {
      session.execute(new LedgerCommand.Deposit("acct-" + (i % 5), 1, prefix + "-" + i));
    }
  }
}
