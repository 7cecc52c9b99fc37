package io.steadfast.runtime.internal.ratis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.util.SizeInBytes;

/**
 * Facts about a stopped node's journal files, read before its engine starts: which indexes they
 * hold, and setting them aside. Also writes the digest file the engine expects beside a checkpoint.
 */
public final class JournalFiles {

  /** The first and last journal index on disk; both -1 if there is no journal. */
  public record Bounds(long first, long last) {}

  private JournalFiles() {}

  /** Reads the bounds of the journal in {@code current} (a group's {@code current} folder). */
  public static Bounds bounds(Path current) throws IOException {
    if (!Files.isDirectory(current)) {
      return new Bounds(-1, -1);
    }
    long first = Long.MAX_VALUE;
    long last = -1;
    for (JournalRepair.Segment segment : JournalRepair.segments(current)) {
      Path file = segment.file();
      if (!segment.open()) {
        first = Math.min(first, segment.start());
        last = Math.max(last, segment.end());
      } else {
        long start = segment.start();
        int count =
            LogSegment.readSegmentFile(
                file.toFile(),
                LogSegmentPath.matchLogSegment(file).getStartEnd(),
                SizeInBytes.valueOf("64MB"),
                RaftServerConfigKeys.Log.CorruptionPolicy.WARN_AND_RETURN,
                null,
                entry -> {});
        first = Math.min(first, start);
        last = Math.max(last, start + count - 1);
      }
    }
    return first == Long.MAX_VALUE ? new Bounds(-1, -1) : new Bounds(first, last);
  }

  /** Moves every journal segment in {@code current} into {@code folder}. */
  public static void setAside(Path current, Path folder) throws IOException {
    for (JournalRepair.Segment segment : JournalRepair.segments(current)) {
      Path file = segment.file();
      Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes the digest file the engine keeps beside a checkpoint. */
  public static void writeDigest(Path checkpoint) {
    MD5FileUtil.computeAndSaveMd5ForFile(checkpoint.toFile());
  }

  /**
   * Whether {@code file} is an open segment with nothing in it. The engine deletes such a file when
   * it reads its name ({@code LogSegmentPath.matchLogSegment}), so callers leave it out rather than
   * read it: it holds no entry.
   */
  static boolean emptyOpenSegment(Path file) {
    return JournalRepair.OPEN.matcher(file.getFileName().toString()).matches()
        && file.toFile().length() == 0;
  }
}
