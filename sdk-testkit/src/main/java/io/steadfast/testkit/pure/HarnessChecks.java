package io.steadfast.testkit.pure;

import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.checkpoint.Fingerprint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** HV-1 to HV-4: the checks every other rule relies on. */
final class HarnessChecks {

  private HarnessChecks() {}

  /** HV-1. */
  static <C, R> CheckOutcome configuration(CheckContext<C, R> context) {
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    ResilientApplication<C, R> first = context.newApplication();
    ResilientApplication<C, R> second = context.newApplication();
    if (first == null || second == null) {
      return CheckOutcome.fail(
          "newApplication() returned null",
          "newApplication() must return a" + " fresh instance on every call");
    }
    if (first == second) {
      problems.add("newApplication() returned the same instance twice; it must create a new one");
    }
    ExitPointBudgets budgets = first.budgets();
    if (budgets == null) {
      problems.add("budgets() returned null");
    } else {
      Map<String, Duration> each = new TreeMap<>();
      each.put("apply", budgets.apply());
      each.put("checkpoint", budgets.checkpoint());
      each.put("restore", budgets.restore());
      each.put("query", budgets.query());
      each.put("roleChange", budgets.roleChange());
      each.put("health", budgets.health());
      each.forEach(
          (name, budget) -> {
            coverage.increment("budgetsChecked");
            if (budget == null || budget.isNegative() || budget.isZero()) {
              problems.add(name + " budget must be positive: " + budget);
            }
          });
    }
    int version = first.checkpointVersion();
    if (version <= 0) {
      problems.add("checkpointVersion() must be positive: " + version);
    }
    CommandCodec<C, R> codec = context.codec();
    if (codec == null) {
      problems.add("codec() returned null");
    } else if (codec.commandType() == null) {
      problems.add("codec().commandType() returned null");
    }
    if (context.workload() == null) {
      problems.add("workload() returned null");
    } else if (context.workload().concurrentUsers() <= 0) {
      problems.add(
          "workload().concurrentUsers() must be positive: " + context.workload().concurrentUsers());
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(problems.get(0), String.join("\n", problems)).with(coverage);
    }
    Trace<C, R> trace = context.trace();
    long rejected = trace.rejections();
    long accepted = trace.size() - rejected;
    coverage.set("traceEntries", trace.size()).set("accepted", accepted).set("rejected", rejected);
    coverage.set(
        "sessions", trace.entries().stream().map(TraceEntry::sessionId).distinct().count());
    if (accepted < context.settings().minAcceptedCommands()) {
      return CheckOutcome.unknown(
              "the workload produced only "
                  + accepted
                  + " accepted commands in "
                  + trace.size()
                  + " entries; at least "
                  + context.settings().minAcceptedCommands()
                  + " are needed"
                  + commonestRejections(trace))
          .with(coverage);
    }
    return CheckOutcome.pass(
            "configuration well formed; trace of "
                + trace.size()
                + " entries, "
                + rejected
                + " rejected")
        .with(coverage);
  }

  /** How many reasons an UNKNOWN for too few accepted commands names. */
  private static final int REASONS = 3;

  /**
   * The rejections of the reference run, grouped by exception type and message with numbers masked
   * (so that "account 17 is closed" and "account 4 is closed" count as one reason), the commonest
   * first: {@code "; 115 of 200 rejected, commonest: ..."}, or empty without rejections.
   */
  static <C, R> String commonestRejections(Trace<C, R> trace) {
    Map<String, Integer> reasons = new TreeMap<>();
    int rejected = 0;
    for (Outcome<R> outcome : trace.outcomes()) {
      if (outcome.isRejected()) {
        rejected++;
        String reason = outcome.detail().replaceAll("\\d+", "#");
        reasons.merge(
            reason.length() > 120 ? reason.substring(0, 120) + "…" : reason, 1, Integer::sum);
      }
    }
    if (rejected == 0) {
      return "";
    }
    List<Map.Entry<String, Integer>> commonest = new ArrayList<>(reasons.entrySet());
    commonest.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    StringBuilder text =
        new StringBuilder("; ").append(rejected).append(" of ").append(trace.size());
    text.append(" rejected, commonest: ");
    for (int i = 0; i < Math.min(REASONS, commonest.size()); i++) {
      Map.Entry<String, Integer> reason = commonest.get(i);
      text.append(i == 0 ? "" : "; ")
          .append('\'')
          .append(reason.getKey())
          .append("' ×")
          .append(reason.getValue());
    }
    return text.toString();
  }

