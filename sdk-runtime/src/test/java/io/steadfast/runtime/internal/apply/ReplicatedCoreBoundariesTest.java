package io.steadfast.runtime.internal.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.Since;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.journal.Authorizer;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.session.SessionTable;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The apply path at its boundaries: re-opened and closed sessions, expiry, failures after apply,
 * hostile codecs, errors, and what replicated state may hold. Each test names the finding of the
 * exactly-once issue it guards.
 */
class ReplicatedCoreBoundariesTest {

  private static final SessionId S = SessionId.of("s1");
  private static final Principal CLERK = Principal.of("u", "clerk");

  /** Commands are text; the text says what apply does. */
  static final class Probe implements ResilientApplication<String, String> {
    final List<String> applied = new ArrayList<>();

    @Override
    public String apply(String command, ApplyContext context) throws Exception {
      applied.add(command);
      context.setResumePoint(ResumePoint.of("last", command));
      return switch (command) {
        case "null" -> null;
        case "unencodable" -> "UNENCODABLE";
        // The message holds an identity hash: different on every replica.
        case "reject" -> throw new IllegalStateException("refused by " + new Object());
        case "assert" -> throw new AssertionError("broken invariant");
        case "oom" -> throw new OutOfMemoryError("simulated");
        default -> "ok:" + command;
      };
    }

    @Override
    public void checkpoint(CheckpointWriter out) throws IOException {
      out.writeInt(applied.size());
    }

    @Override
    public void restore(CheckpointReader in) throws IOException {
      in.readInt();
    }
  }

  /** UTF-8 text; throws a plain runtime exception (not the documented one) for "!" payloads. */
  static class TextCodec implements CommandCodec<String, String> {
    @Override
    public Class<String> commandType() {
      return String.class;
    }

    @Override
    public byte[] encodeCommand(String command) {
      return command.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decodeCommand(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.startsWith("!")) {
        throw new IllegalStateException("codec bug on " + text);
      }
      return text;
    }

