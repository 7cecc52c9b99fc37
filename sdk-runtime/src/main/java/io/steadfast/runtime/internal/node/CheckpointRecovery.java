package io.steadfast.runtime.internal.node;

import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.ratis.JournalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a node's checkpoints before the engine starts, newest first. A checkpoint that fails its
 * check is never restored: it is moved to a quarantine folder, and the node fetches a sound
 * checkpoint from a peer (when peers' endpoints are known and the journal here continues from it).
 * Failing that, it starts from its newest sound older checkpoint and replays the journal after it
 * (the journal is kept long enough to reach back to the previous checkpoint). If no sound
 * checkpoint is left, the journal is set aside too and the primary installs a checkpoint; the vote
 * record ({@code raft-meta}) is always kept, so the node cannot vote twice in one term.
 */
public final class CheckpointRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRecovery.class);
  private static final Pattern CHECKPOINT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  private CheckpointRecovery() {}

  /**
   * Verifies the newest checkpoint under {@code groupDirectory}.
   *
   * @return a description of the refused checkpoint, or null if it is sound or there is none
   */
  public static @Nullable String checkNewest(
      Path groupDirectory, int maxApplicationVersion, Path storage, @Nullable PeerCheckpoints peers)
      throws IOException {
    Path checkpoints = groupDirectory.resolve("sm");
    if (!Files.isDirectory(checkpoints)) {
      return null;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(checkpoints)) {
      listing
          .filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
          .forEach(files::add);
    }
    if (files.isEmpty()) {
      return null;
    }
    files.sort(Comparator.comparingLong(CheckpointRecovery::indexOf).reversed());
    String refusal = null;
    Path folder = null;
    for (Path candidate : files) {
      try {
        CheckpointFile.verify(candidate, maxApplicationVersion);
        if (refusal != null) {
          LOG.warn(
              "recovering from the older checkpoint {} and the journal after it",
              candidate.getFileName());
        }
        return refusal;
      } catch (CheckpointException refused) {
        LOG.error("{}; the node sets it aside and does not restore it", refused.getMessage());
        folder = folder == null ? newQuarantine(storage) : folder;
        moveAll(
            checkpoints,
            folder,
            name ->
                name.equals(candidate.getFileName().toString())
                    || name.equals(candidate.getFileName() + ".md5"));
        if (refusal == null) {
          refusal = refused.getMessage();
          Optional<String> fetched =
              peers == null
                  ? Optional.empty()
                  : peers.fetchInto(groupDirectory, maxApplicationVersion, false);
          if (fetched.isPresent()) {
            LOG.warn("recovering from checkpoint {} instead", fetched.get());
            return refusal + "; recovered from checkpoint " + fetched.get();
          }
        }
      }
    }
    // No sound checkpoint is left. A journal that still reaches back to the first entry rebuilds
    // the state by itself.
    JournalFiles.Bounds journal = JournalFiles.bounds(groupDirectory.resolve("current"));
    if (journal.first() >= 0 && journal.first() <= 1) {
      LOG.warn(
          "no sound checkpoint left; the journal reaches back to its first entry, so the node"
              + " rebuilds its state by replaying all of it");
      return refusal + "; recovered by replaying the whole journal";
    }
    // Last resort: a peer's checkpoint beyond the end of this journal, with the journal set aside.
    // The engine then needs the leader to send from the checkpoint on, which a leader that still
    // remembers this node's old position may only do after its next election.
    Optional<String> beyond =
        peers == null
            ? Optional.empty()
            : peers.fetchInto(groupDirectory, maxApplicationVersion, true);
    if (beyond.isPresent()) {
      LOG.warn("recovering from checkpoint {}; the journal here was set aside", beyond.get());
      return refusal + "; recovered from checkpoint " + beyond.get();
    }
    LOG.error(
        "no sound checkpoint left and no peer could help; the node discards its journal and"
            + " waits for the primary to install a checkpoint");
    // Every candidate was refused, so the quarantine folder exists; created here if not.
    moveAll(
        groupDirectory.resolve("current"),
        folder == null ? newQuarantine(storage) : folder,
        name -> name.startsWith("log_"));
    return refusal;
  }

  private static long indexOf(Path file) {
    Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  /**
   * A new numbered folder under {@code storage/quarantine} for files set aside by a repair; they
   * are kept for the operator to examine, never read again by the node.
   */
  public static Path newQuarantine(Path storage) {
    Path target = storage.resolve("quarantine");
    int n = 1;
    while (Files.exists(target.resolve(String.valueOf(n)))) {
      n++;
    }
    try {
      return Files.createDirectories(target.resolve(String.valueOf(n)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create a quarantine folder in " + target, e);
    }
  }

  private interface NameFilter {
    boolean accept(String name);
  }

  private static void moveAll(Path from, Path to, NameFilter filter) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    List<Path> moving = new ArrayList<>();
    try (Stream<Path> listing = Files.list(from)) {
      listing.filter(p -> filter.accept(p.getFileName().toString())).forEach(moving::add);
    }
    for (Path file : moving) {
      Files.move(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