  /** HV-2. */
  static <C, R> CheckOutcome fingerprint(CheckContext<C, R> context) {
    Trace<C, R> trace = context.trace();
    Replica<C, R> replica = context.newReplica();
    Coverage coverage = new Coverage();
    Set<Fingerprint> distinct = new HashSet<>();
    Fingerprint before = replica.fingerprint();
    distinct.add(before);
    long accepted = 0;
    long changed = 0;
    long observable = 0;
    long queries = 0;
    for (int i = 0; i < trace.size(); i++) {
      var session = trace.entry(i).sessionId();
      var resumeBefore = replica.resumePoints().get(session);
      Outcome<R> outcome = replica.apply(trace.entry(i));
      boolean resumeMoved =
          !java.util.Objects.equals(resumeBefore, replica.resumePoints().get(session));
      byte[] first = Checkpoints.take(replica.application());
      byte[] second = Checkpoints.take(replica.application());
      if (!Arrays.equals(first, second)) {
        return CheckOutcome.fail(
                "the same unchanged state checkpointed twice gave different bytes after entry #"
                    + (i + 1),
                Evidence.entry(context, i)
                    + "\nfirst "
                    + first.length
                    + " bytes, fingerprint "
                    + Fingerprint.of(first)
                    + "; second "
                    + second.length
                    + " bytes, fingerprint "
                    + Fingerprint.of(second)
                    + "; first difference at byte "
                    + Evidence.firstDifference(first, second))
            .with(coverage);
      }
      Fingerprint after = Fingerprint.of(first);
      distinct.add(after);
      if (!outcome.isRejected() && context.workload().isQuery(trace.entry(i).command())) {
        queries++;
      } else if (!outcome.isRejected()) {
        accepted++;
        if (!after.equals(before)) {
          changed++;
        }
        if (!after.equals(before) || resumeMoved) {
          observable++;
        }
      }
      before = after;
    }
    coverage.set("accepted", accepted).set("changedFingerprint", changed);
    coverage.set("changedFingerprintOrResumePoint", observable).set("queries", queries);
    coverage.set("distinctFingerprints", distinct.size());
    if (accepted < context.settings().minAcceptedCommands()) {
      return CheckOutcome.unknown(
              "only "
                  + accepted
                  + " accepted commands to measure sensitivity on"
                  + commonestRejections(trace))
          .with(coverage);
    }
    double share = (double) changed / accepted;
    double observed = (double) observable / accepted;
    double wanted = context.settings().sensitivity();
    if (observed < wanted || share < wanted / 2 || distinct.size() < 2) {
      return CheckOutcome.fail(
              String.format(
                  java.util.Locale.ROOT,
                  "the fingerprint is not sensitive: of %d accepted commands %d (%.0f%%) changed"
                      + " it and %d (%.0f%%) changed it or their session's resume point, %d"
                      + " distinct values; at least %.0f%% and %.0f%% must",
                  accepted,
                  changed,
                  share * 100,
                  observable,
                  observed * 100,
                  distinct.size(),
                  wanted * 50,
                  wanted * 100),
              "a checkpoint that leaves out the state (or writes a constant) makes every equality"
                  + " rule vacuous; checkpoint of the final state is "
                  + Checkpoints.take(replica.application()).length
                  + " bytes")
          .with(coverage);
    }
    return CheckOutcome.pass(
            String.format(
                java.util.Locale.ROOT,
                "stable, and %d of %d accepted commands (%.0f%%) changed the fingerprint, %d"
                    + " (%.0f%%) it or their resume point; %d queries not counted",
                changed,
                accepted,
                share * 100,
                observable,
                observed * 100,
                queries))
        .with(coverage);
  }

