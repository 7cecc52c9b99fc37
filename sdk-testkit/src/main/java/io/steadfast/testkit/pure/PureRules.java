package io.steadfast.testkit.pure;

import io.steadfast.testkit.rule.Capability;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Level;
import io.steadfast.testkit.rule.Rule;
import io.steadfast.testkit.rule.RuleCheck;
import java.util.List;

/**
 * The rules checked without a cluster, and their checks. Numbered as in {@code docs/spec.md}.
 *
 * <p>Dependencies: every rule depends on the harness-validity rules HV-1 to HV-4; JR-3 and CP-1
 * compare two instances and so depend on JR-1; CP-2 compares restored states byte for byte and so
 * depends on CP-1; JR-2 and CP-3 compare fingerprints of restored states and depend on CP-2; CP-5
 * and CP-6 are about what restore refuses and depend on CP-1 (a restore that ignores its input
 * refuses nothing, but that is CP-1's failure); CP-7 compares a frozen state's bytes with those of
 * {@code checkpoint} and so depends on CP-2.
 *
 * <p>Stateless and thread-safe.
 */
public final class PureRules {

  private static final String[] HARNESS = {"HV-1", "HV-2", "HV-3", "HV-4"};

  /** The declared configuration is well formed and the workload yields a usable trace. */
  public static final Rule HV1 =
      Rule.of(
          "HV-1",
          Level.RESILIENT,
          "the declared configuration is well formed (factory, codec, budgets, checkpoint version)"
              + " and the workload yields a trace");

  /** The fingerprint is stable and sensitive. */
  public static final Rule HV2 =
      Rule.of(
              "HV-2",
              Level.RESILIENT,
              "the state fingerprint is stable for an unchanged state and most accepted commands"
                  + " change it")
          .dependingOn("HV-1");

  /** Fresh instances start equal. */
  public static final Rule HV3 =
      Rule.of(
              "HV-3",
              Level.RESILIENT,
              "fresh instances start equal, also after another instance has been used")
          .dependingOn("HV-1");

  /** The codec round-trips the workload's commands and results. */
  public static final Rule HV4 =
      Rule.of(
              "HV-4",
              Level.RESILIENT,
              "the codec round-trips every generated command and result to identical bytes, in any"
                  + " locale")
          .dependingOn("HV-1");

  /** Round trip. */
  public static final Rule CP1 =
      Rule.of(
              "CP-1",
              Level.RESILIENT,
              "a restored checkpoint behaves like the state it was taken from: the next K commands"
                  + " give identical results, into a fresh or a used instance")
          .dependingOn(with(HARNESS, "JR-1"));

  /** Canonical. */
  public static final Rule CP2 =
      Rule.of(
              "CP-2",
              Level.RESILIENT,
              "checkpoints are canonical: the same state gives the same bytes, also after a round"
                  + " trip, and checkpointing does not change the state")
          .dependingOn(with(HARNESS, "CP-1"));

  /** Self-contained. */
  public static final Rule CP3 =
      Rule.of(
              "CP-3",
              Level.RESILIENT,
              "a checkpoint restores in a fresh JVM under another time zone, locale and default"
                  + " charset to an equal state that behaves the same")
          .dependingOn(with(HARNESS, "CP-2"));

  /** Compatible. */
  public static final Rule CP5 =
      Rule.of(
              "CP-5",
              Level.RESILIENT,
              "a checkpoint of a future version is refused with a definite error; golden"
                  + " checkpoints of earlier versions restore")
          .dependingOn(with(HARNESS, "CP-1"));

  /** Corruption. */
  public static final Rule CP6 =
      Rule.of(
              "CP-6",
              Level.RESILIENT,
              "restore never silently accepts a truncated payload, and failed restores leave the"
                  + " running instance unchanged")
          .dependingOn(with(HARNESS, "CP-1"));

  /** Frozen state. */
  public static final Rule CP7 =
      Rule.of(
              "CP-7",
              Level.RESILIENT,
              "a frozen state writes exactly the bytes checkpoint wrote when it was frozen,"
                  + " whatever was applied since, and freezing does not change the state")
          .dependingOn(with(HARNESS, "CP-2"));

  /** Deterministic apply. */
  public static final Rule JR1 =
      Rule.of(
              "JR-1",
              Level.RESILIENT,
              "two instances applying the same journal under other clocks, zones and locales agree"
                  + " after every entry")
          .dependingOn(HARNESS);

  /** Replay equivalence. */
  public static final Rule JR2 =
      Rule.of(
              "JR-2",
              Level.RESILIENT,
              "a checkpoint at k plus replay of k+1..n equals replay of 1..n, for every k (sampled"
                  + " for long traces)")
          .dependingOn(with(HARNESS, "CP-2"));

