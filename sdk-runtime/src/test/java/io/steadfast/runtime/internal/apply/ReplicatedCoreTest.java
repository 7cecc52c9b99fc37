package io.steadfast.runtime.internal.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicatedCoreTest {

  private static final JacksonCodec<LedgerCommand, Long> CODEC =
      JacksonCodec.of(LedgerCommand.class, Long.class);
  private static final SessionId S = SessionId.of("s1");

  private final ReplicatedCore<LedgerCommand, Long> core =
      new ReplicatedCore<>(new LedgerApplication(), CODEC);

  private List<Outcome> batch(long time, Request... requests) {
    return core.apply(new JournalEntry.Batch(time, List.of(requests)), 3);
  }

  private static Request deposit(long seq, String op) {
    return Request.command(S, seq, CODEC.encodeCommand(new LedgerCommand.Deposit("a", 1, op)));
  }

  @Test
  void apply_sameSequenceTwice_appliesOnceAndReturnsStoredOutcome() {
    batch(1000, Request.open(S, Principal.of("u", "clerk"), Duration.ofMinutes(1)));
    Outcome first = batch(1001, deposit(1, "op-1")).get(0);
    Outcome retry = batch(1002, deposit(1, "op-1")).get(0);

    assertThat(first.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(retry).isSameAs(first);
    assertThat(first.position()).isEqualTo(new Position(1, 3));
    assertThat(core.lastPosition()).isEqualTo(new Position(1, 3));
    assertThat(((LedgerApplication) core.application()).appliedCounts()).containsEntry("op-1", 1);
  }

  @Test
  void apply_staleOrSkippedSequence_isOutOfSequenceAndChangesNothing() {
    batch(1000, Request.open(S, Principal.of("u", "clerk"), Duration.ofMinutes(1)));
    batch(1001, deposit(1, "op-1"), deposit(2, "op-2"));
    Outcome skipped = batch(1002, deposit(4, "op-4")).get(0);
    Outcome stale = batch(1003, deposit(1, "op-x")).get(0);

    assertThat(skipped.status()).isEqualTo(Outcome.Status.OUT_OF_SEQUENCE);
    assertThat(skipped.lastSequence()).isEqualTo(2);
    assertThat(stale.status()).isEqualTo(Outcome.Status.OUT_OF_SEQUENCE);
    assertThat(core.lastPosition().index()).isEqualTo(2);
  }

  @Test
  void rejection_keepsPreviousResumePointAndTakesAPosition() {
    batch(1000, Request.open(S, Principal.of("u", "clerk"), Duration.ofMinutes(1)));
    batch(1001, deposit(1, "op-1"));
    Outcome rejected =
        batch(1002, Request.command(S, 2, CODEC.encodeCommand(new LedgerCommand.Overdraw("a"))))
            .get(0);

    assertThat(rejected.status()).isEqualTo(Outcome.Status.REJECTED);
    assertThat(rejected.errorType()).isEqualTo("IllegalStateException");
    assertThat(rejected.resumePoint()).isEqualTo(ResumePoint.of("account", "a", "op", "op-1"));
    assertThat(rejected.position().index()).isEqualTo(2);
  }

  @Test
  void idleSession_expiresByLeaderTime_nextRequestIsExpired() {
    batch(1000, Request.open(S, Principal.of("u", "clerk"), Duration.ofMillis(500)));
    batch(1400, deposit(1, "op-1"));
    assertThat(batch(1800, new Request[0])).isEmpty();
    assertThat(core.sessions().get(S)).isPresent();
    batch(1901);

    assertThat(core.sessions().get(S)).isEmpty();
    assertThat(batch(1902, deposit(2, "op-2")).get(0).status()).isEqualTo(Outcome.Status.EXPIRED);
  }

  @Test
  void leaderTime_neverGoesBackwards() {
    batch(5000);
    batch(4000);
    assertThat(core.leaderTimeMillis()).isEqualTo(5000);
  }

  @Test
  void malformedPayload_isRecordedAsMalformedWithoutApplying() {
    batch(1000, Request.open(S, Principal.of("u", "clerk"), Duration.ofMinutes(1)));
    Outcome outcome = batch(1001, Request.command(S, 1, new byte[] {'{', 'x'})).get(0);
    assertThat(outcome.status()).isEqualTo(Outcome.Status.MALFORMED);
    assertThat(core.lastPosition()).isEqualTo(Position.ZERO);
  }

  @Test
  void writeState_readState_roundTripsToIdenticalBytes() throws IOException {
    batch(1000, Request.open(S, Principal.of("u", "clerk", "auditor"), Duration.ofMinutes(1)));
    batch(1001, deposit(1, "op-1"));
    core.apply(
        new JournalEntry.HandOver(
            io.steadfast.api.NodeId.of("n2"),
            io.steadfast.api.role.RoleChange.Reason.SWITCHOVER,
            3),
        3);
    byte[] first = state(core);
    ReplicatedCore<LedgerCommand, Long> copy = new ReplicatedCore<>(new LedgerApplication(), CODEC);
    copy.readState(
        new DataInputStream(new ByteArrayInputStream(first)), CheckpointFile.FORMAT_VERSION);

    assertThat(state(copy)).isEqualTo(first);
    assertThat(copy.lastHandOver()).isEqualTo(core.lastHandOver());
    assertThat(copy.lastPosition()).isEqualTo(core.lastPosition());
  }

  private static byte[] state(ReplicatedCore<?, ?> core) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      core.writeState(out);
    }
    return bytes.toByteArray();
  }
}
