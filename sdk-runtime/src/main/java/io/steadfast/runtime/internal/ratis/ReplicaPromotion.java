package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.NodeId;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.server.raftlog.segmented.SegmentedRaftLogOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Turns a stopped disaster-recovery replica into the only voting member of its cluster, for when
 * the primary site is lost and no majority is left to change the configuration through Raft. As
 * etcd's {@code --force-new-cluster} does, it appends one configuration entry to the replica's own
 * journal, right after its last entry and in that entry's term, naming the replica alone as a
 * voter. Raft uses the newest configuration in a journal, so the engine starts as the only voter,
 * elects itself, and commits everything its journal holds, the entries it had received but did not
 * yet know to be committed included. Entries the lost primary committed that never reached the
 * replica are lost; they are what the replica lagged behind.
 *
 * <p>Runs before the engine starts, on a journal that {@link JournalRepair} has just checked.
 */
public final class ReplicaPromotion {

  /** The file in a member's storage folder that asks for its promotion at the next start. */
  public static final String MARKER = "PROMOTE-REPLICA";

  private static final Pattern CHECKPOINT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  private ReplicaPromotion() {}

  /** Why a promotion was refused; nothing was changed. */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  /**
   * Promotes the replica whose group folder is {@code group}.
   *
   * @param self this replica's own peer (id, journal address, endpoint), as the new configuration
   *     lists it
   * @return one line saying what was done: the index of the configuration entry and the entries the
   *     journal held
   * @throws RefusedException if the journal's newest configuration does not list {@code self} as a
   *     replica (it is a voter already, or not in the cluster), or it holds nothing to start from
   */
  public static String promote(Path group, RatisEngine.Peer self) throws IOException {
    Path current = group.resolve("current");
    List<JournalRepair.Segment> segments =
        Files.isDirectory(current) ? JournalRepair.segments(current) : List.of();
    LogEntryProto[] newestConfiguration = {readStoredConfiguration(current)};
    long lastIndex = -1;
    long lastTerm = -1;
    long firstIndex = segments.isEmpty() ? -1 : segments.get(0).start();
    JournalRepair.Scan lastScan = null;
    for (JournalRepair.Segment segment : segments) {
      // The journal was checked by JournalRepair just before, so every segment reads whole.
      lastScan =
          JournalRepair.scan(
              segment,
              entry -> {
                LogEntryProto newest = newestConfiguration[0];
                if (entry.hasConfigurationEntry()
                    && (newest == null || entry.getIndex() >= newest.getIndex())) {
                  newestConfiguration[0] = entry;
                }
              });
      if (lastScan.damage() != null) {
        throw new IOException("cannot read " + segment.file() + ": " + lastScan.damage());
      }
      if (lastScan.lastIndex() >= 0) {
        lastIndex = lastScan.lastIndex();
        lastTerm = lastScan.lastTerm();
      }
    }
    LogEntryProto configuration = newestConfiguration[0];
    if (configuration == null) {
      throw new RefusedException(
          self.id() + " holds no configuration: it never joined a cluster, nothing to promote");
    }
    checkIsReplica(configuration.getConfigurationEntry(), self.id());
    if (lastIndex < 0) {
      // The journal was purged up to the newest checkpoint: continue after it.
      long[] checkpoint = newestCheckpoint(group.resolve("sm"));
      if (checkpoint == null) {
        throw new RefusedException(self.id() + " holds neither journal entries nor a checkpoint");
      }
      lastTerm = checkpoint[0];
      lastIndex = checkpoint[1];
    }
    if (!segments.isEmpty() && lastScan != null) {
      JournalRepair.Segment last = segments.get(segments.size() - 1);
      if (last.open()) {
        close(last, lastScan);
      }
    }
    long index = lastIndex + 1;
    LogEntryProto entry =
        LogEntryProto.newBuilder()
            .setTerm(lastTerm)
            .setIndex(index)
            .setConfigurationEntry(
                RaftConfigurationProto.newBuilder().addPeers(peerProto(self)).build())
            .build();
    Path file = current.resolve("log_inprogress_" + index);
    try (SegmentedRaftLogOutputStream out =
        new SegmentedRaftLogOutputStream(
            file.toFile(), false, 8L << 20, 1L << 16, ByteBuffer.allocateDirect(1 << 16))) {
      out.write(entry);
      out.flush();
    }
    return "promoted to the only voting member by a configuration entry at journal index "
        + index
        + " (term "
        + lastTerm
        + "); its journal held entries "
        + (firstIndex < 0 ? "none" : firstIndex + " to " + lastIndex)
        + ", which the new primary commits";
  }

  private static RaftPeerProto peerProto(RatisEngine.Peer self) {
    return self.toRaft().getRaftPeerProto();
  }

  private static void checkIsReplica(RaftConfigurationProto configuration, NodeId self)
      throws RefusedException {
    String id = self.value();
    boolean voter =
        configuration.getPeersList().stream().anyMatch(p -> p.getId().toStringUtf8().equals(id));
    boolean replica =
        configuration.getListenersList().stream()
            .anyMatch(p -> p.getId().toStringUtf8().equals(id));
    if (voter) {
      throw new RefusedException(
          self
              + " is a voting member, not a replica: nothing to promote (a voting member becomes"
              + " primary by election; use switchover)");
    }
    if (!replica) {
      throw new RefusedException(
          self + " is not a replica in the newest configuration its journal holds");
    }
  }

  /** The configuration Ratis stores beside the journal when it installs a checkpoint, if any. */
  private static @Nullable LogEntryProto readStoredConfiguration(Path current) throws IOException {
    Path stored = current.resolve("raft-meta.conf");
    if (!Files.isRegularFile(stored)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(stored)) {
      LogEntryProto entry = LogEntryProto.parseFrom(in);
      return entry.hasConfigurationEntry() ? entry : null;
    }
  }

  private static long @Nullable [] newestCheckpoint(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return null;
    }
    long[] newest = null;
    try (Stream<Path> listing = Files.list(checkpoints)) {
      for (Path file : listing.toList()) {
        Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
        if (m.matches()) {
          long index = Long.parseLong(m.group(2));
          if (newest == null || index > newest[1]) {
            newest = new long[] {Long.parseLong(m.group(1)), index};
          }
        }
      }
    }
    return newest;
  }

  /**
   * Closes the open segment as the engine would: cut after its last sound entry (the rest is the
   * engine's preallocated fill) and renamed to the closed form; removed when it holds no entry.
   */
  private static void close(JournalRepair.Segment open, JournalRepair.Scan scan)
      throws IOException {
    if (scan.lastIndex() < 0) {
      Files.delete(open.file());
      return;
    }
    try (RandomAccessFile file = new RandomAccessFile(open.file().toFile(), "rw")) {
      file.setLength(JournalRepair.HEADER_BYTES + scan.bytes());
      file.getFD().sync();
    }
    Files.move(
        open.file(), open.file().resolveSibling("log_" + open.start() + "-" + scan.lastIndex()));
  }
}