  /** Failure atomicity. */
  public static final Rule JR3 =
      Rule.of(
              "JR-3",
              Level.RESILIENT,
              "a rejected command leaves the state unchanged and is rejected the same way on"
                  + " another instance")
          .dependingOn(with(HARNESS, "JR-1"))
          .waivedBy(Capability.NO_REJECTIONS);

  /** Malformed input. */
  public static final Rule JR4 =
      Rule.of(
              "JR-4",
              Level.RESILIENT,
              "undecodable bytes and unknown command types are refused with"
                  + " MalformedCommandException and change nothing")
          .dependingOn(HARNESS);

  /** Same behaviour as the previous release until the finalize. */
  public static final Rule UP1 =
      Rule.of(
              "UP-1",
              Level.RESILIENT,
              "until the upgrade is finalized, the new release answers every command and changes"
                  + " the state exactly as the previous release does")
          .dependingOn(with(HARNESS, "JR-1"));

  /** The previous release's checkpoints carry over. */
  public static final Rule UP2 =
      Rule.of(
              "UP-2",
              Level.RESILIENT,
              "golden checkpoints of the previous release restore into the new release, checkpoint"
                  + " again canonically, and then behave as on the previous release")
          .dependingOn(with(HARNESS, "CP-2", "CP-5", "UP-1"));

  /** No host-dependent calls on the replicated path. */
  public static final Rule JR5 =
      Rule.of(
              "JR-5",
              Level.RESILIENT,
              "the code reachable from apply, checkpoint, restore, freeze and the constructors calls"
                  + " no clock, unseeded random source, default zone, locale or charset, identity"
                  + " hash, environment, file or network")
          .dependingOn("HV-1");

  /** Calls outside the journal change nothing replicated. */
  public static final Rule JR6 =
      Rule.of(
              "JR-6",
              Level.RESILIENT,
              "query, onRoleChange, onResume and health change neither the replicated state nor"
                  + " what apply does next")
          .dependingOn(with(HARNESS, "CP-1"));

  private static final List<Rule> RULES =
      List.of(
          HV1, HV2, HV3, HV4, JR1, JR5, JR4, JR3, CP1, JR6, CP2, CP3, CP5, CP6, CP7, JR2, UP1, UP2);

  private PureRules() {}

  /** Every pure rule, in the order the suite runs them (an order that respects dependencies). */
  public static List<Rule> rules() {
    return RULES;
  }

  /** The checks of every pure rule, in {@link #rules()} order. */
  public static <C, R> List<RuleCheck<C, R>> checks() {
    return List.of(
        check(HV1, HarnessChecks::configuration),
        check(HV2, HarnessChecks::fingerprint),
        check(HV3, HarnessChecks::freshInstances),
        check(HV4, HarnessChecks::codecRoundTrip),
        check(JR1, JournalChecks::deterministicApply),
        check(JR5, HostCallCheck::check),
        check(JR4, JournalChecks::malformedInput),
        verifyingWaiver(JR3, JournalChecks::failureAtomicity),
        check(CP1, CheckpointChecks::roundTrip),
        check(JR6, CallbackChecks::check),
        check(CP2, CheckpointChecks::canonical),
        check(CP3, new SelfContainedCheck<C, R>()::check),
        check(CP5, CheckpointChecks::versions),
        check(CP6, CheckpointChecks::corruption),
        check(CP7, FrozenStateCheck::check),
        check(JR2, JournalChecks::replayEquivalence),
        check(UP1, UpgradeChecks::sameBehaviourBeforeFinalize),
        check(UP2, UpgradeChecks::goldenCheckpointsCarryOver));
  }

  /** The body of one check. */
  @FunctionalInterface
  interface Body<C, R> {
    CheckOutcome run(CheckContext<C, R> context) throws Exception;
  }

  static <C, R> RuleCheck<C, R> check(Rule rule, Body<C, R> body) {
    return new RuleCheck<>() {
      @Override
      public Rule rule() {
        return rule;
      }

      @Override
      public CheckOutcome check(CheckContext<C, R> context) throws Exception {
        return body.run(context);
      }
    };
  }

  static <C, R> RuleCheck<C, R> verifyingWaiver(Rule rule, Body<C, R> body) {
    return new RuleCheck<>() {
      @Override
      public Rule rule() {
        return rule;
      }

      @Override
      public boolean verifiesWaiver() {
        return true;
      }

      @Override
      public CheckOutcome check(CheckContext<C, R> context) throws Exception {
        return body.run(context);
      }
    };
  }

  private static String[] with(String[] base, String... extra) {
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }
}
