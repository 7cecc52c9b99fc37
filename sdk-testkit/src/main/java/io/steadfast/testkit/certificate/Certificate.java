package io.steadfast.testkit.certificate;

import io.steadfast.testkit.rule.Level;
import io.steadfast.testkit.rule.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a certification run: which rules ran with which verdicts, and the level granted.
 *
 * <p>A level is granted when the suite has at least one rule of that level and of every lower
 * level, and every such rule ran and counts (passed, or does not apply: waived by a declared
 * capability or found not applicable by its check). Rules that did not run do not appear; levels
 * whose rules are not all part of the suite, or did not all run, are not granted. Immutable and
 * thread-safe.
 *
 * @param schemaVersion the version of this document's shape; {@value #SCHEMA_VERSION} now
 * @param application the application's class name
 * @param suite the suite class that ran
 * @param versions what was certified and with what: testkit, Java, the application's release (its
 *     jar's Implementation-Version), checkpoint and supported versions, the SHA-256 of its code
 *     ({@link CodeDigest}) and the time the certificate was written
 * @param seed the seed of the run
 * @param deep whether this was the deep run
 * @param traceLength the trace length of the run
 * @param levelGranted the highest level granted, or null if none
 * @param levels for each level, whether granted and why not
 * @param rules the results of the rules that ran, in the order they ran
 */
public record Certificate(
    int schemaVersion,
    String application,
    String suite,
    SortedMap<String, String> versions,
    long seed,
    boolean deep,
    int traceLength,
    @Nullable String levelGranted,
    Map<String, String> levels,
    List<RuleResult> rules) {

  /** The current schema version. */
  public static final int SCHEMA_VERSION = 1;

  /** Copies the collections. */
  public Certificate {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(suite, "suite");
    versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    rules = List.copyOf(rules);
  }

  /**
   * Decides the level for {@code results}, given the rules the suite {@code registered}.
   *
   * @param registered every rule the suite can check, whether it ran or not
   * @param results the results of the rules that ran
   */
  public static Certificate grant(
      String application,
      String suite,
      SortedMap<String, String> versions,
      long seed,
      boolean deep,
      int traceLength,
      List<Rule> registered,
      List<RuleResult> results) {
    Map<String, RuleResult> byId = new LinkedHashMap<>();
    results.forEach(r -> byId.put(r.rule(), r));
    Map<String, String> levels = new LinkedHashMap<>();
    Level granted = null;
    boolean blocked = false;
    for (Level level : Level.values()) {
      String status;
      List<Rule> rules = registered.stream().filter(r -> r.level() == level).toList();
      if (blocked) {
        status = "not granted: a lower level was not granted";
      } else if (rules.isEmpty()) {
        status =
            "not granted: no rule of this level ran (the cluster rules are left out with"
                + " -Dsteadfast.cluster=false; otherwise this suite has no rules of this level)";
      } else {
        List<String> missing = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        for (Rule rule : rules) {
          RuleResult result = byId.get(rule.id());
          if (result == null) {
            missing.add(rule.id());
          } else if (!result.counts()) {
            failing.add(rule.id() + " " + result.verdict());
          }
        }
        if (!missing.isEmpty()) {
          status = "not granted: rules not run: " + String.join(", ", missing);
        } else if (!failing.isEmpty()) {
          status = "not granted: " + String.join(", ", failing);
        } else {
          status = "granted";
        }
      }
      if (status.equals("granted")) {
        granted = level;
      } else {
        blocked = true;
      }
      levels.put(level.title(), status);
    }
    return new Certificate(
        SCHEMA_VERSION,
        application,
        suite,
        versions,
        seed,
        deep,
        traceLength,
        granted == null ? null : granted.title(),
        levels,
        results);
  }

  /** The highest level granted. */
  public Optional<String> granted() {
    return Optional.ofNullable(levelGranted);
  }

  /** The results by rule id. */
  public Map<String, RuleResult> byRule() {
    return rules.stream()
        .collect(Collectors.toMap(RuleResult::rule, r -> r, (a, b) -> b, LinkedHashMap::new));
  }
}
