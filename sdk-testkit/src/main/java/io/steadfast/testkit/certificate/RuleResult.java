package io.steadfast.testkit.certificate;

import io.steadfast.testkit.rule.Level;
import io.steadfast.testkit.rule.Verdict;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The result of one rule in one run, as the certificate records it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rule the rule id, such as {@code CP-1}
 * @param level the rule's level
 * @param intent the rule's one-line intent
 * @param verdict PASS, FAIL, SKIPPED or UNKNOWN
 * @param required whether the rule must pass for its level (false only when it does not apply: the
 *     application waived it, or its check found it not applicable)
 * @param summary one line: what held, what broke, or why not decided
 * @param durationMillis how long the check took
 * @param coverage what the check exercised, by name
 * @param counterexample for a failure, the evidence
 * @param replayCommand for a failure, the command that replays it from its seed
 */
public record RuleResult(
    String rule,
    Level level,
    String intent,
    Verdict verdict,
    boolean required,
    String summary,
    long durationMillis,
    SortedMap<String, Long> coverage,
    @Nullable String counterexample,
    @Nullable String replayCommand) {

  /** Checks the fields and copies the coverage. */
  public RuleResult {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(summary, "summary");
    coverage = Collections.unmodifiableSortedMap(new TreeMap<>(coverage));
  }

  /** Whether this result lets its level be granted: a pass, or a skip of a rule not applying. */
  public boolean counts() {
    return verdict == Verdict.PASS || (verdict == Verdict.SKIPPED && !required);
  }
}
