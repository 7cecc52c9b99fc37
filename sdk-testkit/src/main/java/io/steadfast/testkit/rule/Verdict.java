package io.steadfast.testkit.rule;

/** The verdict of one rule. Only {@link #PASS} counts towards a certificate. */
public enum Verdict {
  /** Checked, with its coverage target reached, and held. */
  PASS,
  /** Checked and broken; the result carries a counterexample and a replay command. */
  FAIL,
  /**
   * Not checked, for the stated reason: the application declared it lacks the capability the rule
   * is about, or a rule it depends on did not pass.
   */
  SKIPPED,
  /** Checked but undecided: the check timed out or never reached its coverage target. */
  UNKNOWN
}
