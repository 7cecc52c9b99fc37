package io.steadfast.runtime.internal.ratis;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedOutputStream;
import org.apache.ratis.util.SizeInBytes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a stopped node's journal and vote record before its engine starts, and repairs what can be
 * repaired without guessing. Every segment is read entry by entry with its checksums; at the first
 * damage (an entry that fails its checksum or cannot be parsed, bytes after the end marker, a
 * closed segment with fewer entries than its name says, a missing segment between two others, an
 * unreadable header) the journal is cut after the last sound entry: the damaged segment is copied
 * to the quarantine folder and truncated there, and every later segment is moved to the quarantine.
 * What was cut is fetched again from the primary when the engine starts, as any lagging backup's
 * tail is. An unreadable or missing vote record beside a journal is replaced by one at the last
 * term in the journal, voted for nobody (the original is kept in the quarantine).
 *
 * <p>Repairing is only half the decision: the caller must make sure the entries cut are held by
 * someone else before the node takes part in elections (see {@code NodeRuntime}).
 */
public final class JournalRepair {

  private static final Logger LOG = LoggerFactory.getLogger(JournalRepair.class);

  /** The names of the engine's closed and open (in progress) journal segment files. */
  static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");

  static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");
  private static final Pattern CHECKPOINT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final SizeInBytes MAX_ENTRY = SizeInBytes.valueOf("64MB");

  /** Length of the segment header Ratis writes ({@code RaftLog1}). */
  static final int HEADER_BYTES = 8;

  /** The file name of the engine's vote record (term and vote) beside the journal. */
  static final String VOTE_RECORD = "raft-meta";

  /**
   * What was repaired.
   *
   * @param what one line per repair, naming the file and the damage
   * @param lastSound the index of the last journal entry kept, or -1 if none
   * @param lastClaimed the highest index the damaged journal claimed to hold (from segment names),
   *     or -1 when the damage was in the open segment and its end is unknown
   * @param journalCut whether journal entries were cut (they must be fetched again)
   */
  public record Report(List<String> what, long lastSound, long lastClaimed, boolean journalCut) {
    /** Whether anything was repaired. */
    public boolean repaired() {
      return !what.isEmpty();
    }
  }

  /** A journal segment file: its first index, its last (-1 while open), and whether it is open. */
  record Segment(Path file, long start, long end, boolean open) {}

  /**
   * What reading a segment found: its sound entries, their bytes after the header, the last sound
   * entry's index (-1 if none) and term, and the damage that stopped the reading, if any.
   */
  record Scan(int entries, long bytes, long lastIndex, long lastTerm, @Nullable String damage) {}

  private JournalRepair() {}

