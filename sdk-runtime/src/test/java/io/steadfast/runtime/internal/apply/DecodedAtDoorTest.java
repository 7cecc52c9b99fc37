package io.steadfast.runtime.internal.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.runtime.internal.journal.Authorizer;
import io.steadfast.runtime.internal.journal.JournalEntry;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.testapp.ForwardingLedgerCodec;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecodedAtDoorTest {

  private static final JacksonCodec<LedgerCommand, Long> JSON = ForwardingLedgerCodec.JSON;
  private static final SessionId S = SessionId.of("s1");

  /** Counts the commands it decodes. */
  private static final class Counting extends ForwardingLedgerCodec {
    final AtomicInteger decodes = new AtomicInteger();

    @Override
    public LedgerCommand decodeCommand(byte[] bytes) {
      decodes.incrementAndGet();
      return super.decodeCommand(bytes);
    }
  }

  private final Counting codec = new Counting();
  private final DecodedAtDoor door = new DecodedAtDoor();
  private final ReplicatedCore<LedgerCommand, Long> core =
      new ReplicatedCore<>(new LedgerApplication(), codec, new Authorizer(), NodeMeters.NONE, door);

  private Outcome apply(Request request) {
    return core.apply(new JournalEntry.Batch(1000, List.of(request)), 2).get(0);
  }

  private static byte[] deposit(String op) {
    return JSON.encodeCommand(new LedgerCommand.Deposit("a", 1, op));
  }

  private void open() {
    apply(Request.open(S, Principal.of("u", "clerk"), Duration.ofMinutes(1)));
  }

  @Test
  void applyTakesTheCommandTheDoorDecoded_insteadOfDecodingItAgain() {
    open();
    byte[] payload = deposit("op-1");
    door.keep(S, 1, payload, JSON.decodeCommand(payload));

    Outcome outcome = apply(Request.command(S, 1, payload.clone()));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(outcome.resumePoint()).isEqualTo(ResumePoint.of("account", "a", "op", "op-1"));
    assertThat(codec.decodes).hasValue(0);
    assertThat(door.handedOver()).isEqualTo(1);
    assertThat(door.size()).isZero();
  }

  @Test
  void otherBytesUnderTheSameSequence_areDecodedFromTheJournal_notTakenFromTheDoor() {
    open();
    byte[] atDoor = deposit("op-door");
    door.keep(S, 1, atDoor, JSON.decodeCommand(atDoor));

    Outcome outcome = apply(Request.command(S, 1, deposit("op-journal")));

    assertThat(outcome.resumePoint()).isEqualTo(ResumePoint.of("account", "a", "op", "op-journal"));
    assertThat(codec.decodes).hasValue(1);
    assertThat(door.handedOver()).isZero();
    assertThat(door.size()).isZero();
  }

  @Test
  void aBackupWithNothingKept_decodesEveryCommand() {
    open();
    apply(Request.command(S, 1, deposit("op-1")));
    apply(Request.command(S, 2, deposit("op-2")));

    assertThat(codec.decodes).hasValue(2);
  }

  @Test
  void keepsAtMostItsBound_forgetsRefusedRequests_andClearsOnStepDown() {
    byte[] payload = deposit("op");
    LedgerCommand command = JSON.decodeCommand(payload);
    for (int i = 0; i < DecodedAtDoor.MAX_HELD + 10; i++) {
      door.keep(S, i, payload, command);
    }
    assertThat(door.size()).isEqualTo(DecodedAtDoor.MAX_HELD);

    door.forget(S, 0);
    assertThat(door.size()).isEqualTo(DecodedAtDoor.MAX_HELD - 1);

    door.clear();
    assertThat(door.size()).isZero();
  }
}
