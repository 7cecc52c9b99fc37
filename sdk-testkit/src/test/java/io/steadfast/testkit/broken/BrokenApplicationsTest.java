package io.steadfast.testkit.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.CertificationSuite;
import io.steadfast.testkit.certificate.Certificate;
import io.steadfast.testkit.certificate.CertificateWriter;
import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.pure.PureRules;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.SuiteSettings;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.LedgerGoldens;
import io.steadfast.testkit.sample.LedgerV2;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import io.steadfast.testkit.workload.Workload;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the suite, through the JUnit platform as a vendor's build would, against each broken ledger
 * and checks that exactly the rule it breaks fails, every other pure rule passes or is blocked by
 * that failure, the failure names its seed and replay command, and no level is granted.
 */
class BrokenApplicationsTest {

  @Test
  void wallClock_failsJr1ByReplay_andJr5ByReadingTheCode() {
    assertFailsExactly(WallClockSuite.class, "JR-1", "JR-5");

    RuleResult jr5 = read(WallClockSuite.class).byRule().get("JR-5");
    assertThat(jr5.summary()).contains("WallClock.now calls java.lang.System.currentTimeMillis");
  }

  @Test
  void dateLevelClock_passesEveryReplay_butFailsJr5_namingTheMethodAndTheCall() {
    assertFailsExactly(DateClockSuite.class, "JR-5");

    RuleResult jr5 = read(DateClockSuite.class).byRule().get("JR-5");
    assertThat(jr5.summary())
        .contains("DateClock.now calls java.time.LocalDate.now")
        .contains("ApplyContext.timestamp()");
    assertThat(jr5.counterexample())
        .contains("reached by")
        .contains("io.steadfast.testkit.sample.Ledger.apply");
  }

  @Test
  void feeReadFromAFileInApply_failsOnlyJr5_namingTheCall() {
    assertFailsExactly(FeeFromFileSuite.class, "JR-5");
    RuleResult jr5 = read(FeeFromFileSuite.class).byRule().get("JR-5");
    assertThat(jr5.summary())
        .contains("FeeFromFile.withdrawalFee calls java.nio.file.Files.readString")
        .contains("bring the data in with the command");
  }

