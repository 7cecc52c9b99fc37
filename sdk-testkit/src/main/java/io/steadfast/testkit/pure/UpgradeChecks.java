package io.steadfast.testkit.pure;

import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.Since;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * UP-1 and UP-2: the new release beside the previous one, without a cluster. A rolling upgrade runs
 * both releases on one journal until the operator finalizes, so until then the new release must
 * answer and change state exactly as the previous one does, and it must take over the previous
 * release's checkpoints.
 */
final class UpgradeChecks {

  private UpgradeChecks() {}

  /** UP-1: before finalize, the new release behaves as the previous one, command by command. */
  static <C, R> CheckOutcome sameBehaviourBeforeFinalize(CheckContext<C, R> context) {
    Optional<ResilientApplication<C, R>> declared = context.previousRelease();
    if (declared.isEmpty()) {
      return CheckOutcome.notApplicable("no previous release declared (previousRelease())");
    }
    ResilientApplication<C, R> previous = declared.get();
    ResilientApplication<C, R> next = context.newApplication();
    @Nullable String mismatch = versionMismatch(previous, next);
    if (mismatch != null) {
      return CheckOutcome.fail("the releases cannot run side by side", mismatch);
    }
    int active = Math.max(1, previous.supportedVersion());
    Replica<C, R> old = Replica.of(previous, context.codec()).activeVersion(active);
    Replica<C, R> now = Replica.of(next, context.codec()).activeVersion(active);
    Trace<C, R> trace = context.trace();
    Coverage coverage = new Coverage();
    for (int i = 0; i < trace.size(); i++) {
      TraceEntry<C> entry = trace.entry(i);
      if (Since.Lookup.versionOf(entry.command().getClass()) > active) {
        // The runtime refuses these at the door until the finalize.
        coverage.increment("newTypesLeftOut");
        continue;
      }
      Outcome<R> before = old.apply(entry);
      Outcome<R> after = now.apply(entry);
      coverage.increment("commandsCompared");
      if (!before.equals(after)) {
        return CheckOutcome.fail(
                "before finalize the new release answers entry #"
                    + (i + 1)
                    + " differently from the previous release",
                Evidence.entry(context, i)
                    + "\nprevious release: "
                    + before
                    + "\nnew release:      "
                    + after
                    + "\nguard the new behaviour with ApplyContext.activeVersion() >= "
                    + (active + 1))
            .with(coverage);
      }
      byte[] a = Checkpoints.take(old.application());
      byte[] b = Checkpoints.take(now.application());
      if (!Arrays.equals(a, b)) {
        return CheckOutcome.fail(
                "before finalize the new release's state differs from the previous release's"
                    + " after entry #"
                    + (i + 1),
                Evidence.entry(context, i)
                    + "\ncheckpoints of "
                    + a.length
                    + " and "
                    + b.length
                    + " bytes differ first at byte "
                    + Evidence.firstDifference(a, b)
                    + "; a member of either release must be able to take over the other's"
                    + " checkpoint, and audits compare them byte for byte")
            .with(coverage);
      }
    }
    if (coverage.get("commandsCompared") < 20) {
      return CheckOutcome.unknown(
              "only "
                  + coverage.get("commandsCompared")
                  + " commands of types the previous release knows; the workload needs more")
          .with(coverage);
    }
    return CheckOutcome.pass(
            coverage.get("commandsCompared")
                + " commands at active version "
                + active
                + " gave the same outcomes and the same checkpoint bytes on both releases ("
                + coverage.get("newTypesLeftOut")
                + " of newer types left out)")
        .with(coverage);
  }

