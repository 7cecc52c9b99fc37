package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.observe.NodeThreads;
import io.steadfast.runtime.internal.ratis.JournalRepair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads a running node's stored journal and checkpoints at a fixed interval, on one background
 * thread (reads only, one file at a time), so that damage done by the disk after the files were
 * written is found before anyone needs them. Closed journal segments are read with their checksums;
 * published checkpoints are verified whole (CRC and header). A damaged checkpoint is moved to the
 * quarantine and a fresh one is asked for; damage in the journal is reported to {@code
 * journalDamaged}, which stops the node so that its start-time repair cuts and refetches (a running
 * engine cannot drop entries it already serves).
 */
public final class StorageScrub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StorageScrub.class);
  private static final Pattern CHECKPOINT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  private final NodeId node;
  private final Path group;
  private final int maxApplicationVersion;
  private final LongSupplier publishedCheckpoint;
  private final Supplier<Path> quarantine;
  private final Consumer<String> checkpointRepaired;
  private final Consumer<String> journalDamaged;
  private final ScheduledExecutorService thread;

  /**
   * @param group the node's group folder ({@code current} and {@code sm} beneath it)
   * @param publishedCheckpoint the index of the newest published checkpoint (newer files may still
   *     be being written, and are left alone)
   * @param checkpointRepaired told of a damaged checkpoint after it was set aside
   * @param journalDamaged told of damage in the journal (called at most once)
   */
  public StorageScrub(
      NodeId node,
      Path group,
      int maxApplicationVersion,
      LongSupplier publishedCheckpoint,
      Supplier<Path> quarantine,
      Consumer<String> checkpointRepaired,
      Consumer<String> journalDamaged) {
    this.node = node;
    this.group = group;
    this.maxApplicationVersion = maxApplicationVersion;
    this.publishedCheckpoint = publishedCheckpoint;
    this.quarantine = quarantine;
    this.checkpointRepaired = checkpointRepaired;
    this.journalDamaged = journalDamaged;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(NodeThreads.factory("scrub", node.value()));
  }

  /** Scrubs every {@code interval}, the first time one interval from now. */
  public void start(Duration interval) {
    var unused =
        thread.scheduleWithFixedDelay(
            this::scrubQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void scrubQuietly() {
    try {
      if (!scrub()) {
        thread.shutdown();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: storage scrub could not finish: {}", node, e.toString());
    }
  }

  /**
   * One pass over the journal and the checkpoints.
   *
   * @return false if journal damage was found (the node stops; no further passes)
   */
  boolean scrub() throws IOException {
    List<String> journal = JournalRepair.verifyClosed(group.resolve("current"));
    if (!journal.isEmpty()) {
      String what = String.join("; ", journal);
      LOG.error("{}: {}", node, what);
      journalDamaged.accept(what);
      return false;
    }
    Path checkpoints = group.resolve("sm");
    if (!Files.isDirectory(checkpoints)) {
      return true;
    }
    long published = publishedCheckpoint.getAsLong();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(checkpoints)) {
      listing.forEach(files::add);
    }
    for (Path file : files) {
      Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
      if (!m.matches() || Long.parseLong(m.group(2)) > published) {
        continue;
      }
      try {
        CheckpointFile.verify(file, maxApplicationVersion);
      } catch (NoSuchFileException gone) {
        // Replaced by a newer checkpoint while it was read.
      } catch (CheckpointException damaged) {
        if (!Files.exists(file)) {
          continue;
        }
        Path kept = quarantine.get();
        Files.move(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path digest = file.resolveSibling(file.getFileName() + ".md5");
        if (Files.exists(digest)) {
          Files.move(
              digest, kept.resolve(digest.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        String line =
            "checkpoint "
                + file.getFileName()
                + " found damaged while running ("
                + damaged.getMessage()
                + "); set aside in "
                + kept
                + " and a fresh checkpoint asked for";
        LOG.error("{}: {}", node, line);
        checkpointRepaired.accept(line);
      }
    }
    return true;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
