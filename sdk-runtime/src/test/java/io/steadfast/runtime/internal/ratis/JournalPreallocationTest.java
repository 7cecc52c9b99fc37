package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every new primary starts a new journal segment file, and its first entry waits until that file,
 * with the zeros the engine fills it with ahead of the writes, is on disk. The engine's default
 * fill was 4 MiB, which took 15-25 ms on each member in every failover; the journal's open file now
 * grows 64 KiB at a time.
 */
class JournalPreallocationTest {

  @TempDir Path storage;

  @Test
  void theOpenSegmentGrowsBySmallSteps() throws Exception {
    try (RatisEngine engine =
        SingleMemberEngine.start(storage, "preallocation-test", new Count(), () -> {})) {
      SingleMemberEngine.awaitWritable(engine);
      Path open = openSegment();
      assertThat(Files.size(open))
          .as("the open segment after one entry, with its fill")
          .isPositive()
          .isLessThanOrEqualTo(RatisEngine.JOURNAL_PREALLOCATION);

      // About 200 KB of entries: the file keeps growing as they come, a step at a time.
      byte[] command = new byte[2_000];
      for (int i = 0; i < 100; i++) {
        engine.write(command).get(5, TimeUnit.SECONDS);
      }
      long size = Files.size(openSegment());
      assertThat(size).isGreaterThan(200_000L);
      assertThat(size)
          .as("written plus at most one step of fill")
          .isLessThanOrEqualTo(200_000L + 10_000L + RatisEngine.JOURNAL_PREALLOCATION);
    }
  }

  private Path openSegment() throws java.io.IOException {
    try (Stream<Path> files = Files.walk(storage)) {
      List<Path> open =
          files.filter(p -> p.getFileName().toString().startsWith("log_inprogress_")).toList();
      assertThat(open).as("one open journal segment").hasSize(1);
      return open.get(0);
    }
  }

  /** Counts its entries; answers nothing of interest. */
  private static final class Count extends BaseStateMachine {
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      var entry = trx.getLogEntry();
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
  }
}
