package io.steadfast.testkit.rule;

/**
 * The check behind one rule.
 *
 * <p><b>Implemented by the testkit</b> (the pure rules, and the cluster rules on an embedded
 * cluster); a suite may add its own through {@code CertificationSuite.ruleChecks()}. The suite runs
 * a check only after every rule it depends on passed and only if the application did not waive it;
 * it times the call, enforces the settings' time limit (a check that overruns is {@link
 * Verdict#UNKNOWN}), and turns an exception thrown by the check into a {@link Verdict#FAIL} with
 * the exception as counterexample. Called on a suite worker thread, one check at a time.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public interface RuleCheck<C, R> {

  /** The rule this check decides. */
  Rule rule();

  /**
   * Decides the rule for the application behind {@code context}. Must never return {@link
   * Verdict#PASS} without having exercised the property: if the coverage target is out of reach,
   * return {@link Verdict#UNKNOWN}.
   */
  CheckOutcome check(CheckContext<C, R> context) throws Exception;

  /**
   * Whether this check should run even when the application waived the rule, to verify the
   * declaration (and fail if it is false). A check that returns true must itself return {@link
   * CheckOutcome#waived} when the declaration holds. False by default: a waived rule is skipped
   * without running its check.
   */
  default boolean verifiesWaiver() {
    return false;
  }

  /**
   * How long this check may run before it is {@link Verdict#UNKNOWN}; the settings' rule limit by
   * default.
   */
  default java.time.Duration timeLimit(SuiteSettings settings) {
    return settings.ruleTimeout();
  }
}