  /**
   * Checks and repairs the journal and vote record in {@code current} (a group's {@code current}
   * folder). {@code quarantine} is called at most once, when something must be kept aside.
   */
  public static Report repair(Path current, Supplier<Path> quarantine) throws IOException {
    List<String> what = new ArrayList<>();
    if (!Files.isDirectory(current)) {
      return new Report(what, -1, -1, false);
    }
    Path[] aside = new Path[1];
    Supplier<Path> folder =
        () -> {
          if (aside[0] == null) {
            aside[0] = quarantine.get();
          }
          return aside[0];
        };
    List<Segment> segments = segments(current);
    long lastSound = -1;
    long lastTerm = 0;
    long lastClaimed = -1;
    boolean cut = false;
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      String name = segment.file().getFileName().toString();
      String damage = null;
      Scan scan = null;
      if (lastSound >= 0 && segment.start() != lastSound + 1) {
        damage =
            "journal entries "
                + (lastSound + 1)
                + " to "
                + (segment.start() - 1)
                + " are missing (no segment file holds them)";
      } else if (segment.open() && i != segments.size() - 1) {
        damage = "an open segment is followed by another segment";
      } else {
        scan = scan(segment);
        damage = scan.damage();
        if (damage == null && segment.open() && tornAfter(segment.file(), scan.bytes())) {
          // The engine drops a torn last entry by itself, but the primary may count the entries
          // before it as held here; treated as a cut, so that the primary asks afresh.
          damage = "a torn entry after " + scan.entries() + " sound entries";
        }
        if (damage == null) {
          damage = shortfall(segment, scan);
        }
      }
      if (damage == null && scan != null) {
        lastSound = segment.open() ? segment.start() + scan.entries() - 1 : segment.end();
        lastTerm = scan.entries() > 0 ? scan.lastTerm() : lastTerm;
        continue;
      }
      // Cut here: what this segment holds before the damage stays, the rest goes aside.
      cut = true;
      lastClaimed = claimed(segments.subList(i, segments.size()));
      Path kept = folder.get();
      if (scan != null && scan.entries() > 0) {
        Files.copy(segment.file(), kept.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile file = new RandomAccessFile(segment.file().toFile(), "rw")) {
          file.setLength(HEADER_BYTES + scan.bytes());
          file.getFD().sync();
        }
        if (!segment.open()) {
          // The tail of the journal is open: the engine appends to it again.
          Files.move(segment.file(), current.resolve("log_inprogress_" + segment.start()));
        }
        lastSound = segment.start() + scan.entries() - 1;
        lastTerm = scan.lastTerm();
      } else {
        Files.move(segment.file(), kept.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
      moveAll(segments.subList(i + 1, segments.size()), kept);
      String line =
          "journal segment "
              + name
              + ": "
              + damage
              + "; cut after entry "
              + lastSound
              + (lastClaimed >= 0 ? " (it claimed entries up to " + lastClaimed + ")" : "")
              + "; the damaged files are kept in "
              + kept;
      LOG.error("{}", line);
      what.add(line);
      break;
    }
    String vote = checkVoteRecord(current, segments.isEmpty() ? -1 : lastSound, lastTerm, folder);
    if (vote != null) {
      what.add(vote);
    }
    return new Report(List.copyOf(what), lastSound, lastClaimed, cut);
  }

  /**
   * Replaces a vote record that is missing beside a journal, or unreadable, by one at the journal's
   * last term voted for nobody.
   *
   * @return the line describing the repair, or null if none was needed
   */
  private static @Nullable String checkVoteRecord(
      Path current, long lastSound, long lastTerm, Supplier<Path> folder) throws IOException {
    Path record = current.resolve(VOTE_RECORD);
    String problem = null;
    if (!Files.exists(record)) {
      if (lastSound < 0) {
        return null;
      }
      problem = "is missing beside a journal";
    } else {
      try (Reader in = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
        Properties properties = new Properties();
        properties.load(in);
        String term = properties.getProperty("term");
        String votedFor = properties.getProperty("votedFor");
        if (term == null || votedFor == null) {
          problem = "lacks its term or vote";
        } else if (Long.parseLong(term.trim()) < 0) {
          problem = "holds a negative term";
        }
      } catch (IOException | IllegalArgumentException e) {
        problem = "is unreadable (" + e.getMessage() + ")";
      }
    }
    if (problem == null) {
      return null;
    }
    Path kept = folder.get();
    if (Files.exists(record)) {
      Files.move(record, kept.resolve(VOTE_RECORD), StandardCopyOption.REPLACE_EXISTING);
    }
    Properties fresh = new Properties();
    fresh.setProperty("term", Long.toString(lastTerm));
    fresh.setProperty("votedFor", "");
    Path written = current.resolve(VOTE_RECORD + ".repair");
    try (var out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
      fresh.store(out, "rewritten by steadfast journal repair");
    }
    Files.move(written, record, StandardCopyOption.ATOMIC_MOVE);
    String line =
        "vote record "
            + record
            + " "
            + problem
            + "; rewritten at term "
            + lastTerm
            + " (the journal's last), voted for nobody; the old one is kept in "
            + kept;
    LOG.error("{}", line);
    return line;
  }

  /**
   * After a cut, the newest checkpoint may reach beyond the journal's last sound entry; the engine
   * cannot continue a journal from before its checkpoint, and every entry that journal holds is in
   * the checkpoint anyway, so the journal is moved to the quarantine.
   *
   * @return the line describing the repair, or null if none was needed
   */
  public static @Nullable String setAsideIfBehindCheckpoint(
      Path group, long lastSound, Supplier<Path> quarantine) throws IOException {
    Path checkpoints = group.resolve("sm");
    long newest = -1;
    if (Files.isDirectory(checkpoints)) {
      try (Stream<Path> files = Files.list(checkpoints)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
          if (m.matches()) {
            newest = Math.max(newest, Long.parseLong(m.group(2)));
          }
        }
      }
    }
    Path current = group.resolve("current");
    if (newest <= lastSound || !Files.isDirectory(current)) {
      return null;
    }
    List<Segment> segments = segments(current);
    if (segments.isEmpty()) {
      return null;
    }
    Path kept = quarantine.get();
    moveAll(segments, kept);
    String line =
        "journal ending at "
            + lastSound
            + " after the cut lies wholly inside checkpoint "
            + newest
            + "; set aside in "
            + kept;
    LOG.warn("{}", line);
    return line;
  }

