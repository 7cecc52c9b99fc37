package io.steadfast.testkit.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.steadfast.api.session.Principal;
import io.steadfast.testkit.certificate.Certificate;
import io.steadfast.testkit.certificate.CertificateWriter;
import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.rule.Capability;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.FreezingLedger;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A rule that cannot reach its coverage is UNKNOWN; a rule that does not apply (waived by a
 * capability, or CP-7 without a frozen state) is SKIPPED, never PASS, and does not stand in the way
 * of the level.
 */
class CoverageAndWaiverTest {

  @Test
  void noRejectionsInTrace_jr3JudgedOnVariantsOfAcceptedCommands() throws Exception {
    Certificate c = run(NeverRejectedSuite.class);
    RuleResult jr3 = c.byRule().get("JR-3");

    // The trace has no rejection; copies of its commands with a zero, negative, empty or null
    // field are rejected by the ledger, and those are what JR-3 judges.
    assertThat(jr3.verdict()).as(jr3.summary()).isEqualTo(Verdict.PASS);
    assertThat(jr3.coverage().getOrDefault("rejections", 0L)).isZero();
    assertThat(jr3.coverage().get("derivedRejections")).isPositive();
  }

  @Test
  void noRejectionsDeclaredAndTrue_jr3WaivedAndLevelGranted() throws Exception {
    Certificate c = run(DeclaresNoRejectionsSuite.class);
    RuleResult jr3 = c.byRule().get("JR-3");

    assertThat(jr3.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(jr3.required()).isFalse();
    assertThat(jr3.summary()).contains("NO_REJECTIONS");
    assertThat(c.granted()).contains("Resilient");
  }

  @Test
  void noRejectionsDeclaredButFalse_jr3Fails() throws Exception {
    Certificate c = run(FalselyDeclaresNoRejectionsSuite.class);

    assertThat(c.byRule().get("JR-3").verdict()).isEqualTo(Verdict.FAIL);
    assertThat(c.byRule().get("JR-3").summary()).contains("declares NO_REJECTIONS but rejected");
  }

  @Test
  void freezeReturnsNull_cp7NotApplicable_levelGranted() throws Exception {
    Certificate c = run(PlainLedgerSuite.class);
    RuleResult cp7 = c.byRule().get("CP-7");

    assertThat(cp7.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(cp7.required()).isFalse();
    assertThat(cp7.summary()).startsWith("not applicable: freeze() returned null");
    assertThat(c.byRule().values())
        .filteredOn(r -> !r.rule().equals("CP-7") && !r.rule().startsWith("UP-"))
        .allSatisfy(
            r -> assertThat(r.verdict()).as(r.rule() + ": " + r.summary()).isEqualTo(Verdict.PASS));
    assertThat(c.granted()).contains("Resilient");
  }

  @Test
  void freezesACopy_everyRuleIncludingCp7Passes_levelGranted() throws Exception {
    Certificate c = run(FreezingLedgerSuite.class);
    RuleResult cp7 = c.byRule().get("CP-7");

    // No previous release declared: the upgrade rules do not apply.
    assertThat(c.byRule().values())
        .filteredOn(r -> !r.rule().startsWith("UP-"))
        .allSatisfy(
            r -> assertThat(r.verdict()).as(r.rule() + ": " + r.summary()).isEqualTo(Verdict.PASS));
    assertThat(c.byRule().values())
        .filteredOn(r -> r.rule().startsWith("UP-"))
        .allSatisfy(r -> assertThat(r.required()).as(r.rule()).isFalse());
    assertThat(cp7.coverage().get("freezes")).isEqualTo(4L);
    assertThat(cp7.coverage().get("changedWhileFrozen")).isPositive();
    assertThat(c.granted()).contains("Resilient");
  }

  private static Certificate run(Class<?> suite) throws Exception {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
    return CertificateWriter.read(
        BrokenApplicationsTest.directory(suite).resolve(CertificateWriter.JSON));
  }

  /** Each user opens one account and only ever pays in: nothing is rejected. */
  static final class DepositsOnly implements Workload<LedgerCommand, Receipt> {
    @Override
    public Principal principal(int user) {
      return Principal.of("saver-" + user, "teller");
    }

    @Override
    public UserScript<LedgerCommand, Receipt> newUser(int user, long seed) {
      int[] step = {0};
      return last -> {
        int n = step[0]++;
        if (n > 12) {
          return Optional.empty();
        }
        String account = "saver-" + user;
        return Optional.of(
            n == 0
                ? new LedgerCommand.Open(account, "saver", 0)
                : new LedgerCommand.Deposit(account, 1 + (seed + n & 0xff)));
      };
    }
  }

  static final class PlainLedgerSuite extends BrokenApplicationsTest.BrokenSuite {
    PlainLedgerSuite() {
      super(Ledger::new);
    }
  }

  static final class FreezingLedgerSuite extends BrokenApplicationsTest.BrokenSuite {
    FreezingLedgerSuite() {
      super(FreezingLedger::new);
    }
  }

  static final class NeverRejectedSuite extends BrokenApplicationsTest.BrokenSuite {
    NeverRejectedSuite() {
      super(Ledger::new);
    }

    @Override
    protected Workload<LedgerCommand, Receipt> workload() {
      return new DepositsOnly();
    }
  }

  static final class DeclaresNoRejectionsSuite extends BrokenApplicationsTest.BrokenSuite {
    DeclaresNoRejectionsSuite() {
      super(Ledger::new);
    }

    @Override
    protected Workload<LedgerCommand, Receipt> workload() {
      return new DepositsOnly();
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.NO_REJECTIONS);
    }
  }

  static final class FalselyDeclaresNoRejectionsSuite extends BrokenApplicationsTest.BrokenSuite {
    FalselyDeclaresNoRejectionsSuite() {
      super(Ledger::new);
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.NO_REJECTIONS);
    }
  }
}