  @Test
  void correctLedger_passesJr5_althoughBrokenSubclassesShareItsCode() {
    var unused =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(CorrectUpgradeSuite.class))
            .execute();
    RuleResult jr5 = read(CorrectUpgradeSuite.class).byRule().get("JR-5");
    assertThat(jr5.verdict())
        .as(jr5.summary() + "\n" + jr5.counterexample())
        .isEqualTo(Verdict.PASS);
    assertThat(jr5.summary()).containsPattern("\\d+ methods reachable from the exit points");
  }

  @Test
  void hashMapOrder_failsOnlyCp2() {
    assertFailsExactly(HashOrderSuite.class, "CP-2");
  }

  @Test
  void checkpointThatSortsTheLiveState_failsOnlyCp2_namingTheField() {
    assertFailsExactly(SortsOnCheckpointSuite.class, "CP-2");
    RuleResult cp2 = read(SortsOnCheckpointSuite.class).byRule().get("CP-2");
    assertThat(cp2.summary()).contains("taking a checkpoint changed the state");
    assertThat(cp2.counterexample()).contains("state.openedInOrder[");
  }

  @Test
  void queryThatCountsLookupsInTheState_failsOnlyJr6() {
    assertFailsExactly(CountsLookupsSuite.class, "JR-6");
    RuleResult jr6 = read(CountsLookupsSuite.class).byRule().get("JR-6");
    assertThat(jr6.summary()).startsWith("query changed the replicated state");
  }

  @Test
  void promotionThatClosesAccounts_failsOnlyJr6_namingTheCallbackAndTheField() {
    assertFailsExactly(TidiesOnPromotionSuite.class, "JR-6");
    RuleResult jr6 = read(TidiesOnPromotionSuite.class).byRule().get("JR-6");
    assertThat(jr6.summary())
        .startsWith("onRoleChange(BACKUP -> PRIMARY, FAILOVER) changed the replicated state");
    assertThat(jr6.counterexample()).contains("state.accounts");
  }

  @Test
  void onResumeThatChangesAccounts_failsOnlyJr6() {
    assertFailsExactly(CountsReturnsSuite.class, "JR-6");
    RuleResult jr6 = read(CountsReturnsSuite.class).byRule().get("JR-6");
    assertThat(jr6.summary()).startsWith("onResume(").contains("changed the replicated state");
  }

  @Test
  void resumePointThatDependsOnTheRole_failsOnlyJr6_beforeAnyClusterRuns() {
    assertFailsExactly(RoleResumePointSuite.class, "JR-6");
    RuleResult jr6 = read(RoleResumePointSuite.class).byRule().get("JR-6");
    assertThat(jr6.summary()).startsWith("apply gives another outcome on a node that is primary");
    assertThat(jr6.counterexample()).contains("desk=front").contains("desk=back");
  }

  @Test
  void correctLedgerWithLookups_passesJr6() {
    var unused =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(CorrectLookupsSuite.class))
            .execute();
    Certificate certificate = read(CorrectLookupsSuite.class);
    RuleResult jr6 = certificate.byRule().get("JR-6");
    assertThat(jr6.verdict())
        .as(jr6.summary() + "\n" + jr6.counterexample())
        .isEqualTo(Verdict.PASS);
    assertThat(jr6.coverage().get("queries")).isPositive();
    assertThat(jr6.coverage().get("roleCallbacks")).isPositive();
    assertThat(jr6.coverage().get("resumeCallbacks")).isPositive();
    assertThat(certificate.granted()).contains("Resilient");
  }

  @Test
  void droppedField_failsOnlyCp1() {
    assertFailsExactly(DroppedFieldSuite.class, "CP-1");
  }

  @Test
  void halfMutatingReject_failsOnlyJr3() {
    assertFailsExactly(HalfMutatingSuite.class, "JR-3");
  }

  @Test
  void rejectionPathTheWorkloadNeverTakes_failsOnlyJr3_byVaryingAcceptedCommands() {
    assertFailsExactly(CountsRefusedTransfersSuite.class, "JR-3");
    RuleResult jr3 = read(CountsRefusedTransfersSuite.class).byRule().get("JR-3");
    assertThat(jr3.summary()).contains("a rejected variant of entry #").contains("amount = ");
    assertThat(jr3.counterexample()).contains("postings");
  }

  @Test
  void restoreIgnoresInput_failsOnlyCp1() {
    assertFailsExactly(RestoreIgnoresInputSuite.class, "CP-1");
  }

  @Test
  void emptyCheckpoint_failsOnlyHv2() {
    assertFailsExactly(EmptyCheckpointSuite.class, "HV-2");
  }

  @Test
  void futureVersionAccepted_failsOnlyCp5() {
    assertFailsExactly(IgnoresVersionSuite.class, "CP-5");
  }

  @Test
  void defaultCharset_failsCp3InAnotherJvm_andJr5ByReadingTheCode() {
    assertFailsExactly(DefaultCharsetSuite.class, "CP-3", "JR-5");
  }

  @Test
  void lenientCodec_failsOnlyJr4() {
    assertFailsExactly(LenientCodecSuite.class, "JR-4");
  }

  @Test
  void frozenStateReadsLiveState_failsOnlyCp7_namingTheFirstDifferingByte() {
    assertFailsExactly(FrozenLiveSuite.class, "CP-7");

    RuleResult cp7 = read(FrozenLiveSuite.class).byRule().get("CP-7");
    assertThat(cp7.summary()).contains("other bytes than checkpoint() wrote when it was frozen");
    assertThat(cp7.counterexample())
        .containsPattern("checkpoint\\(\\) at the freeze: +\\d+ bytes")
        .containsPattern("writeTo afterwards: +\\d+ bytes")
        .containsPattern("first difference at byte \\d+")
        .contains("writeTo wrote the state as it is now");
  }

  @Test
  void upgradeChangingOldBehaviourBeforeFinalize_failsOnlyUp1() {
    assertFailsExactly(UngatedFeeSuite.class, "UP-1");

    RuleResult up1 = read(UngatedFeeSuite.class).byRule().get("UP-1");
    assertThat(up1.summary()).contains("differently from the previous release");
    assertThat(up1.counterexample()).contains("Withdraw").contains("activeVersion() >= 2");
  }

  @Test
  void correctUpgrade_passesTheUpgradeRules_andIsGrantedResilient() {
    var unused =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(CorrectUpgradeSuite.class))
            .execute();
    Certificate certificate = read(CorrectUpgradeSuite.class);
    Map<String, RuleResult> results = certificate.byRule();

    assertThat(results.get("UP-1").verdict())
        .as(results.get("UP-1").summary())
        .isEqualTo(Verdict.PASS);
    assertThat(results.get("UP-2").verdict())
        .as(results.get("UP-2").summary())
        .isEqualTo(Verdict.PASS);
    assertThat(results.get("UP-2").summary()).contains("1 golden checkpoints");
    assertThat(certificate.granted()).isNotEmpty();
    // What was certified, recorded for matching the certificate with the shipped artifact.
    assertThat(certificate.versions())
        .containsEntry("supportedVersion", "2")
        .containsEntry("applicationRelease", "unversioned")
        .containsKeys("testkit", "java", "checkpointVersion", "certifiedAt");
    assertThat(certificate.versions().get("applicationCode"))
        .matches("sha256:[0-9a-f]{64} \\(\\d+ files under test-classes\\)");
  }

  @Test
  void replayCommand_ofAFailure_reproducesTheSameCounterexample() {
    String first = failureMessage(DroppedFieldSuite.class, "CP-1", "777");
    String firstCounterexample =
        read(DroppedFieldSuite.class).byRule().get("CP-1").counterexample();
    java.util.regex.Matcher seed =
        java.util.regex.Pattern.compile("-Dsteadfast\\.seed=(-?\\d+)").matcher(first);
    assertThat(seed.find()).as("replay command in: %s", first).isTrue();
    assertThat(seed.group(1)).isEqualTo("777");

    String replayed = failureMessage(DroppedFieldSuite.class, "CP-1", seed.group(1));

    assertThat(replayed).contains("(seed 777)");
    assertThat(read(DroppedFieldSuite.class).byRule().get("CP-1").counterexample())
        .isNotBlank()
        .isEqualTo(firstCounterexample);
  }

  private static String failureMessage(Class<?> suite, String rule, String seed) {
    String previous = System.getProperty("steadfast.seed");
    System.setProperty("steadfast.seed", seed);
    try {
      EngineExecutionResults run =
          EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
      String method = rule.replace("-", "") + "_";
      return run.testEvents().failed().stream()
          .filter(e -> e.getTestDescriptor().getLegacyReportingName().startsWith(method))
          .findFirst()
          .orElseThrow()
          .getPayload(org.junit.platform.engine.TestExecutionResult.class)
          .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
          .map(Throwable::getMessage)
          .orElse("");
    } finally {
      if (previous == null) {
        System.clearProperty("steadfast.seed");
      } else {
        System.setProperty("steadfast.seed", previous);
      }
    }
  }

  /**
   * Runs {@code suite} and checks that the rules {@code broken} fail, with a counterexample and a
   * replay command each, and every other rule passes or is skipped for a stated reason.
   */
  private static void assertFailsExactly(Class<? extends BrokenSuite> suite, String... broken) {
    EngineExecutionResults run =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
    Certificate certificate = read(suite);
    Map<String, RuleResult> results = certificate.byRule();
    List<String> failing = List.of(broken);

    assertThat(results).containsOnlyKeys(PureRules.rules().stream().map(Rule::id).toList());
    for (String id : failing) {
      assertThat(results.get(id).verdict())
          .as(id + " " + results.get(id).summary())
          .isEqualTo(Verdict.FAIL);
      assertThat(results.get(id).counterexample()).isNotBlank();
    }
    results.forEach(
        (id, result) -> {
          if (!failing.contains(id)) {
            assertThat(result.verdict())
                .as(id + ": " + result.summary())
                .isIn(Verdict.PASS, Verdict.SKIPPED);
            if (result.verdict() == Verdict.SKIPPED && result.required()) {
              assertThat(result.summary()).as(id).startsWith("blocked: depends on");
            }
            if (result.verdict() == Verdict.SKIPPED && !result.required()) {
              // These ledgers have no frozen state, and most declare no previous release.
              if (id.startsWith("UP-")) {
                assertThat(result.summary())
                    .startsWith("not applicable: no previous release declared");
              } else {
                assertThat(id).isEqualTo("CP-7");
                assertThat(result.summary()).startsWith("not applicable: freeze() returned null");
              }
            }
          }
        });
    assertThat(certificate.granted()).isEmpty();

    assertThat(run.testEvents().failed().count()).isEqualTo(failing.size());
    for (String id : failing) {
      String method = id.replace("-", "") + "_";
      Event failure =
          run.testEvents().failed().stream()
              .filter(e -> e.getTestDescriptor().getLegacyReportingName().startsWith(method))
              .findFirst()
              .orElseThrow();
      assertThat(message(failure))
          .startsWith(id + " FAIL (seed " + SuiteSettings.DEFAULT_SEED + ")")
          .contains("replay: ./mvnw")
          .contains("-Dsteadfast.seed=" + SuiteSettings.DEFAULT_SEED)
          .contains(suite.getSimpleName() + "#" + method);
    }
  }

  /** The message of the assertion a failed test event ended with; empty if none. */
  static String message(Event failure) {
    return failure
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
        .map(Throwable::getMessage)
        .orElse("");
  }

  private static Certificate read(Class<?> suite) {
    try {
      return CertificateWriter.read(directory(suite).resolve(CertificateWriter.JSON));
    } catch (java.io.IOException e) {
      throw new AssertionError("no certificate written for " + suite.getSimpleName(), e);
    }
  }

  static Path directory(Class<?> suite) {
    return Path.of("target", "steadfast-selftest", suite.getSimpleName());
  }

  /** The sample ledger's suite with one piece swapped for a broken one. */
  abstract static class BrokenSuite extends CertificationSuite<LedgerCommand, Receipt> {
    private final Supplier<Ledger> factory;

    BrokenSuite(Supplier<Ledger> factory) {
      this.factory = factory;
    }

    @Override
    protected ResilientApplication<LedgerCommand, Receipt> newApplication() {
      return factory.get();
    }

    @Override
    protected CommandCodec<LedgerCommand, Receipt> codec() {
      return JacksonCodec.of(LedgerCommand.class, Receipt.class);
    }

    @Override
    protected Workload<LedgerCommand, Receipt> workload() {
      return new TellerWorkload();
    }

    @Override
    protected SuiteSettings settings() {
      // The seed follows steadfast.seed, as a vendor's suite does, so the replay test can use it.
      return SuiteSettings.fromSystemProperties()
          .withReportDirectory(directory(getClass()))
          .withClusterRules(false);
    }
  }

  /** A next release of the ledger beside the sample's first release and its golden checkpoint. */
  abstract static class UpgradeSuite extends BrokenSuite {
    UpgradeSuite(Supplier<Ledger> next) {
      super(next);
    }

    @Override
    protected Optional<ResilientApplication<LedgerCommand, Receipt>> previousRelease() {
      return Optional.of(new Ledger());
    }

    @Override
    protected List<GoldenCheckpoint> goldenCheckpoints() {
      return LedgerGoldens.release1();
    }
  }

  static final class UngatedFeeSuite extends UpgradeSuite {
    UngatedFeeSuite() {
      super(BrokenLedgers.UngatedFee::new);
    }
  }

  static final class CorrectUpgradeSuite extends UpgradeSuite {
    CorrectUpgradeSuite() {
      super(LedgerV2::new);
    }
  }

  /** A suite whose tellers also look balances up (queries). */
  abstract static class LookupSuite extends BrokenSuite {
    LookupSuite(Supplier<Ledger> factory) {
      super(factory);
    }

    @Override
    protected Workload<LedgerCommand, Receipt> workload() {
      return new LookupWorkload();
    }
  }

  static final class CountsLookupsSuite extends LookupSuite {
    CountsLookupsSuite() {
      super(BrokenLedgers.CountsLookups::new);
    }
  }

  static final class CorrectLookupsSuite extends LookupSuite {
    CorrectLookupsSuite() {
      super(Ledger::new);
    }
  }

  static final class FeeFromFileSuite extends BrokenSuite {
    FeeFromFileSuite() {
      super(BrokenLedgers.FeeFromFile::new);
    }
  }

  static final class CountsRefusedTransfersSuite extends BrokenSuite {
    CountsRefusedTransfersSuite() {
      super(BrokenLedgers.CountsRefusedTransfers::new);
    }
  }

  static final class TidiesOnPromotionSuite extends BrokenSuite {
    TidiesOnPromotionSuite() {
      super(BrokenLedgers.TidiesOnPromotion::new);
    }
  }

  static final class CountsReturnsSuite extends BrokenSuite {
    CountsReturnsSuite() {
      super(BrokenLedgers.CountsReturns::new);
    }
  }

  static final class RoleResumePointSuite extends BrokenSuite {
    RoleResumePointSuite() {
      super(BrokenLedgers.RoleResumePoint::new);
    }
  }

  static final class WallClockSuite extends BrokenSuite {
    WallClockSuite() {
      super(BrokenLedgers.WallClock::new);
    }
  }

  static final class DateClockSuite extends BrokenSuite {
    DateClockSuite() {
      super(BrokenLedgers.DateClock::new);
    }
  }

  static final class SortsOnCheckpointSuite extends BrokenSuite {
    SortsOnCheckpointSuite() {
      super(BrokenLedgers.SortsOnCheckpoint::new);
    }
  }

  static final class HashOrderSuite extends BrokenSuite {
    HashOrderSuite() {
      super(BrokenLedgers.HashOrder::new);
    }
  }

  static final class DroppedFieldSuite extends BrokenSuite {
    DroppedFieldSuite() {
      super(BrokenLedgers.DroppedField::new);
    }
  }

  static final class HalfMutatingSuite extends BrokenSuite {
    HalfMutatingSuite() {
      super(BrokenLedgers.HalfMutating::new);
    }
  }

  static final class RestoreIgnoresInputSuite extends BrokenSuite {
    RestoreIgnoresInputSuite() {
      super(BrokenLedgers.RestoreIgnoresInput::new);
    }
  }

  static final class EmptyCheckpointSuite extends BrokenSuite {
    EmptyCheckpointSuite() {
      super(BrokenLedgers.EmptyCheckpoint::new);
    }
  }

  static final class IgnoresVersionSuite extends BrokenSuite {
    IgnoresVersionSuite() {
      super(BrokenLedgers.IgnoresVersion::new);
    }
  }

  static final class DefaultCharsetSuite extends BrokenSuite {
    DefaultCharsetSuite() {
      super(BrokenLedgers.DefaultCharset::new);
    }
  }

  static final class FrozenLiveSuite extends BrokenSuite {
    FrozenLiveSuite() {
      super(BrokenLedgers.FrozenLive::new);
    }
  }

  static final class LenientCodecSuite extends BrokenSuite {
    LenientCodecSuite() {
      super(Ledger::new);
    }

    @Override
    protected CommandCodec<LedgerCommand, Receipt> codec() {
      return new BrokenLedgers.LenientCodec();
    }
  }
}