  /**
   * Verifies the closed segments in {@code current} without changing anything (a running node's
   * scrub). A segment removed while it is read (the engine purged it) is skipped.
   *
   * @return one line per damaged segment, naming it and the damage; empty when all are sound
   */
  public static List<String> verifyClosed(Path current) throws IOException {
    List<String> damaged = new ArrayList<>();
    if (!Files.isDirectory(current)) {
      return damaged;
    }
    for (Segment segment : segments(current)) {
      if (segment.open() || !Files.exists(segment.file())) {
        continue;
      }
      Scan scan = scan(segment);
      if (!Files.exists(segment.file())) {
        continue;
      }
      String damage = scan.damage() != null ? scan.damage() : shortfall(segment, scan);
      if (damage != null) {
        damaged.add("journal segment " + segment.file().getFileName() + ": " + damage);
      }
    }
    return damaged;
  }

  /** A closed segment that holds fewer entries than its name promises; null otherwise. */
  private static @Nullable String shortfall(Segment segment, Scan scan) {
    long promised = segment.end() - segment.start() + 1;
    if (segment.open() || scan.entries() == promised) {
      return null;
    }
    return "holds " + scan.entries() + " entries where its name promises " + promised;
  }

  private static void moveAll(List<Segment> segments, Path folder) throws IOException {
    for (Segment segment : segments) {
      Files.move(
          segment.file(),
          folder.resolve(segment.file().getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static long claimed(List<Segment> rest) {
    long claimed = -1;
    for (Segment s : rest) {
      if (s.open()) {
        return -1;
      }
      claimed = Math.max(claimed, s.end());
    }
    return claimed;
  }

  /** Whether bytes other than the zero padding follow the sound entries of an open segment. */
  private static boolean tornAfter(Path file, long soundBytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long at = HEADER_BYTES + soundBytes;
      byte[] chunk = new byte[8192];
      while (at < raf.length()) {
        raf.seek(at);
        int read = raf.read(chunk);
        if (read <= 0) {
          return false;
        }
        for (int i = 0; i < read; i++) {
          if (chunk[i] != 0) {
            return true;
          }
        }
        at += read;
      }
      return false;
    }
  }

  /** Reads a segment entry by entry; the damage, if any, with the sound prefix before it. */
  private static Scan scan(Segment segment) {
    return scan(segment, entry -> {});
  }

  /** Reads {@code segment} entry by entry, showing each sound entry to {@code seen}. */
  static Scan scan(Segment segment, java.util.function.Consumer<LogEntryProto> seen) {
    int[] entries = new int[1];
    long[] bytes = new long[1];
    long[] last = {-1, 0};
    String damage = null;
    try {
      LogSegment.readSegmentFile(
          segment.file().toFile(),
          LogSegmentPath.matchLogSegment(segment.file()).getStartEnd(),
          MAX_ENTRY,
          RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION,
          null,
          (LogEntryProto entry) -> {
            if (entry.getIndex() != segment.start() + entries[0]) {
              throw new IllegalStateException(
                  "entry "
                      + entry.getIndex()
                      + " where "
                      + (segment.start() + entries[0])
                      + " was due");
            }
            int size = entry.getSerializedSize();
            bytes[0] += size + CodedOutputStream.computeUInt32SizeNoTag(size) + 4L;
            entries[0]++;
            last[0] = entry.getIndex();
            last[1] = entry.getTerm();
            seen.accept(entry);
          });
    } catch (IOException | RuntimeException e) {
      damage = "unreadable after " + entries[0] + " sound entries (" + e.getMessage() + ")";
    }
    return new Scan(entries[0], bytes[0], last[0], last[1], damage);
  }

  /**
   * The segment files in {@code current}, by first index. An empty open segment is left out: the
   * engine creates the next segment's file before it writes to it, so a process killed in between
   * leaves one, and the engine deletes it at start (as a side effect of reading its name). Counted
   * here, it was read as damage and set aside after the engine had deleted it, and the member
   * refused to start (a system test, 2026-12-07).
   */
  static List<Segment> segments(Path current) throws IOException {
    List<Segment> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(current)) {
      files
          .filter(file -> !JournalFiles.emptyOpenSegment(file))
          .forEach(
              file -> {
                String name = file.getFileName().toString();
                Matcher closed = CLOSED.matcher(name);
                Matcher open = OPEN.matcher(name);
                if (closed.matches()) {
                  found.add(
                      new Segment(
                          file,
                          Long.parseLong(closed.group(1)),
                          Long.parseLong(closed.group(2)),
                          false));
                } else if (open.matches()) {
                  found.add(new Segment(file, Long.parseLong(open.group(1)), -1, true));
                }
              });
    }
    found.sort(Comparator.comparingLong(Segment::start));
    return found;
  }
}
