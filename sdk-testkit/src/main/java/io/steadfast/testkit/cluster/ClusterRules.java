package io.steadfast.testkit.cluster;

import io.steadfast.api.Since;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.pure.PureRules;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Level;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.RuleCheck;
import io.steadfast.testkit.rule.SuiteSettings;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The rules checked on an embedded cluster, and their checks. Numbered as in {@code docs/spec.md}.
 *
 * <p>Every cluster rule depends on every pure rule: a replica that applies, checkpoints or restores
 * unsoundly makes the cluster's equality checks meaningless, and the levels nest anyway (a pure
 * rule that does not apply, such as CP-7 for an application without a frozen state, blocks
 * nothing). All of them are judged on one {@link ClusterScenario}, run once per suite by whichever
 * cluster rule runs first (its time limit is twice the settings' rule limit); the others only read
 * its history. UP-3 is the exception: it runs its own {@link UpgradeScenario} (old and new release
 * side by side) and depends on the pure rules other than the upgrade ones, plus UP-1.
 *
 * <p>RS-5 (effects through an outbox) is not checked yet and is not listed here, so it is not part
 * of any grant.
 *
 * <p>Thread-safe: the scenario is run under a lock.
 */
public final class ClusterRules {

  // The upgrade rules compare two releases; the other cluster rules judge the new one alone.
  private static final String[] PURE =
      PureRules.rules().stream()
          .map(Rule::id)
          .filter(id -> !id.startsWith("UP-"))
          .toArray(String[]::new);

  private static final String[] PURE_AND_UP1 =
      java.util.stream.Stream.concat(
              java.util.Arrays.stream(PURE), java.util.stream.Stream.of("UP-1"))
          .toArray(String[]::new);

  /**
   * The pure rules and TM-3: the rules that judge the replicas' final states compare them, which
   * means nothing while the replicas do not converge; they are blocked on that root cause.
   */
  private static final String[] PURE_AND_TM3 =
      java.util.stream.Stream.concat(
              java.util.Arrays.stream(PURE), java.util.stream.Stream.of("TM-3"))
          .toArray(String[]::new);

  /** Role callbacks in legal order. */
  public static final Rule RL1 =
      Rule.of(
              "RL-1",
              Level.CLUSTER_PROVEN,
              "role callbacks arrive in legal order only, one at a time, with a strictly higher"
                  + " epoch on each promotion and none after END, and the application handles each"
                  + " without throwing")
          .dependingOn(PURE);

  /** Planned switchover under load. */
  public static final Rule RL2 =
      Rule.of(
              "RL-2",
              Level.CLUSTER_PROVEN,
              "a planned switchover under load loses nothing acknowledged, hands over an equal"
                  + " state, and never has two primaries in one epoch")
          .dependingOn(PURE_AND_TM3);

  /** Failover. */
  public static final Rule RL3 =
      Rule.of(
              "RL-3",
              Level.CLUSTER_PROVEN,
              "after the primary crashes (also inside apply or a checkpoint) a new primary"
                  + " continues from the last acknowledged position and the state equals the"
                  + " sequential reference")
          .dependingOn(PURE_AND_TM3);

  /** Backups never write. */
  public static final Rule RL4 =
      Rule.of(
              "RL-4",
              Level.CLUSTER_PROVEN,
              "a backup never applies a client's request: it refuses with NotPrimaryException"
                  + " naming the primary, and no replica changes")
          .dependingOn(PURE);

  /** Rejoin. */
  public static final Rule RL5 =
      Rule.of(
              "RL-5",
              Level.CLUSTER_PROVEN,
              "a node that was down while the journal was purged past it catches up by installing a"
                  + " checkpoint and reaches the primary's fingerprint")
          .dependingOn(PURE_AND_TM3);

  /** History check. */
  public static final Rule RL6 =
      Rule.of(
              "RL-6",
              Level.CLUSTER_PROVEN,
              "across the seeded faults nothing acknowledged is lost, nothing unsubmitted or"
                  + " duplicated is applied, and a sequential replay of the journal gives the same"
                  + " outcomes and state")
          .dependingOn(PURE);

  /** Budgets. */
  public static final Rule TM1 =
      Rule.of(
              "TM-1",
              Level.CLUSTER_PROVEN,
              "every exit-point call (apply, checkpoint, restore, query, onRoleChange) returns"
                  + " within the application's declared budget; an overrun is reported with its"
                  + " stack")
          .dependingOn(PURE);

  /** Health probes. */
  public static final Rule TM2 =
      Rule.of(
              "TM-2",
              Level.CLUSTER_PROVEN,
              "the heartbeat's health() probes run on every replica throughout the scenario, and"
                  + " none throws or overruns its budget")
          .dependingOn(PURE);

  /** Convergence. */
  public static final Rule TM3 =
      Rule.of(
              "TM-3",
              Level.CLUSTER_PROVEN,
              "after the faults stop, all replicas reach one fingerprint within 30 s")
          .dependingOn(PURE);

  /** Exactly once. */
  public static final Rule RS1 =
      Rule.of(
              "RS-1",
              Level.ADVANCED,
              "a request retried with its sequence number after a failover or switchover is applied"
                  + " once and answered with the original outcome")
          .dependingOn(PURE);

  /** Resume at position. */
  public static final Rule RS2 =
      Rule.of(
              "RS-2",
              Level.ADVANCED,
              "after a failover each session's resume point on the new primary is the one its last"
                  + " acknowledged command recorded")
          .dependingOn(PURE);

  /** Positions. */
  public static final Rule RS3 =
      Rule.of(
              "RS-3",
              Level.ADVANCED,
              "positions never go back, also across restarts, and one position never maps to two"
                  + " fingerprints")
          .dependingOn(PURE);

  /** Expiry. */
  public static final Rule RS4 =
      Rule.of(
              "RS-4",
              Level.ADVANCED,
              "session expiry is decided from leader time, identically on every replica, and an"
                  + " expired session's next request is refused")
          .dependingOn(PURE_AND_TM3);

  /** Authorization. */
  public static final Rule AZ1 =
      Rule.of(
              "AZ-1",
              Level.CLUSTER_PROVEN,
              "a principal without roles is refused every command type that changes state, before"
                  + " anything is journaled")
          .dependingOn(PURE)
          .waivedBy(io.steadfast.testkit.rule.Capability.OPEN_TO_EVERY_USER);

  /** A rolling upgrade of a running cluster. */
  public static final Rule UP3 =
      Rule.of(
              "UP-3",
              Level.CLUSTER_PROVEN,
              "a cluster upgraded member by member under load, with a switchover and a finalize,"
                  + " loses nothing, converges, and accepts the new command types once finalized")
          .dependingOn(PURE_AND_UP1);

  private static final List<Rule> RULES =
      List.of(RL1, RL2, RL3, RL4, RL5, RL6, TM1, TM2, TM3, RS1, RS2, RS3, RS4, AZ1, UP3);

  private ClusterRules() {}

  /** Every cluster rule, in the order the suite runs them. */
  public static List<Rule> rules() {
    return RULES;
  }

  /** The checks of every cluster rule, sharing one scenario; in {@link #rules()} order. */
  public static <C, R> List<RuleCheck<C, R>> checks() {
    Shared<C, R> shared = new Shared<>();
    return List.of(
        check(RL1, shared, ClusterChecks::roleOrder),
        check(RL2, shared, ClusterChecks::switchover),
        check(RL3, shared, ClusterChecks::failover),
        check(RL4, shared, ClusterChecks::backupNeverWrites),
        check(RL5, shared, ClusterChecks::rejoin),
        check(RL6, shared, ClusterChecks::historyCheck),
        check(TM1, shared, ClusterChecks::budgets),
        check(TM2, shared, ClusterChecks::healthProbes),
        check(TM3, shared, ClusterChecks::convergence),
        check(RS1, shared, SessionChecks::exactlyOnce),
        check(RS2, shared, SessionChecks::resumeAtPosition),
        check(RS3, shared, SessionChecks::positions),
        check(RS4, shared, SessionChecks::expiry),
        check(AZ1, shared, ClusterChecks::authorization),
        upgradeCheck());
  }

  private static <C, R> RuleCheck<C, R> upgradeCheck() {
    return new RuleCheck<>() {
      @Override
      public Rule rule() {
        return UP3;
      }

      @Override
      public Duration timeLimit(SuiteSettings settings) {
        return settings.ruleTimeout().multipliedBy(2);
      }

      @Override
      public CheckOutcome check(CheckContext<C, R> context) throws InterruptedException {
        if (context.previousRelease().isEmpty()) {
          return CheckOutcome.notApplicable("no previous release declared (previousRelease())");
        }
        int supported = context.newApplication().supportedVersion();
        for (TraceEntry<C> entry : context.trace().entries()) {
          int since = Since.Lookup.versionOf(entry.command().getClass());
          if (since > supported) {
            return CheckOutcome.fail(
                "command type "
                    + entry.command().getClass().getSimpleName()
                    + " is marked @Since("
                    + since
                    + ") but the new release supports only version "
                    + supported,
                "no finalize can enable it; raise supportedVersion() in the release that adds it");
          }
        }
        UpgradeScenario.Run<C, R> run = UpgradeScenario.run(context);
        return ClusterChecks.upgrade(run, new Evidence<>(context, run.history));
      }
    };
  }

  /** The scenario, run once for all checks of one suite. */
  private static final class Shared<C, R> {
    private @Nullable Evidence<C, R> evidence;

    synchronized Evidence<C, R> get(CheckContext<C, R> context) {
      if (evidence == null) {
        History<C, R> history;
        try {
          history = ClusterScenario.run(context);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          history = new History<>();
          history.abortedBecause = "interrupted at its time limit";
        }
        evidence = new Evidence<>(context, history);
      }
      return evidence;
    }
  }

  private static <C, R> RuleCheck<C, R> check(
      Rule rule, Shared<C, R> shared, Function<Evidence<C, R>, CheckOutcome> body) {
    return new RuleCheck<>() {
      @Override
      public Rule rule() {
        return rule;
      }

      @Override
      public Duration timeLimit(SuiteSettings settings) {
        return settings.ruleTimeout().multipliedBy(2);
      }

      @Override
      public CheckOutcome check(CheckContext<C, R> context) {
        Evidence<C, R> evidence = shared.get(context);
        if (evidence.history().load == null) {
          return CheckOutcome.unknown(
              "the cluster scenario did not run: " + evidence.history().abortedBecause);
        }
        return body.apply(evidence);
      }
    };
  }
}