  /** HV-3. */
  static <C, R> CheckOutcome freshInstances(CheckContext<C, R> context) {
    Coverage coverage = new Coverage();
    Fingerprint first = Checkpoints.fingerprint(context.newApplication());
    Fingerprint second = Checkpoints.fingerprint(context.newApplication());
    coverage.set("instances", 2);
    if (!first.equals(second)) {
      return CheckOutcome.fail(
              "two fresh instances have different fingerprints",
              "first " + first + ", second " + second)
          .with(coverage);
    }
    ResilientApplication<C, R> untouched = context.newApplication();
    Replica<C, R> used = context.newReplica();
    Trace<C, R> trace = context.trace();
    for (TraceEntry<C> entry : trace.entries()) {
      used.apply(entry);
    }
    Fingerprint afterUse = Checkpoints.fingerprint(context.newApplication());
    Fingerprint untouchedNow = Checkpoints.fingerprint(untouched);
    coverage.set("instances", 5).set("entriesAppliedMeanwhile", trace.size());
    if (!afterUse.equals(first) || !untouchedNow.equals(first)) {
      return CheckOutcome.fail(
              "instances are not independent: a fresh instance differs after another instance"
                  + " applied the trace (state kept in static fields?)",
              "fresh before: "
                  + first
                  + "; fresh after another instance applied "
                  + trace.size()
                  + " entries: "
                  + afterUse
                  + "; an untouched instance created before: "
                  + untouchedNow
                  + "; the used instance: "
                  + used.fingerprint())
          .with(coverage);
    }
    return CheckOutcome.pass("fresh instances equal (" + first + "), also after another was used")
        .with(coverage);
  }

  /** HV-4. */
  // A null result goes to the codec as the runtime would hand it: what the codec makes of it is
  // part of what this check reports.
  @SuppressWarnings("NullAway")
  static <C, R> CheckOutcome codecRoundTrip(CheckContext<C, R> context) throws Exception {
    CommandCodec<C, R> codec = context.codec();
    Trace<C, R> trace = context.trace();
    Coverage coverage = new Coverage();
    List<byte[]> commandBytes = new ArrayList<>();
    List<byte[]> resultBytes = new ArrayList<>();
    for (int i = 0; i < trace.size(); i++) {
      C command = trace.entry(i).command();
      byte[] bytes = codec.encodeCommand(command);
      commandBytes.add(bytes);
      C decoded = codec.decodeCommand(bytes);
      byte[] again = codec.encodeCommand(decoded);
      if (!Arrays.equals(bytes, again)) {
        return CheckOutcome.fail(
                "command of entry #" + (i + 1) + " does not survive the codec",
                Evidence.entry(context, i)
                    + "\nencoded: "
                    + Outcome.describe(bytes)
                    + "\ndecoded: "
                    + decoded
                    + "\nre-encoded: "
                    + Outcome.describe(again))
            .with(coverage);
      }
      coverage.increment("commands");
      Outcome<R> outcome = trace.outcome(i);
      if (!outcome.isRejected()) {
        byte[] result = codec.encodeResult(outcome.result());
        resultBytes.add(result);
        byte[] resultAgain = codec.encodeResult(codec.decodeResult(result));
        if (!Arrays.equals(result, resultAgain)) {
          return CheckOutcome.fail(
                  "result of entry #" + (i + 1) + " does not survive the codec",
                  Evidence.entry(context, i)
                      + "\nencoded: "
                      + Outcome.describe(result)
                      + "\nre-encoded: "
                      + Outcome.describe(resultAgain))
              .with(coverage);
        }
        coverage.increment("results");
      }
    }
    return Environment.SECOND.call(
        () -> {
          int r = 0;
          for (int i = 0; i < trace.size(); i++) {
            byte[] there = codec.encodeCommand(trace.entry(i).command());
            if (!Arrays.equals(there, commandBytes.get(i))) {
              return CheckOutcome.fail(
                      "command of entry #"
                          + (i + 1)
                          + " encodes differently under "
                          + Environment.SECOND,
                      Evidence.entry(context, i)
                          + "\nhere: "
                          + Outcome.describe(commandBytes.get(i))
                          + "\nthere: "
                          + Outcome.describe(there))
                  .with(coverage);
            }
            if (!trace.outcome(i).isRejected()) {
              byte[] result = codec.encodeResult(trace.outcome(i).result());
              if (!Arrays.equals(result, resultBytes.get(r))) {
                return CheckOutcome.fail(
                        "result of entry #"
                            + (i + 1)
                            + " encodes differently under "
                            + Environment.SECOND,
                        Evidence.entry(context, i))
                    .with(coverage);
              }
              r++;
            }
          }
          coverage.set("localesCompared", 2);
          return CheckOutcome.pass(
                  "codec round-trips "
                      + coverage.get("commands")
                      + " commands and "
                      + coverage.get("results")
                      + " results, identically under "
                      + Environment.SECOND)
              .with(coverage);
        });
  }
}