    @Override
    public byte[] encodeResult(String result) {
      if (result.equals("UNENCODABLE")) {
        throw new IllegalArgumentException("cannot encode");
      }
      return result.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decodeResult(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final Probe probe = new Probe();
  private final ReplicatedCore<String, String> core =
      new ReplicatedCore<>(probe, new TextCodec(), new Authorizer(true));

  private Outcome one(long time, Request request) {
    return core.apply(new JournalEntry.Batch(time, List.of(request)), 2).get(0);
  }

  private static Request command(long sequence, String text) {
    return Request.command(S, sequence, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Request open(Duration ttl) {
    return Request.open(S, CLERK, ttl);
  }

  @Test
  void reopen_ofAnOpenSession_returnsTheJournaledLastSequence() {
    one(1000, open(Duration.ofMinutes(1)));
    one(1001, command(1, "x"));
    Outcome reopened = one(1002, open(Duration.ofMinutes(1)));

    // Finding 1: the client numbers on from here, so its next command is 2, not a retry of 1.
    assertThat(reopened.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(reopened.lastSequence()).isEqualTo(1);
    assertThat(one(1003, command(2, "y")).result())
        .isEqualTo("ok:y".getBytes(StandardCharsets.UTF_8));
    assertThat(probe.applied).containsExactly("x", "y");
  }

  @Test
  void sameSequence_differentPayload_isAConflict_andNothingIsApplied() {
    one(1000, open(Duration.ofMinutes(1)));
    one(1001, command(1, "x"));
    Outcome conflict = one(1002, command(1, "y"));

    assertThat(conflict.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(conflict.lastSequence()).isEqualTo(1);
    assertThat(probe.applied).containsExactly("x");
    assertThat(one(1003, command(1, "x")).status()).isEqualTo(Outcome.Status.APPLIED);
  }

  @Test
  void closeThenReopen_continuesNumbering_andALateRetryGetsItsOriginalOutcome() {
    one(1000, open(Duration.ofMinutes(1)));
    Outcome first = one(1001, command(1, "x"));
    one(1002, Request.close(S, 1));

    Outcome lateRetryAfterClose = one(1003, command(1, "x"));
    Outcome reopened = one(1004, open(Duration.ofMinutes(1)));
    Outcome lateRetryAfterReopen = one(1005, command(1, "x"));

    assertThat(lateRetryAfterClose).isEqualTo(first);
    assertThat(reopened.lastSequence()).isEqualTo(1);
    assertThat(lateRetryAfterReopen).isEqualTo(first);
    assertThat(one(1006, command(2, "y")).status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(probe.applied).containsExactly("x", "y");
  }

  @Test
  void closedSession_refusesAnotherUser_andNewCommands() {
    one(1000, open(Duration.ofMinutes(1)));
    one(1001, Request.close(S, 0));

    assertThat(one(1002, command(1, "x")).status()).isEqualTo(Outcome.Status.UNKNOWN_SESSION);
    Outcome other =
        one(1003, Request.open(S, Principal.of("mallory", "clerk"), Duration.ofMinutes(1)));
    assertThat(other.status()).isEqualTo(Outcome.Status.REJECTED);
    assertThat(other.errorType()).isEqualTo("SessionInUse");
    assertThat(probe.applied).isEmpty();
  }

  @Test
  void expiry_keepsTheLastOutcome_forALateRetry() {
    one(1000, open(Duration.ofMillis(500)));
    Outcome first = one(1001, command(1, "x"));
    one(5000, command(99, "tick")); // leader time moves past the ttl: the session expires

    // Finding 3: the retry of an applied command whose answer was lost gets that answer.
    assertThat(core.sessions().isExpired(S)).isTrue();
    assertThat(one(5001, command(1, "x"))).isEqualTo(first);
    assertThat(one(5002, command(2, "y")).status()).isEqualTo(Outcome.Status.EXPIRED);
    assertThat(one(5003, command(1, "z")).status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(probe.applied).containsExactly("x");
  }

  @Test
  void unencodableResult_isAppliedWithoutResult_neverARejection() {
    one(1000, open(Duration.ofMinutes(1)));
    Outcome outcome = one(1001, command(1, "unencodable"));

    // Finding 4: the state changed, so the caller must not be told "rejected".
    assertThat(outcome.status()).isEqualTo(Outcome.Status.APPLIED_WITHOUT_RESULT);
    assertThat(outcome.position()).isEqualTo(new Position(1, 2));
    assertThat(outcome.message()).contains("IllegalArgumentException");
    assertThat(one(1002, command(1, "unencodable"))).isEqualTo(outcome);
  }

  @Test
  void nullResult_isAppliedWithoutResult_withATypedReason() {
    one(1000, open(Duration.ofMinutes(1)));
    Outcome outcome = one(1001, command(1, "null"));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.APPLIED_WITHOUT_RESULT);
    assertThat(outcome.message()).isEqualTo("apply returned null");
    assertThat(outcome.resumePoint()).isEqualTo(ResumePoint.of("last", "null"));
  }

  @Test
  void codecRuntimeException_isMalformed_andFreesTheNumber() {
    one(1000, open(Duration.ofMinutes(1)));
    // Finding 5: a codec that throws something other than MalformedCommandException.
    Outcome outcome = one(1001, command(1, "!boom"));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.MALFORMED);
    assertThat(outcome.message()).contains("codec bug");
    assertThat(one(1002, command(1, "x")).status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(probe.applied).containsExactly("x");
  }

  @Test
  void assertionError_isAFaultOnEveryReplica_takesAPosition_andIsCounted() {
    one(1000, open(Duration.ofMinutes(1)));
    Outcome outcome = one(1001, command(1, "assert"));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.FAULTED);
    assertThat(outcome.errorType()).isEqualTo("AssertionError");
    assertThat(outcome.position()).isEqualTo(new Position(1, 2));
    assertThat(core.faults()).isEqualTo(1);
    assertThat(one(1002, command(2, "y")).status()).isEqualTo(Outcome.Status.APPLIED);
  }

  @Test
  void outOfMemoryError_isNotTheCommandsFault_andStopsThisReplicaOnly() {
    one(1000, open(Duration.ofMinutes(1)));
    assertThatThrownBy(() -> one(1001, command(1, "oom"))).isInstanceOf(OutOfMemoryError.class);
    assertThat(core.faults()).isZero();
  }

  @Test
  void rejectionMessage_reachesTheCaller_butNotTheReplicatedState() throws IOException {
    one(1000, open(Duration.ofMinutes(1)));
    Outcome live = one(1001, command(1, "reject"));
    ReplicatedCore<String, String> other =
        new ReplicatedCore<>(new Probe(), new TextCodec(), new Authorizer(true));
    other.apply(new JournalEntry.Batch(1000, List.of(open(Duration.ofMinutes(1)))), 2);
    other.apply(new JournalEntry.Batch(1001, List.of(command(1, "reject"))), 2);

    // Finding 6: the message holds an identity hash; two replicas must still write equal state.
    assertThat(live.status()).isEqualTo(Outcome.Status.REJECTED);
    assertThat(live.message()).startsWith("refused by java.lang.Object@");
    assertThat(state(core)).isEqualTo(state(other));
    Outcome retry = one(1002, command(1, "reject"));
    assertThat(retry.errorType()).isEqualTo("IllegalStateException");
    assertThat(retry.message()).isEmpty();
  }

  @Test
  void ttlAboveTheMaximum_isRefused_andOpensNothing() {
    Outcome outcome = one(1000, open(SessionTable.MAX_TTL.plusMillis(1)));
    assertThat(outcome.status()).isEqualTo(Outcome.Status.LIMIT);
    assertThat(core.openSessions()).isZero();
  }

  @Test
  void authorization_isCheckedAtApply_fromTheJournaledPrincipal() {
    JacksonCodec<LedgerCommand, Long> codec = JacksonCodec.of(LedgerCommand.class, Long.class);
    LedgerApplication ledger = new LedgerApplication();
    ReplicatedCore<LedgerCommand, Long> ledgerCore = new ReplicatedCore<>(ledger, codec);
    ledgerCore.apply(
        new JournalEntry.Batch(
            1000,
            List.of(
                Request.open(S, Principal.of("mallory", "guest"), Duration.ofMinutes(1)),
                // Sent at once with the open, so the door had no principal to check it against.
                Request.command(
                    S, 1, codec.encodeCommand(new LedgerCommand.Deposit("a", 5, "op-1"))))),
        2);
    Outcome refused =
        ledgerCore
            .apply(
                new JournalEntry.Batch(
                    1001,
                    List.of(
                        Request.command(
                            S, 1, codec.encodeCommand(new LedgerCommand.Deposit("a", 5, "op-1"))))),
                2)
            .get(0);

    assertThat(refused.status()).isEqualTo(Outcome.Status.NOT_AUTHORIZED);
    assertThat(refused.errorType()).isEqualTo("Deposit");
    assertThat(refused.message()).isEqualTo("auditor,clerk");
    assertThat(ledger.appliedCounts()).isEmpty();
    assertThat(ledgerCore.lastPosition()).isEqualTo(Position.ZERO);
  }

  @Test
  void expiry_takesFromTheHead_andTombstonesAreBounded() {
    SessionTable table = new SessionTable();
    for (int i = 0; i < SessionTable.MAX_TOMBSTONES + 10; i++) {
      SessionId id = SessionId.of("t" + i);
      table.open(id, CLERK, 1, i);
      table.close(id, i);
    }
    assertThat(table.tombstones()).isEqualTo(SessionTable.MAX_TOMBSTONES);
    assertThat(table.tombstone(SessionId.of("t0"))).isEmpty();
    assertThat(table.tombstone(SessionId.of("t" + (SessionTable.MAX_TOMBSTONES + 9)))).isPresent();

    table.expire(SessionTable.TOMBSTONE_RETENTION.toMillis() + SessionTable.MAX_TOMBSTONES + 20);
    assertThat(table.tombstones()).isZero();
  }

  @Test
  void layoutOneCheckpoint_stillRestores() throws IOException {
    // The runtime state as format 1 wrote it: one open session, one expired tombstone.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(1);
      out.writeLong(2);
      out.writeLong(1001);
      WireFormat.writePosition(out, new Position(1, 2));
      out.writeBoolean(false);
      out.writeInt(1);
      WireFormat.writeString(out, "s1");
      WireFormat.writePrincipal(out, CLERK);
      out.writeLong(60_000);
      out.writeLong(1);
      WireFormat.writeOutcome(
          out, Outcome.applied(new Position(1, 2), new byte[] {1}, ResumePoint.start()));
      WireFormat.writeResumePoint(out, ResumePoint.of("last", "x"));
      out.writeLong(1001);
      out.writeInt(1);
      WireFormat.writeString(out, "gone");
      out.writeLong(900);
    }
    ReplicatedCore<String, String> restored =
        new ReplicatedCore<>(new Probe(), new TextCodec(), new Authorizer(true));
    restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 1);

    assertThat(restored.sessions().get(S))
        .get()
        .satisfies(r -> assertThat(r.lastSequence()).isEqualTo(1));
    assertThat(restored.sessions().isExpired(SessionId.of("gone"))).isTrue();
    // Written before application versions existed: it restores as version 1.
    assertThat(restored.activeVersion()).isEqualTo(1);
    assertThat(CheckpointFile.FORMAT_VERSION).isEqualTo(3);
  }

  /** A command type added by application version 2. */
  @Since(2)
  record LaterCommand(String text) {}

  /** Inherits the version of the type it extends. */
  record LaterStill(String text) implements Marked {}

  @Since(3)
  interface Marked {}

  @Test
  void finalize_isReplicatedState_neverGoesBack_andSurvivesACheckpoint() throws IOException {
    assertThatThrownBy(() -> ReplicatedCore.checkVersion(new LaterCommand("x"), 1))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("LaterCommand needs application version 2")
        .hasMessageContaining("runs version 1");
    assertThatThrownBy(() -> ReplicatedCore.checkVersion(new LaterStill("x"), 2))
        .hasMessageContaining("needs application version 3");
    ReplicatedCore.checkVersion(new LaterCommand("x"), 2);

    assertThat(core.activeVersion()).isEqualTo(1);
    core.apply(new JournalEntry.Finalize(2), 2);
    core.apply(new JournalEntry.Finalize(1), 2);
    assertThat(core.activeVersion()).isEqualTo(2);

    ReplicatedCore<String, String> restored =
        new ReplicatedCore<>(new Probe(), new TextCodec(), new Authorizer(true));
    restored.readState(
        new DataInputStream(new ByteArrayInputStream(state(core))), CheckpointFile.FORMAT_VERSION);
    assertThat(restored.activeVersion()).isEqualTo(2);
  }

  @Test
  void wireFormat_refusesALengthLongerThanTheInput_beforeAllocating() {
    // Four bytes claiming a 64 MiB array: refused by the remaining length, not by an allocation.
    assertThatThrownBy(
            () ->
                WireFormat.readBytes(
                    new DataInputStream(new ByteArrayInputStream(new byte[] {0x04, 0, 0, 0}))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exceeds the 0 bytes left");
  }

  @Test
  void decodeNull_isMalformed() {
    ReplicatedCore<String, String> nullCodecCore =
        new ReplicatedCore<>(
            new Probe(),
            new TextCodec() {
              @Override
              public String decodeCommand(byte[] bytes) {
                return null;
              }
            });
    nullCodecCore.apply(new JournalEntry.Batch(1000, List.of(open(Duration.ofMinutes(1)))), 2);
    Outcome outcome =
        nullCodecCore.apply(new JournalEntry.Batch(1001, List.of(command(1, "x"))), 2).get(0);
    assertThat(outcome.status()).isEqualTo(Outcome.Status.MALFORMED);
    assertThat(outcome.message()).contains("null");
  }

  private static byte[] state(ReplicatedCore<?, ?> core) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      core.writeState(out);
    }
    return bytes.toByteArray();
  }
}
