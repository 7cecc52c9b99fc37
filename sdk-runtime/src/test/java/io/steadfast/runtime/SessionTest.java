package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SequenceConflictException;
import io.steadfast.api.session.SessionId;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.runtime.internal.client.Routing;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A session's numbering and its retry rules, against a mocked routing: no cluster involved. */
class SessionTest {

  private static final JacksonCodec<LedgerCommand, Long> CODEC =
      JacksonCodec.of(LedgerCommand.class, Long.class);
  private static final SessionId ID = SessionId.of("s");
  private static final LedgerCommand DEPOSIT = new LedgerCommand.Deposit("a", 1, "op");

  @SuppressWarnings("unchecked")
  private final Routing<LedgerCommand, Long> routing = mock(Routing.class);

  private final List<Long> sent = new ArrayList<>();

  private Session<LedgerCommand, Long> session(long lastSequence) {
    return new Session<>(
        ID, Principal.of("u", "clerk"), CODEC, routing, Duration.ofMillis(300), lastSequence);
  }

  private static CompletableFuture<Outcome> applied(long value) {
    return CompletableFuture.completedFuture(
        Outcome.applied(new Position(1, 1), CODEC.encodeResult(value), ResumePoint.start()));
  }

  private void answer(Object... replies) {
    List<Object> queue = new ArrayList<>(List.of(replies));
    doAnswer(
            call -> {
              sent.add(call.<Request>getArgument(0).sequence());
              Object next = queue.size() > 1 ? queue.remove(0) : queue.get(0);
              return next instanceof Throwable t ? CompletableFuture.failedFuture(t) : next;
            })
        .when(routing)
        .send(any());
  }

  @Test
  void execute_refusedAsNotPrimaryOnEveryAttempt_isDefinite_andFreesTheNumber() {
    answer(new NotPrimaryException(NodeId.of("n1"), null));
    Session<LedgerCommand, Long> session = session(4);

    assertThatThrownBy(() -> session.execute(DEPOSIT)).isInstanceOf(NotPrimaryException.class);
    assertThat(session.lastSequence()).isEqualTo(4);
    assertThatThrownBy(session::retry).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void execute_onceMaybeJournaled_neverEndsAsNotPrimary_andRetrySettlesIt() {
    answer(
        new IndeterminateOutcomeException("batch in flight when the primary stopped", null),
        new NotPrimaryException(NodeId.of("n1"), null));
    // No other member to try (a fixed session without fallback): the second attempt's refusal is
    // definite for that attempt, but the first one may have reached the journal.
    when(routing.redirect(any())).thenReturn(false);
    Session<LedgerCommand, Long> session = session(0);

    assertThatThrownBy(() -> session.execute(DEPOSIT))
        .isInstanceOf(IndeterminateOutcomeException.class);
    assertThat(session.lastSequence()).isEqualTo(1);

    answer(applied(7));
    assertThat(session.retry()).isEqualTo(7);
    assertThat(sent).allMatch(sequence -> sequence == 1);
  }

  @Test
  void anAttemptHangingOnAFrozenPrimary_asksOftenWhetherThePrimaryMoved_andGoesThere() {
    // The first attempt never answers (a frozen primary holds its connection); the new primary is
    // found ready at the fourth question, and answers.
    answer(new CompletableFuture<Outcome>(), applied(5));
    List<Long> asked = new ArrayList<>();
    when(routing.primaryMoved())
        .thenAnswer(
            call -> {
              asked.add(System.nanoTime());
              return asked.size() == 4;
            });
    Session<LedgerCommand, Long> session =
        new Session<>(ID, Principal.of("u", "clerk"), CODEC, routing, Duration.ofSeconds(10), 0);

    assertThat(session.execute(DEPOSIT)).isEqualTo(5);
    assertThat(asked).hasSize(4);
    assertThat(sent).containsExactly(1L, 1L);
    // After the first question the next come every 50 ms (three at 250 ms each took 750 ms).
    assertThat(Duration.ofNanos(asked.get(3) - asked.get(0))).isLessThan(Duration.ofMillis(600));
  }

  @Test
  void conflict_isDefinite_andTheNextCommandTakesTheNextNumber() {
    answer(CompletableFuture.completedFuture(Outcome.conflict(1)));
    Session<LedgerCommand, Long> session = session(0);

    assertThatThrownBy(() -> session.execute(DEPOSIT))
        .isInstanceOf(SequenceConflictException.class);
    answer(applied(3));
    assertThat(session.execute(DEPOSIT)).isEqualTo(3);
    assertThat(sent).containsExactly(1L, 2L);
  }

  @Test
  void malformedAtApply_freesTheNumber() {
    answer(
        CompletableFuture.completedFuture(
            Outcome.malformed(Position.ZERO, "bad", ResumePoint.start())));
    Session<LedgerCommand, Long> session = session(9);

    assertThatThrownBy(() -> session.execute(DEPOSIT))
        .isInstanceOf(io.steadfast.api.MalformedCommandException.class);
    assertThat(session.lastSequence()).isEqualTo(9);
  }

  @Test
  void open_continuesFromTheJournaledLastSequence() {
    answer(CompletableFuture.completedFuture(Outcome.session(41, ResumePoint.start())));
    Session<LedgerCommand, Long> session = session(0);
    session.open(Duration.ofMinutes(1));

    assertThat(session.lastSequence()).isEqualTo(41);
  }
}
