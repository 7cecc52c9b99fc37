package io.steadfast.testkit.rule;

/** The verdict of one rule. Only {@link #PASS} counts towards a certificate. */
public enum Verdict {
  /** Checked, with its coverage target reached, and held. */
  PASS,
  /** Checked and broken; the result carries a counterexample and a replay command. */
  FAIL,
  /**
   * Not checked, for the stated reason: the rule does not apply (the application declared it lacks
   * the capability the rule is about, or does not use the feature the rule checks), or a rule it
   * depends on failed or could not be decided (a dependency that does not apply blocks nothing).
   */
  SKIPPED,
  /** Checked but undecided: the check timed out or never reached its coverage target. */
  UNKNOWN
}
