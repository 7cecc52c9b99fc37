package io.steadfast.testkit.pure;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.session.Principal;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.TestCheckContexts;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.FreezingLedger;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** CP-7's check called directly, without the rules it depends on, on ledgers that freeze. */
class FrozenStateCheckTest {

  @Test
  void check_freezesACopy_passesAtEveryFreeze() throws Exception {
    CheckOutcome outcome =
        FrozenStateCheck.check(context(FreezingLedger::new, new TellerWorkload()));

    assertThat(outcome.verdict()).as(outcome.toString()).isEqualTo(Verdict.PASS);
    assertThat(outcome.coverage())
        .containsEntry("freezes", 4L)
        .containsEntry("changedWhileFrozen", 4L);
  }

  @Test
  void check_freezeReturnsNull_notApplicableAndNotRequired() throws Exception {
    CheckOutcome outcome = FrozenStateCheck.check(context(Ledger::new, new TellerWorkload()));

    assertThat(outcome.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(outcome.isWaived()).isTrue();
    assertThat(outcome.summary()).startsWith("not applicable: freeze() returned null at all 4");
    assertThat(outcome.coverage()).containsEntry("freezesDeclined", 4L);
  }

  @Test
  void check_freezeReturnsNullWhileEmpty_checksTheOtherFreezes() throws Exception {
    CheckOutcome outcome =
        FrozenStateCheck.check(context(FreezesOnceOpened::new, new TellerWorkload()));

    assertThat(outcome.verdict()).as(outcome.toString()).isEqualTo(Verdict.PASS);
    assertThat(outcome.coverage())
        .containsEntry("freezesDeclined", 1L)
        .containsEntry("freezes", 3L);
  }

  @Test
  void check_frozenStateReadsLiveState_failsWithSizesAndFirstDifferingByte() throws Exception {
    CheckOutcome outcome = FrozenStateCheck.check(context(WritesLive::new, new TellerWorkload()));

    assertThat(outcome.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(outcome.summary())
        .isEqualTo("a frozen state wrote other bytes than checkpoint() wrote when it was frozen");
    assertThat(outcome.counterexample())
        .get()
        .asString()
        .startsWith("frozen after entry #0 (")
        .contains("checkpoint() at the freeze: 4 bytes")
        .containsPattern("writeTo afterwards: +\\d+ bytes")
        .contains("first difference at byte 3")
        .contains("writeTo wrote the state as it is now");
  }

  @Test
  void check_freezeChangesTheState_fails() throws Exception {
    CheckOutcome outcome =
        FrozenStateCheck.check(context(OpensAnAccountOnFreeze::new, new TellerWorkload()));

    assertThat(outcome.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(outcome.summary()).isEqualTo("freeze() changed the state");
    assertThat(outcome.counterexample())
        .get()
        .asString()
        .contains("4 bytes")
        .contains("just before freeze()")
        .contains("first difference at byte 3");
  }

  @Test
  void check_stateNeverChangesWhileFrozen_unknown() throws Exception {
    CheckOutcome outcome = FrozenStateCheck.check(context(FreezingLedger::new, new RejectedOnly()));

    assertThat(outcome.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(outcome.summary()).contains("never changed");
    assertThat(outcome.coverage()).containsEntry("unchangedWhileFrozen", 4L);
  }

  @Test
  void check_writesFrozenStatesOffTheCallingThread() throws Exception {
    RecordsWriterThread.threads.clear();

    CheckOutcome outcome =
        FrozenStateCheck.check(context(RecordsWriterThread::new, new TellerWorkload()));

    assertThat(outcome.verdict()).as(outcome.toString()).isEqualTo(Verdict.PASS);
    assertThat(RecordsWriterThread.threads)
        .hasSize(4)
        .doesNotContain(Thread.currentThread().getName());
  }

  /** Correct, but declines to freeze an empty ledger. */
  static final class FreezesOnceOpened extends FreezingLedger {
    @Override
    public @Nullable FrozenState freeze() {
      return accounts.isEmpty() ? null : super.freeze();
    }
  }

  /** Broken: the frozen state writes the live accounts. */
  static final class WritesLive extends Ledger {
    @Override
    public FrozenState freeze() {
      return out -> writeAccounts(out, accounts);
    }
  }

  /** Broken: freezing opens an account. */
  static final class OpensAnAccountOnFreeze extends FreezingLedger {
    @Override
    public FrozenState freeze() {
      accounts.put("acct-frozen", new Account("freezer", 0, 0, 0, 0));
      return super.freeze();
    }
  }

  /** Correct; remembers which thread wrote each frozen state. */
  static final class RecordsWriterThread extends FreezingLedger {
    static final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public FrozenState freeze() {
      FrozenState frozen = super.freeze();
      return out -> {
        threads.add(Thread.currentThread().getName());
        frozen.writeTo(out);
      };
    }
  }

  /** Users who only ever pay into an account that does not exist: every command is rejected. */
  static final class RejectedOnly implements Workload<LedgerCommand, Receipt> {
    @Override
    public Principal principal(int user) {
      return Principal.of("stranger-" + user);
    }

    @Override
    public io.steadfast.testkit.workload.UserScript<LedgerCommand, Receipt> newUser(
        int user, long seed) {
      int[] steps = {0};
      return last ->
          steps[0]++ < 10
              ? Optional.of(new LedgerCommand.Deposit("acct-none", 1))
              : Optional.empty();
    }
  }

  private static CheckContext<LedgerCommand, Receipt> context(
      Supplier<? extends Ledger> factory, Workload<LedgerCommand, Receipt> workload) {
    return TestCheckContexts.of(
        factory,
        JacksonCodec.of(LedgerCommand.class, Receipt.class),
        workload,
        FrozenStateCheckTest.class);
  }
}
