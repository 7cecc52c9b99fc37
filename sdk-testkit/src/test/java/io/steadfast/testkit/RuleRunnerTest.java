package io.steadfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Level;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.RuleCheck;
import io.steadfast.testkit.rule.Verdict;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dependencies: a rule that failed or was not decided blocks the rules that depend on it; a rule
 * that does not apply blocks nothing.
 */
class RuleRunnerTest {

  private static final Rule BASE = Rule.of("XX-1", Level.RESILIENT, "the base rule");
  private static final Rule DEPENDENT =
      Rule.of("XX-2", Level.RESILIENT, "the rule that depends on it").dependingOn("XX-1");

  @Test
  void run_dependencyNotApplicable_dependentRuns() {
    RuleResult dependent = runDependentAfter(CheckOutcome.notApplicable("nothing to check"));

    assertThat(dependent.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void run_dependencyUnknown_dependentBlocked() {
    RuleResult dependent = runDependentAfter(CheckOutcome.unknown("undecided"));

    assertThat(dependent.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(dependent.required()).isTrue();
    assertThat(dependent.summary()).isEqualTo("blocked: depends on XX-1 UNKNOWN");
  }

  @Test
  void run_dependencyFailed_dependentBlocked() {
    RuleResult dependent = runDependentAfter(CheckOutcome.fail("broken", "evidence"));

    assertThat(dependent.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(dependent.summary()).isEqualTo("blocked: depends on XX-1 FAIL");
  }

  private static RuleResult runDependentAfter(CheckOutcome base) {
    RuleRunner<LedgerCommand, Receipt> runner =
        new RuleRunner<>(
            List.of(check(BASE, base), check(DEPENDENT, CheckOutcome.pass("held"))),
            // The checks above use none of the context; the runner reads only its settings.
            TestCheckContexts.of(
                Ledger::new,
                JacksonCodec.of(LedgerCommand.class, Receipt.class),
                new TellerWorkload(),
                RuleRunnerTest.class),
            RuleRunnerTest.class,
            rule -> rule.methodPrefix() + "_test");
    return runner.run("XX-2");
  }

  private static RuleCheck<LedgerCommand, Receipt> check(Rule rule, CheckOutcome outcome) {
    return new RuleCheck<>() {
      @Override
      public Rule rule() {
        return rule;
      }

      @Override
      public CheckOutcome check(CheckContext<LedgerCommand, Receipt> context) {
        return outcome;
      }
    };
  }
}
