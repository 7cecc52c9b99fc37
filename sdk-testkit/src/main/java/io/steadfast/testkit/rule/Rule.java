package io.steadfast.testkit.rule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A numbered, stable certification rule: its id (such as {@code CP-1}), level, one-line intent, the
 * rules whose failure makes it undecidable, and the capability whose declared absence makes it not
 * applicable.
 *
 * <p>Immutable and thread-safe. Build with {@link #of} and the {@code dependingOn}/{@code
 * notApplicableWithout} copies.
 */
public final class Rule {

  private static final Pattern ID = Pattern.compile("[A-Z]{2,4}-[0-9]{1,3}");

  private final String id;
  private final Level level;
  private final String intent;
  private final List<String> dependsOn;
  private final @Nullable Capability waivedBy;

  private Rule(
      String id,
      Level level,
      String intent,
      List<String> dependsOn,
      @Nullable Capability waivedBy) {
    this.id = id;
    this.level = level;
    this.intent = intent;
    this.dependsOn = List.copyOf(dependsOn);
    this.waivedBy = waivedBy;
  }

  /**
   * A rule with no dependencies.
   *
   * @param id letters, a dash and a number, such as {@code JR-3}
   * @param level the level it belongs to
   * @param intent one line saying what the rule guarantees
   */
  public static Rule of(String id, Level level, String intent) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("rule id must look like CP-1: " + id);
    }
    Objects.requireNonNull(level, "level");
    if (intent == null || intent.isBlank()) {
      throw new IllegalArgumentException("rule " + id + " needs an intent");
    }
    return new Rule(id, level, intent, List.of(), null);
  }

  /**
   * A copy that is {@link Verdict#SKIPPED} unless every rule in {@code ruleIds} passed in this run
   * or does not apply (was waived, or found not applicable).
   */
  public Rule dependingOn(String... ruleIds) {
    return new Rule(id, level, intent, List.of(ruleIds), waivedBy);
  }

  /**
   * A copy that does not apply (is {@link Verdict#SKIPPED} and not required) when the application
   * declares {@code capability}.
   */
  public Rule waivedBy(Capability capability) {
    return new Rule(id, level, intent, dependsOn, Objects.requireNonNull(capability));
  }

  /** The id, such as {@code CP-1}. */
  public String id() {
    return id;
  }

  /** The id without its dash, as used in test method names: {@code CP1}. */
  public String methodPrefix() {
    return id.replace("-", "");
  }

  /** The level the rule belongs to. */
  public Level level() {
    return level;
  }

  /** What the rule guarantees, in one line. */
  public String intent() {
    return intent;
  }

  /** The rules that must pass before this one can be decided. */
  public List<String> dependsOn() {
    return dependsOn;
  }

  /** The declared capability that makes this rule not applicable, if any. */
  public Optional<Capability> waiver() {
    return Optional.ofNullable(waivedBy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rule r && id.equals(r.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id + " " + intent;
  }
}
