package io.steadfast.testkit.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.Position;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestApplyContextTest {

  @Test
  void apply_accepted_keepsResumePointSet() {
    TestApplyContext context = TestApplyContext.create();

    Outcome<Receipt> outcome = context.apply(new Ledger(), new LedgerCommand.Open("a", "zoë", 0));

    assertThat(outcome.isRejected()).isFalse();
    assertThat(outcome.result()).isEqualTo(new Receipt("a", "zoë", 0, 0, true));
    assertThat(context.resumePoint()).isEqualTo(ResumePoint.of("account", "a", "screen", "open"));
  }

  @Test
  void apply_rejected_discardsResumePointAndReportsTypeAndMessage() {
    TestApplyContext context =
        TestApplyContext.create().resumePoint(ResumePoint.of("screen", "home"));

    Outcome<Receipt> outcome = context.apply(new Ledger(), new LedgerCommand.Deposit("none", 5));

    assertThat(outcome.isRejected()).isTrue();
    assertThat(outcome.detail()).isEqualTo("NoSuchElementException: no such account: none");
    assertThat(context.resumePoint()).isEqualTo(ResumePoint.of("screen", "home"));
    assertThat(context.pendingResumePoint()).isEmpty();
  }

  @Test
  void random_seededFromPosition() {
    TestApplyContext context = TestApplyContext.create().position(new Position(9, 2));
    long first = context.random().nextLong();

    context.nextPosition();
    long next = context.random().nextLong();
    context.position(new Position(9, 2));

    assertThat(context.random().nextLong()).isEqualTo(first);
    assertThat(next).isNotEqualTo(first);
  }

  @Test
  void advance_negative_refused() {
    assertThatThrownBy(() -> TestApplyContext.create().advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.001");
  }
}
