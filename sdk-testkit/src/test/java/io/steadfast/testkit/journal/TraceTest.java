package io.steadfast.testkit.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

  private static final JacksonCodec<LedgerCommand, Receipt> CODEC =
      JacksonCodec.of(LedgerCommand.class, Receipt.class);

  private static Trace<LedgerCommand, Receipt> trace(long seed) {
    return Trace.generate(new TellerWorkload(), CODEC, new Ledger(), seed, 150);
  }

  @Test
  void generate_sameSeed_sameTraceAndOutcomes() {
    Trace<LedgerCommand, Receipt> first = trace(42);
    Trace<LedgerCommand, Receipt> second = trace(42);

    assertThat(second.entries()).isEqualTo(first.entries());
    assertThat(second.outcomes()).isEqualTo(first.outcomes());
    assertThat(first.size()).isEqualTo(150);
  }

  @Test
  void generate_otherSeed_otherTrace() {
    assertThat(trace(43).entries()).isNotEqualTo(trace(42).entries());
  }

  @Test
  void generate_positionsConsecutiveAndLeaderTimeNeverGoesBack() {
    List<TraceEntry<LedgerCommand>> entries = trace(7).entries();

    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).position().index()).isEqualTo(i + 1L);
      assertThat(entries.get(i).position().epoch())
          .isGreaterThanOrEqualTo(entries.get(i - 1).position().epoch());
      assertThat(entries.get(i).timestamp()).isAfterOrEqualTo(entries.get(i - 1).timestamp());
    }
  }

  @Test
  void generate_interleavesSeveralSessionsAndInjectsInvalidCommands() {
    Trace<LedgerCommand, Receipt> trace = trace(7);

    assertThat(trace.entries().stream().map(TraceEntry::sessionId).distinct().count())
        .isGreaterThan(4);
    assertThat(trace.entries().stream().filter(TraceEntry::injected)).isNotEmpty();
    assertThat(trace.entries().stream().filter(TraceEntry::injected))
        .allSatisfy(
            e -> assertThat(trace.outcome(trace.entries().indexOf(e)).isRejected()).isTrue());
  }
}
