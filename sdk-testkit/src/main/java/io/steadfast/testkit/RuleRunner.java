package io.steadfast.testkit;

import io.steadfast.testkit.certificate.RuleResult;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.RuleCheck;
import io.steadfast.testkit.rule.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs rule checks in dependency order, each at most once, with a time limit, and keeps their
 * results. Not thread-safe: one per suite instance, used from the test thread.
 */
final class RuleRunner<C, R> {

  /** Names the method that replays a rule, for the replay command. */
  interface MethodNames {
    String methodFor(Rule rule);
  }

  private final Map<String, RuleCheck<C, R>> checks = new LinkedHashMap<>();
  private final Map<String, RuleResult> results = new LinkedHashMap<>();
  private final CheckContext<C, R> context;
  private final Class<?> suiteClass;
  private final MethodNames methods;

  RuleRunner(
      List<RuleCheck<C, R>> registered,
      CheckContext<C, R> context,
      Class<?> suiteClass,
      MethodNames methods) {
    for (RuleCheck<C, R> check : registered) {
      RuleCheck<C, R> clash = checks.putIfAbsent(check.rule().id(), check);
      if (clash != null) {
        throw new IllegalArgumentException("two checks registered for rule " + check.rule().id());
      }
    }
    this.context = context;
    this.suiteClass = suiteClass;
    this.methods = methods;
  }

  List<Rule> registered() {
    return checks.values().stream().map(RuleCheck::rule).toList();
  }

  List<RuleResult> results() {
    return new ArrayList<>(results.values());
  }

  /** Runs {@code ruleId} (after whatever it depends on) unless it already ran. */
  RuleResult run(String ruleId) {
    RuleResult done = results.get(ruleId);
    if (done != null) {
      return done;
    }
    RuleCheck<C, R> check = checks.get(ruleId);
    if (check == null) {
      throw new IllegalArgumentException(
          "no check registered for rule " + ruleId + "; registered: " + checks.keySet());
    }
    Rule rule = check.rule();
    List<String> blockers = new ArrayList<>();
    for (String dependency : rule.dependsOn()) {
      if (!checks.containsKey(dependency)) {
        continue;
      }
      RuleResult before = run(dependency);
      // A dependency that does not apply (waived, or found not applicable) blocks nothing.
      if (!before.counts()) {
        blockers.add(dependency + " " + before.verdict());
      }
    }
    long start = System.nanoTime();
    CheckOutcome outcome;
    if (!blockers.isEmpty()) {
      outcome = CheckOutcome.skipped("blocked: depends on " + String.join(", ", blockers));
    } else if (rule.waiver().isPresent()
        && context.capabilities().contains(rule.waiver().get())
        && !check.verifiesWaiver()) {
      outcome = CheckOutcome.waived(rule.waiver().get());
    } else {
      outcome = timed(check, check.timeLimit(context.settings()));
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String replay =
        outcome.verdict() == Verdict.FAIL || outcome.verdict() == Verdict.UNKNOWN
            ? ReplayCommand.of(
                suiteClass,
                methods.methodFor(rule),
                context.settings().seed(),
                context.settings().isDeep())
            : null;
    RuleResult result =
        new RuleResult(
            rule.id(),
            rule.level(),
            rule.intent(),
            outcome.verdict(),
            !outcome.isWaived(),
            outcome.summary(),
            millis,
            outcome.coverage(),
            outcome.counterexample().orElse(null),
            replay);
    results.put(rule.id(), result);
    return result;
  }

  private CheckOutcome timed(RuleCheck<C, R> check, Duration limit) {
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "steadfast-check-" + check.rule().id());
              t.setDaemon(true);
              return t;
            });
    try {
      Future<CheckOutcome> future = worker.submit(() -> check.check(context));
      try {
        CheckOutcome outcome = future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (outcome == null) {
          return CheckOutcome.unknown("the check returned no outcome");
        }
        return outcome;
      } catch (TimeoutException e) {
        future.cancel(true);
        return CheckOutcome.unknown("the check did not finish within " + limit);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return CheckOutcome.fail(
            "the application threw "
                + cause.getClass().getSimpleName()
                + " during the check: "
                + cause.getMessage(),
            stackTrace(cause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        return CheckOutcome.unknown("interrupted");
      }
    } finally {
      worker.shutdownNow();
    }
  }

  private static String stackTrace(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      text.append(c == t ? "" : "caused by: ").append(c).append('\n');
      StackTraceElement[] frames = c.getStackTrace();
      for (int i = 0; i < Math.min(frames.length, 12); i++) {
        text.append("    at ").append(frames[i]).append('\n');
      }
    }
    return text.toString().strip();
  }
}
