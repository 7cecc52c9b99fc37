package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.NodeId;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.server.raftlog.segmented.SegmentedRaftLogOutputStream;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedOutputStream;
import org.apache.ratis.util.SizeInBytes;
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

  private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
  private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");
  private static final Pattern CHECKPOINT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final SizeInBytes MAX_ENTRY = SizeInBytes.valueOf("64MB");

  private ReplicaPromotion() {}

  /** Why a promotion was refused; nothing was changed. */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  private record Segment(Path file, long start, boolean open) {}

  private record Scan(long lastIndex, long lastTerm, long soundBytes) {}

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
    List<Segment> segments = segments(current);
    LogEntryProto newestConfiguration = readStoredConfiguration(current);
    long lastIndex = -1;
    long lastTerm = -1;
    long firstIndex = segments.isEmpty() ? -1 : segments.get(0).start();
    for (Segment segment : segments) {
      LogEntryProto[] conf = {null};
      Scan scan = scan(segment, conf);
      if (conf[0] != null
          && (newestConfiguration == null
              || conf[0].getIndex() >= newestConfiguration.getIndex())) {
        newestConfiguration = conf[0];
      }
      if (scan.lastIndex() >= 0) {
        lastIndex = scan.lastIndex();
        lastTerm = scan.lastTerm();
      }
    }
    if (newestConfiguration == null) {
      throw new RefusedException(
          self.id() + " holds no configuration: it never joined a cluster, nothing to promote");
    }
    checkIsReplica(newestConfiguration.getConfigurationEntry(), self.id());
    if (lastIndex < 0) {
      // The journal was purged up to the newest checkpoint: continue after it.
      long[] checkpoint = newestCheckpoint(group.resolve("sm"));
      if (checkpoint == null) {
        throw new RefusedException(self.id() + " holds neither journal entries nor a checkpoint");
      }
      lastTerm = checkpoint[0];
      lastIndex = checkpoint[1];
    }
    if (!segments.isEmpty()) {
      Segment last = segments.get(segments.size() - 1);
      if (last.open()) {
        close(last, scan(last, new LogEntryProto[1]));
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
  private static void close(Segment open, Scan scan) throws IOException {
    if (scan.lastIndex() < 0) {
      Files.delete(open.file());
      return;
    }
    try (RandomAccessFile file = new RandomAccessFile(open.file().toFile(), "rw")) {
      file.setLength(JournalRepair.HEADER_BYTES + scan.soundBytes());
      file.getFD().sync();
    }
    Files.move(
        open.file(), open.file().resolveSibling("log_" + open.start() + "-" + scan.lastIndex()));
  }

  private static Scan scan(Segment segment, LogEntryProto[] newestConfiguration)
      throws IOException {
    long[] last = {-1, -1, 0};
    try {
      LogSegment.readSegmentFile(
          segment.file().toFile(),
          LogSegmentPath.matchLogSegment(segment.file()).getStartEnd(),
          MAX_ENTRY,
          RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION,
          null,
          (LogEntryProto entry) -> {
            int size = entry.getSerializedSize();
            last[2] += size + CodedOutputStream.computeUInt32SizeNoTag(size) + 4L;
            last[0] = entry.getIndex();
            last[1] = entry.getTerm();
            if (entry.hasConfigurationEntry()) {
              newestConfiguration[0] = entry;
            }
          });
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + segment.file() + ": " + e.getMessage(), e);
    }
    return new Scan(last[0], last[1], last[2]);
  }

  private static List<Segment> segments(Path current) throws IOException {
    List<Segment> found = new ArrayList<>();
    if (!Files.isDirectory(current)) {
      return found;
    }
    try (Stream<Path> listing = Files.list(current)) {
      for (Path file : listing.toList()) {
        String name = file.getFileName().toString();
        Matcher closed = CLOSED.matcher(name);
        Matcher open = OPEN.matcher(name);
        if (closed.matches()) {
          found.add(new Segment(file, Long.parseLong(closed.group(1)), false));
        } else if (open.matches()) {
          found.add(new Segment(file, Long.parseLong(open.group(1)), true));
        }
      }
    }
    found.sort(Comparator.comparingLong(Segment::start));
    return found;
  }
}
