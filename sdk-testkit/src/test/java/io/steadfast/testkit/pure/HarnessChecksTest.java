package io.steadfast.testkit.pure;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.ApplyContext;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.TestCheckContexts;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import org.junit.jupiter.api.Test;

class HarnessChecksTest {

  /** Refuses every command, naming a number that varies: the workload cannot get going. */
  static final class Closed extends Ledger {
    @Override
    public Receipt apply(LedgerCommand command, ApplyContext context) {
      throw new IllegalStateException("branch " + command.account().length() + " is closed");
    }
  }

  @Test
  void tooFewAcceptedCommands_isUnknown_andNamesTheCommonestRejection() throws Exception {
    CheckContext<LedgerCommand, Receipt> context =
        TestCheckContexts.of(
            Closed::new,
            JacksonCodec.of(LedgerCommand.class, Receipt.class),
            new TellerWorkload(),
            HarnessChecksTest.class);

    CheckOutcome configuration = HarnessChecks.configuration(context);
    CheckOutcome fingerprint = HarnessChecks.fingerprint(context);

    assertThat(configuration.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(fingerprint.verdict()).isEqualTo(Verdict.UNKNOWN);
    for (CheckOutcome outcome : new CheckOutcome[] {configuration, fingerprint}) {
      assertThat(outcome.summary())
          .containsPattern(
              "; \\d+ of \\d+ rejected, commonest: 'IllegalStateException: branch # is closed' ×\\d+");
    }
  }
}
