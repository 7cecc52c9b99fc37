package io.steadfast.runtime.internal.ratis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

  private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
  private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");

  private JournalFiles() {}

  /** Reads the bounds of the journal in {@code current} (a group's {@code current} folder). */
  public static Bounds bounds(Path current) throws IOException {
    if (!Files.isDirectory(current)) {
      return new Bounds(-1, -1);
    }
    long first = Long.MAX_VALUE;
    long last = -1;
    for (Path file : segments(current)) {
      String name = file.getFileName().toString();
      Matcher closed = CLOSED.matcher(name);
      Matcher open = OPEN.matcher(name);
      if (closed.matches()) {
        first = Math.min(first, Long.parseLong(closed.group(1)));
        last = Math.max(last, Long.parseLong(closed.group(2)));
      } else if (open.matches()) {
        long start = Long.parseLong(open.group(1));
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
    for (Path file : segments(current)) {
      Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes the digest file the engine keeps beside a checkpoint. */
  public static void writeDigest(Path checkpoint) {
    MD5FileUtil.computeAndSaveMd5ForFile(checkpoint.toFile());
  }

  private static List<Path> segments(Path current) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(current)) {
      files
          .filter(
              p ->
                  CLOSED.matcher(p.getFileName().toString()).matches()
                      || OPEN.matcher(p.getFileName().toString()).matches())
          .filter(p -> !emptyOpenSegment(p))
          .forEach(found::add);
    }
    return found;
  }

  /**
   * Whether {@code file} is an open segment with nothing in it. The engine deletes such a file when
   * it reads its name ({@code LogSegmentPath.matchLogSegment}), so callers leave it out rather than
   * read it: it holds no entry.
   */
  static boolean emptyOpenSegment(Path file) {
    return OPEN.matcher(file.getFileName().toString()).matches() && file.toFile().length() == 0;
  }
}
