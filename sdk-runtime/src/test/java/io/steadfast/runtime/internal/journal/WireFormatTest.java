package io.steadfast.runtime.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  private static final SessionId S = SessionId.of("s-1");

  private static JournalEntry.Batch batch() {
    return new JournalEntry.Batch(
        1_700_000_000_000L,
        List.of(
            Request.open(S, Principal.of("zoë", "clerk", "auditor"), Duration.ofMinutes(5)),
            Request.command(S, 1, new byte[] {1, 2, 3}),
            Request.close(S, 1)));
  }

  @Test
  void entries_roundTrip() throws IOException {
    JournalEntry.Batch batch = batch();
    JournalEntry decoded = WireFormat.decode(WireFormat.encode(batch));
    assertThat(decoded)
        .isInstanceOfSatisfying(
            JournalEntry.Batch.class,
            b -> {
              assertThat(b.leaderTimeMillis()).isEqualTo(batch.leaderTimeMillis());
              assertThat(b.requests()).hasSize(3);
              assertThat(b.requests().get(0).principal())
                  .isEqualTo(Principal.of("zoë", "clerk", "auditor"));
              assertThat(b.requests().get(1).payload()).containsExactly(1, 2, 3);
            });
    JournalEntry.HandOver handOver =
        new JournalEntry.HandOver(NodeId.of("n2"), RoleChange.Reason.SWITCHOVER, 4);
    assertThat(WireFormat.decode(WireFormat.encode(handOver))).isEqualTo(handOver);
    JournalEntry.Resync resync =
        new JournalEntry.Resync(
            7L << 24 | 3, List.of(NodeId.of("n3")), List.of(NodeId.of("n1"), NodeId.of("n2")));
    assertThat(WireFormat.decode(WireFormat.encode(resync))).isEqualTo(resync);
  }

  @Test
  void aResyncThatNamesAMemberAsTargetAndSource_isRefusedAsUnreadable() {
    byte[] good =
        WireFormat.encode(
            new JournalEntry.Resync(1, List.of(NodeId.of("n3")), List.of(NodeId.of("n1"))));
    // The same entry with the source's id overwritten by the target's: "n1" -> "n3".
    byte[] both = good.clone();
    both[both.length - 1] = '3';
    assertThatThrownBy(() -> WireFormat.decode(both))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("both target and source");
    byte[] tooMany = Arrays.copyOf(good, 11);
    tooMany[10] = (byte) 200;
    assertThatThrownBy(() -> WireFormat.decode(tooMany))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("more than 64");
  }

  @Test
  void outcomes_roundTrip_everyStatus() throws IOException {
    List<Outcome> outcomes =
        List.of(
            Outcome.applied(new Position(3, 2), new byte[] {9}, ResumePoint.of("k", "v")),
            Outcome.rejected(
                new Position(4, 2), "IllegalStateException", "no", ResumePoint.start()),
            Outcome.conflict(7),
            Outcome.notAuthorized("Deposit", "clerk"),
            Outcome.appliedWithoutResult(
                new Position(5, 2), "apply returned null", ResumePoint.start()),
            Outcome.faulted(new Position(6, 2), "AssertionError", ResumePoint.start()),
            Outcome.limit("too many"),
            Outcome.session(12, ResumePoint.of("a", "b")),
            Outcome.expired(),
            Outcome.unknownSession(),
            Outcome.outOfSequence(3));
    List<Outcome> decoded = WireFormat.decodeOutcomes(WireFormat.encodeOutcomes(outcomes));
    assertThat(decoded).hasSize(outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      assertThat(decoded.get(i).status()).isEqualTo(outcomes.get(i).status());
      assertThat(decoded.get(i).lastSequence()).isEqualTo(outcomes.get(i).lastSequence());
      assertThat(decoded.get(i).message()).isEqualTo(outcomes.get(i).message());
    }
  }

  @Test
  void everyTruncation_andSeededGarbage_failWithIOExceptionOnly() {
    byte[] whole = WireFormat.encode(batch());
    for (int cut = 0; cut < whole.length; cut++) {
      byte[] part = Arrays.copyOf(whole, cut);
      assertThatThrownBy(() -> WireFormat.decode(part))
          .as("cut at " + cut)
          .isInstanceOf(IOException.class);
    }
    SplittableRandom random = new SplittableRandom(20261203L);
    for (int i = 0; i < 2_000; i++) {
      byte[] garbage = new byte[random.nextInt(1, 64)];
      random.nextBytes(garbage);
      try {
        WireFormat.decode(garbage);
      } catch (IOException expected) {
        // the only failure allowed
      } catch (RuntimeException e) {
        // a request that violates Request's own checks is refused as IllegalArgumentException
        assertThat(e).as("garbage #" + i).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }
}
