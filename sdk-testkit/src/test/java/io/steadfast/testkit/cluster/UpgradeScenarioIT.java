package io.steadfast.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.TestCheckContexts;
import io.steadfast.testkit.broken.BrokenLedgers;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import org.junit.jupiter.api.Test;

/**
 * UP-3 on its own: the mixed-release cluster catches a new release that changes the old behaviour
 * before the finalize, even where UP-1 would not run first (the suite blocks UP-3 behind UP-1, so
 * this calls the scenario and the check directly). The correct upgrade passes in {@code
 * LedgerCertificationIT}.
 */
class UpgradeScenarioIT {

  @Test
  void newReleaseChargingItsFeeBeforeFinalize_divergesFromTheOldMembers_andFailsUp3()
      throws InterruptedException {
    CheckContext<LedgerCommand, Receipt> context =
        TestCheckContexts.upgrading(
            BrokenLedgers.UngatedFee::new,
            Ledger::new,
            JacksonCodec.of(LedgerCommand.class, Receipt.class),
            new TellerWorkload(),
            UpgradeScenarioIT.class);

    UpgradeScenario.Run<LedgerCommand, Receipt> run = UpgradeScenario.run(context);
    CheckOutcome outcome = ClusterChecks.upgrade(run, new Evidence<>(context, run.history));

    assertThat(outcome.verdict()).as(outcome.summary()).isEqualTo(Verdict.FAIL);
    assertThat(outcome.summary()).containsAnyOf("did not converge", "anomalies");
    assertThat(run.steps).anyMatch(step -> step.startsWith("upgraded backup"));
  }
}