  /**
   * UP-2: golden checkpoints restore into the new release, which checkpoints them again
   * canonically, and then behaves as the previous release does on the same state.
   */
  static <C, R> CheckOutcome goldenCheckpointsCarryOver(CheckContext<C, R> context)
      throws IOException {
    Optional<ResilientApplication<C, R>> declared = context.previousRelease();
    if (declared.isEmpty()) {
      return CheckOutcome.notApplicable("no previous release declared (previousRelease())");
    }
    if (context.goldenCheckpoints().isEmpty()) {
      return CheckOutcome.unknown(
          "no golden checkpoints: give goldenCheckpoints() the checkpoints the previous release"
              + " wrote, or the upgrade of a running cluster's state is not checked");
    }
    int active = Math.max(1, declared.get().supportedVersion());
    int current = context.newApplication().checkpointVersion();
    Trace<C, R> trace = context.trace();
    int horizon = Math.max(20, context.settings().roundTripHorizon());
    Coverage coverage = new Coverage();
    for (GoldenCheckpoint golden : context.goldenCheckpoints()) {
      Replica<C, R> now = context.newReplica().activeVersion(active);
      Replica.Snapshot given =
          new Replica.Snapshot(golden.payload(), golden.version(), Position.ZERO, new TreeMap<>());
      try {
        now.restore(given);
      } catch (IOException | RuntimeException e) {
        return CheckOutcome.fail(
                "golden checkpoint " + golden.name() + " does not restore into the new release",
                Evidence.describe(e))
            .with(coverage);
      }
      byte[] first = Checkpoints.take(now.application());
      ResilientApplication<C, R> again = context.newApplication();
      Checkpoints.restore(again, first, current, Position.ZERO);
      byte[] second = Checkpoints.take(again);
      if (!Arrays.equals(first, second)) {
        return CheckOutcome.fail(
                "golden checkpoint " + golden.name() + " does not checkpoint again canonically",
                "restored and checkpointed by the new release: "
                    + first.length
                    + " bytes; that checkpoint restored and checkpointed again: "
                    + second.length
                    + " bytes, first difference at byte "
                    + Evidence.firstDifference(first, second))
            .with(coverage);
      }
      ResilientApplication<C, R> previous = context.previousRelease().orElseThrow();
      Replica<C, R> old = Replica.of(previous, context.codec()).activeVersion(active);
      try {
        old.restore(given);
      } catch (IOException | RuntimeException e) {
        return CheckOutcome.fail(
                "golden checkpoint "
                    + golden.name()
                    + " does not restore into the previous release",
                "the golden checkpoints must be ones the previous release wrote: "
                    + Evidence.describe(e))
            .with(coverage);
      }
      coverage.increment("goldenChecked");
      int compared = 0;
      for (int i = 0; i < trace.size() && compared < horizon; i++) {
        TraceEntry<C> entry = trace.entry(i);
        if (Since.Lookup.versionOf(entry.command().getClass()) > active) {
          continue;
        }
        Outcome<R> before = old.apply(entry);
        Outcome<R> after = now.apply(entry);
        compared++;
        coverage.increment("commandsCompared");
        if (!before.equals(after)) {
          return CheckOutcome.fail(
                  "on the state of golden checkpoint "
                      + golden.name()
                      + " the new release answers entry #"
                      + (i + 1)
                      + " differently from the previous release",
                  Evidence.entry(context, i)
                      + "\nprevious release: "
                      + before
                      + "\nnew release:      "
                      + after)
              .with(coverage);
        }
      }
    }
    return CheckOutcome.pass(
            coverage.get("goldenChecked")
                + " golden checkpoints restore into the new release, checkpoint again"
                + " canonically, and then behave as the previous release ("
                + coverage.get("commandsCompared")
                + " commands compared)")
        .with(coverage);
  }

  /** Why the two releases cannot share a cluster, or null. */
  static @Nullable String versionMismatch(
      ResilientApplication<?, ?> previous, ResilientApplication<?, ?> next) {
    if (next.supportedVersion() < previous.supportedVersion()) {
      return "the new release supports application version "
          + next.supportedVersion()
          + ", below the previous release's "
          + previous.supportedVersion();
    }
    if (next.checkpointVersion() != previous.checkpointVersion()) {
      return "the checkpoint version changed from "
          + previous.checkpointVersion()
          + " to "
          + next.checkpointVersion()
          + ": while both releases run, a member of the previous release refuses the new"
          + " release's checkpoints by their version, so it could not catch up from one; change"
          + " the checkpoint layout in a release of its own (see docs/guide.md)";
    }
    return null;
  }
}
