package io.steadfast.runtime.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  private static final GroupCommitter.Limits LIMITS =
      new GroupCommitter.Limits(256, 1 << 20, Duration.ZERO, 1, 1024);

  /** Entries journaled, with the thread that journaled each. */
  private final List<String> threads = new CopyOnWriteArrayList<>();

  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<byte[]>> held = new CopyOnWriteArrayList<>();
  private volatile boolean hold;
  private GroupCommitter committer;

  private CompletableFuture<byte[]> journal(byte[] entry) {
    threads.add(Thread.currentThread().getName());
    List<Outcome> outcomes = new ArrayList<>();
    try {
      JournalEntry.Batch batch = (JournalEntry.Batch) WireFormat.decode(entry);
      batchSizes.add(batch.requests().size());
      for (Request request : batch.requests()) {
        outcomes.add(
            Outcome.applied(
                new Position(request.sequence(), 1),
                new byte[] {(byte) request.sequence()},
                ResumePoint.start()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] reply = WireFormat.encodeOutcomes(outcomes);
    if (hold) {
      CompletableFuture<byte[]> later = new CompletableFuture<>();
      held.add(later);
      return later.thenApply(ignored -> reply);
    }
    return CompletableFuture.completedFuture(reply);
  }

  @AfterEach
  void close() {
    if (committer != null) {
      committer.close();
    }
  }

  private static Request command(String session, long sequence) {
    return Request.command(SessionId.of(session), sequence, new byte[] {1});
  }

  @Test
  void aLoneRequest_isJournaledByItsCaller_withoutWaitingForTheFlusher() throws Exception {
    committer = new GroupCommitter("t", LIMITS, Clock.systemUTC(), this::journal);
    Outcome outcome =
        committer.submit(command("s1", 7), Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
    assertThat(outcome.position()).isEqualTo(new Position(7, 1));
    assertThat(threads).containsExactly(Thread.currentThread().getName());
    assertThat(committer.callerRuns()).isEqualTo(1);
  }

  @Test
  void requestsArrivingWhileABatchIsInFlight_areBatchedByTheFlusher_eachGettingItsOutcome()
      throws Exception {
    committer = new GroupCommitter("t", LIMITS, Clock.systemUTC(), this::journal);
    hold = true;
    CompletableFuture<Outcome> first = committer.submit(command("s0", 1), Duration.ofSeconds(1));
    List<CompletableFuture<Outcome>> waiting = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      waiting.add(committer.submit(command("s" + i, i + 1), Duration.ofSeconds(1)));
    }
    hold = false;
    held.get(0).complete(null);
    assertThat(first.get(5, TimeUnit.SECONDS).position()).isEqualTo(new Position(1, 1));
    for (int i = 0; i < waiting.size(); i++) {
      assertThat(waiting.get(i).get(5, TimeUnit.SECONDS).position())
          .isEqualTo(new Position(i + 2, 1));
    }
    assertThat(batchSizes.get(0)).isEqualTo(1);
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(21);
    assertThat(batchSizes.size())
        .as("twenty waiting requests went out in few batches")
        .isLessThan(21);
    assertThat(threads.subList(1, threads.size()))
        .allSatisfy(name -> assertThat(name).isEqualTo("steadfast-commit-t"));
  }

  @Test
  void close_requestInFlight_failsIndeterminateNotWithTheClosedFailure() {
    committer =
        new GroupCommitter(
            "t",
            LIMITS,
            Clock.systemUTC(),
            this::journal,
            () -> new IllegalStateException("not primary any more"));
    hold = true;
    CompletableFuture<Outcome> inFlight = committer.submit(command("s1", 1), Duration.ofSeconds(1));
    committer.close();
    // The entry was handed to the journal and may still commit: never "nothing was journaled".
    assertThat(inFlight)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IndeterminateOutcomeException.class);
  }

  @Test
  void close_requestStillQueued_failsWithTheClosedFailure() {
    // One slot, held by the first batch: the second request waits in the queue, never journaled.
    committer =
        new GroupCommitter(
            "t",
            LIMITS,
            Clock.systemUTC(),
            this::journal,
            () -> new IllegalStateException("not primary any more"));
    hold = true;
    CompletableFuture<Outcome> inFlight = committer.submit(command("s1", 1), Duration.ofSeconds(1));
    CompletableFuture<Outcome> queued = committer.submit(command("s2", 1), Duration.ofSeconds(1));
    committer.close();
    assertThat(queued)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class)
        .withMessageContaining("not primary any more");
    assertThat(inFlight).isCompletedExceptionally();
    assertThat(batchSizes).containsExactly(1);
  }

  @Test
  void journalFailure_afterHandOver_isIndeterminate_butARefusalBeforeAppendStaysDefinite() {
    committer =
        new GroupCommitter(
            "t",
            LIMITS,
            Clock.systemUTC(),
            entry ->
                CompletableFuture.failedFuture(new io.steadfast.api.SteadfastException("lost")));
    assertThat(committer.submit(command("s1", 1), Duration.ofSeconds(1)))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IndeterminateOutcomeException.class);
    committer.close();
    committer =
        new GroupCommitter(
            "t",
            LIMITS,
            Clock.systemUTC(),
            entry ->
                CompletableFuture.failedFuture(
                    new NotPrimaryException(io.steadfast.api.NodeId.of("n1"), null)));
    assertThat(committer.submit(command("s1", 1), Duration.ofSeconds(1)))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(NotPrimaryException.class);
  }
}
