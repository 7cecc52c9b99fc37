package io.steadfast.runtime;

import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.runtime.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a node's newest checkpoint before the engine starts. A checkpoint that fails its check is
 * never restored: it is moved to a quarantine folder together with the journal segments that
 * depend on it, so the node starts empty and the primary sends it a good checkpoint. The vote record
 * ({@code raft-meta}) is kept, so the node cannot vote twice in one term.
 */
final class CheckpointRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRecovery.class);
  private static final Pattern CHECKPOINT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  private CheckpointRecovery() {}

  /**
   * Verifies the newest checkpoint under {@code groupDirectory}.
   *
   * @return a description of the refused checkpoint, or null if it is sound or there is none
   */
  static @Nullable String checkNewest(Path groupDirectory, int maxApplicationVersion, Path storage)
      throws IOException {
    Path checkpoints = groupDirectory.resolve("sm");
    if (!Files.isDirectory(checkpoints)) {
      return null;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(checkpoints)) {
      listing.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches()).forEach(files::add);
    }
    if (files.isEmpty()) {
      return null;
    }
    files.sort(Comparator.comparingLong(CheckpointRecovery::indexOf));
    Path newest = files.get(files.size() - 1);
    try {
      CheckpointFile.verify(newest, maxApplicationVersion);
      return null;
    } catch (CheckpointException refused) {
      LOG.error("{}; the node sets it aside and fetches a checkpoint from the primary",
          refused.getMessage());
      quarantine(groupDirectory, storage);
      return refused.getMessage();
    }
  }

  private static long indexOf(Path file) {
    Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  private static void quarantine(Path groupDirectory, Path storage) throws IOException {
    Path target = storage.resolve("quarantine");
    int n = 1;
    while (Files.exists(target.resolve(String.valueOf(n)))) {
      n++;
    }
    Path folder = Files.createDirectories(target.resolve(String.valueOf(n)));
    moveAll(groupDirectory.resolve("sm"), folder, name -> name.startsWith("snapshot."));
    moveAll(groupDirectory.resolve("current"), folder, name -> name.startsWith("log_"));
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
