package io.steadfast.benchmarks.scenario;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How long a member takes to be repaired from its peers, for checkpoints of 1, 10 and 100 MB (or
 * the sizes given as arguments, in MB). A three-member cluster holds that much application state
 * (64 KiB blobs), with two checkpoints taken so that the journal before the first is purged. Then,
 * for each size:
 *
 * <ol>
 *   <li><b>wiped</b>: a backup is stopped, its storage deleted, and started again: the primary
 *       sends it everything over Raft (its newest checkpoint when the journal before it was purged,
 *       which the engine does only 1,024 entries past a checkpoint, else the whole journal);
 *   <li><b>damaged checkpoint</b>: a backup is stopped, 16 bytes of its newest checkpoint flipped,
 *       and started again: it sets the file aside at start and fetches a sound one from a peer over
 *       HTTP before its engine starts.
 * </ol>
 *
 * Each time is from the start call until the member's applied index reaches the primary's. Run:
 * {@code java -Xmx6g -cp benchmarks/target/benchmarks.jar
 * io.steadfast.benchmarks.scenario.PeerRepairScenario 1 10 100}.
 */
public final class PeerRepairScenario {

  private static final int BLOB = 64 * 1024;

  private PeerRepairScenario() {}

  /** Holds blobs; each command is one blob, answered with the count held. */
  static final class Blobs implements ResilientApplication<byte[], Long> {
    private final List<byte[]> blobs = new ArrayList<>();

    @Override
    public Long apply(byte[] command, ApplyContext context) {
      blobs.add(command);
      return (long) blobs.size();
    }

    @Override
    public void checkpoint(CheckpointWriter out) throws IOException {
      out.writeInt(blobs.size());
      for (byte[] blob : blobs) {
        out.writeBytes(blob);
      }
    }

    @Override
    public void restore(CheckpointReader in) throws IOException {
      blobs.clear();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        blobs.add(in.readBytes());
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    List<Integer> sizes = new ArrayList<>();
    for (String arg : args) {
      sizes.add(Integer.parseInt(arg));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1, 10, 100);
    }
    System.out.println("size_mb,checkpoint_bytes,wiped_ms,damaged_checkpoint_ms,digests_match");
    for (int megabytes : sizes) {
      measure(megabytes);
    }
  }

  private static void measure(int megabytes) throws Exception {
    int blobs = megabytes * 1024 * 1024 / BLOB;
    try (EmbeddedCluster<byte[], Long> cluster =
        EmbeddedCluster.<byte[], Long>builder()
            .nodes(3)
            .application(Blobs::new)
            .codec(CounterApplication.CODEC)
            .permitUnannotatedCommands()
            .checkpointEvery(Math.max(1, blobs / 2))
            .verifyStorageEvery(Duration.ZERO)
            .requestDeadline(Duration.ofSeconds(60))
            .start()) {
      Session<byte[], Long> session = cluster.client().openSession(Principal.of("filler"));
      for (int i = 0; i < blobs + 2; i++) {
        byte[] blob = new byte[BLOB];
        for (int j = 0; j < blob.length; j += 8) {
          blob[j] = (byte) (i + j);
        }
        session.execute(blob);
      }
      SteadfastNode<byte[], Long> primary = cluster.primary();
      awaitCheckpoints(cluster, blobs);
      var victim =
          cluster.ids().stream().filter(id -> !id.equals(primary.id())).findFirst().orElseThrow();
      Path storage = cluster.storage().resolve(victim.value());
      long checkpointBytes = Files.size(newestCheckpoint(storage));

      cluster.stop(victim);
      deleteTree(storage);
      long wiped = restartAndCatchUp(cluster, victim);

      cluster.stop(victim);
      Path newest = newestCheckpoint(storage);
      try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
        long at = file.length() / 2;
        for (int i = 0; i < 16; i++) {
          file.seek(at + i);
          int b = file.read();
          file.seek(at + i);
          file.write(b ^ 0x5A);
        }
      }
      long damaged = restartAndCatchUp(cluster, victim);
      boolean match =
          cluster.node(victim).audit().digest().sha256().equals(primary.audit().digest().sha256());
      System.out.printf("%d,%d,%d,%d,%s%n", megabytes, checkpointBytes, wiped, damaged, match);
    }
  }

  private static void awaitCheckpoints(EmbeddedCluster<byte[], Long> cluster, int blobs) {
    long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < end) {
      boolean all = true;
      for (NodeStatus status : cluster.status()) {
        all &= status.lastCheckpointIndex() >= blobs / 2 + 1;
      }
      if (all) {
        return;
      }
      Polling.sleepMillis(50);
    }
    throw new IllegalStateException("no second checkpoint on every member: " + cluster.status());
  }

  private static long restartAndCatchUp(
      EmbeddedCluster<byte[], Long> cluster, io.steadfast.api.NodeId victim) {
    long goal = cluster.primary().status().appliedIndex();
    long start = System.nanoTime();
    SteadfastNode<byte[], Long> node = cluster.restart(victim);
    Polling.await(
        "caught up", Duration.ofMinutes(5), 1, () -> node.status().appliedIndex() >= goal);
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static Path newestCheckpoint(Path storage) throws IOException {
    try (Stream<Path> files = Files.walk(storage)) {
      return files
          .filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
          .max(
              Comparator.comparingLong(
                  p -> {
                    String name = p.getFileName().toString();
                    return Long.parseLong(name.substring(name.indexOf('_') + 1));
                  }))
          .orElseThrow(() -> new IllegalStateException("no checkpoint in " + storage));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
