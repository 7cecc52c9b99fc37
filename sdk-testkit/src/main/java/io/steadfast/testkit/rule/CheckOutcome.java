package io.steadfast.testkit.rule;

import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RuleCheck} concluded: a verdict, a one-line summary, the coverage it reached and,
 * for a failure, a counterexample.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckOutcome {

  private final Verdict verdict;
  private final String summary;
  private final @Nullable String counterexample;
  private final SortedMap<String, Long> coverage;
  private final boolean waived;

  private CheckOutcome(
      Verdict verdict,
      String summary,
      @Nullable String counterexample,
      SortedMap<String, Long> coverage) {
    this(verdict, summary, counterexample, coverage, false);
  }

  private CheckOutcome(
      Verdict verdict,
      String summary,
      @Nullable String counterexample,
      SortedMap<String, Long> coverage,
      boolean waived) {
    this.waived = waived;
    this.verdict = Objects.requireNonNull(verdict, "verdict");
    this.summary = Objects.requireNonNull(summary, "summary");
    this.counterexample = counterexample;
    this.coverage = coverage;
  }

  /** The rule held; {@code summary} says over what. */
  public static CheckOutcome pass(String summary) {
    return new CheckOutcome(Verdict.PASS, summary, null, new TreeMap<>());
  }

  /**
   * The rule is broken.
   *
   * @param summary one line: what broke
   * @param counterexample the evidence, possibly several lines (entries, fingerprints, outcomes)
   */
  public static CheckOutcome fail(String summary, String counterexample) {
    return new CheckOutcome(Verdict.FAIL, summary, counterexample, new TreeMap<>());
  }

  /** The rule could not be decided; {@code summary} says why (coverage not reached, time out). */
  public static CheckOutcome unknown(String summary) {
    return new CheckOutcome(Verdict.UNKNOWN, summary, null, new TreeMap<>());
  }

  /** The rule was not checked, for {@code reason}. */
  public static CheckOutcome skipped(String reason) {
    return new CheckOutcome(Verdict.SKIPPED, reason, null, new TreeMap<>());
  }

  /**
   * The rule does not apply because the application declared {@code capability}: {@link
   * Verdict#SKIPPED}, and not required for the certificate.
   */
  public static CheckOutcome waived(Capability capability) {
    return notApplicable(
        "the application declares " + capability.name() + " (" + capability.declaration() + ")");
  }

  /**
   * The rule does not apply because the check observed that the application does not use what the
   * rule is about (CP-7 when {@code freeze()} returns null): {@link Verdict#SKIPPED}, and not
   * required for the certificate, exactly like {@link #waived}.
   *
   * @param reason why not, such as {@code "freeze() returned null"}
   */
  public static CheckOutcome notApplicable(String reason) {
    return new CheckOutcome(
        Verdict.SKIPPED, "not applicable: " + reason, null, new TreeMap<>(), true);
  }

  /**
   * Whether this is a skip of a rule that does not apply: waived by a declared capability, or found
   * {@linkplain #notApplicable not applicable} by its check.
   */
  public boolean isWaived() {
    return waived;
  }

  /** A copy carrying the counts of {@code coverage}. */
  public CheckOutcome with(Coverage coverage) {
    return new CheckOutcome(verdict, summary, counterexample, coverage.snapshot(), waived);
  }

  /** The verdict. */
  public Verdict verdict() {
    return verdict;
  }

  /** One line: what held, what broke, or why undecided. */
  public String summary() {
    return summary;
  }

  /** The evidence of a failure. */
  public Optional<String> counterexample() {
    return Optional.ofNullable(counterexample);
  }

  /** The coverage counts, sorted by name. */
  public SortedMap<String, Long> coverage() {
    return coverage;
  }

  @Override
  public String toString() {
    return verdict + ": " + summary;
  }
}
