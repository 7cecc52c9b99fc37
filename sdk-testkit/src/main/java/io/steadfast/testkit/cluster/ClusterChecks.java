package io.steadfast.testkit.cluster;

import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The judgements of the role, failover and timing rules (RL-1 to RL-6, TM-1, TM-3) on one
 * scenario's {@link Evidence}. Stateless.
 */
final class ClusterChecks {

  private ClusterChecks() {}

  /** RL-1: legal order, one at a time, rising promotion epochs, nothing after END, no throw. */
  static CheckOutcome roleOrder(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    Map<String, List<RoleChange>> delivered = byNode(history.observations.delivered());
    Map<String, List<RoleChange>> received = byNode(history.observations.received());
    for (Map.Entry<String, List<RoleChange>> node : delivered.entrySet()) {
      Role current = null;
      long lastPromotion = -1;
      for (RoleChange change : node.getValue()) {
        coverage.increment("changes");
        coverage.increment("reason." + change.reason());
        if (change.from() == Role.INACTIVE) {
          coverage.increment("incarnations");
        } else if (current == null) {
          problems.add(
              node.getKey()
                  + ": first callback is "
                  + describe(change)
                  + ", not a start from INACTIVE");
        } else if (current == Role.ENDED) {
          problems.add(node.getKey() + ": callback after END: " + describe(change));
        } else if (change.from() != current) {
          problems.add(
              node.getKey() + ": callback " + describe(change) + " while the role was " + current);
        }
        if (!change.from().canChange(change.to(), change.reason())) {
          problems.add(node.getKey() + ": illegal transition " + describe(change));
        }
        if (change.to() == Role.PRIMARY) {
          coverage.increment("promotions");
          if (change.epoch() <= lastPromotion) {
            problems.add(
                node.getKey()
                    + ": promotion at epoch "
                    + change.epoch()
                    + " not above its previous promotion's epoch "
                    + lastPromotion);
          }
          lastPromotion = change.epoch();
        }
        current = change.to();
      }
      List<RoleChange> seen = received.getOrDefault(node.getKey(), List.of());
      if (!seen.equals(node.getValue())) {
        problems.add(
            node.getKey()
                + ": the application received "
                + seen.size()
                + " callbacks, the node delivered "
                + node.getValue().size()
                + "; first difference "
                + firstDifference(seen, node.getValue()));
      }
    }
    for (Observations.RoleEvent event : history.observations.received()) {
      if (event.overlapping()) {
        problems.add(
            event.change().node()
                + ": callback "
                + describe(event.change())
                + " started while another was running");
      }
      if (!event.threw().isEmpty()) {
        problems.add(
            event.change().node()
                + ": onRoleChange("
                + describe(event.change())
                + ") threw "
                + event.threw());
      }
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(
              problems.size() + " role callback problems", Evidence.lines(problems))
          .with(coverage);
    }
    if (coverage.get("promotions") < 2 || coverage.get("reason.END") < 1) {
      return unknown(history, "too few role changes to judge: " + coverage.snapshot(), coverage);
    }
    return CheckOutcome.pass(
            coverage.get("changes")
                + " role callbacks on "
                + delivered.size()
                + " nodes in legal order, "
                + coverage.get("promotions")
                + " promotions with rising epochs")
        .with(coverage);
  }

  /** RL-2: switchovers under load lose nothing, hand over an equal state, one writer per epoch. */
  static CheckOutcome switchover(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>(evidence.twoPrimariesInOneEpoch());
    long promotions = countReason(history, Role.PRIMARY, RoleChange.Reason.SWITCHOVER);
    long demotions = countReason(history, Role.BACKUP, RoleChange.Reason.SWITCHOVER);
    long completed = 0;
    for (History.FaultRecord fault : history.faults) {
      if (fault.kind != FaultSchedule.Kind.SWITCHOVER) {
        continue;
      }
      coverage.increment("switchovers");
      if (!fault.completed) {
        problems.add(fault.toString());
        continue;
      }
      completed++;
      coverage.add("acknowledgedBefore", fault.acksBefore);
      List<String> lost = evidence.lostUpTo(fault.ackOrdinalBefore);
      if (!lost.isEmpty()) {
        problems.add("acknowledged before " + fault + " and lost: " + lost);
      }
    }
    problems.addAll(evidence.promotionsBehindAcknowledged());
    if (promotions < completed || demotions < completed) {
      problems.add(
          completed
              + " switchovers completed but the nodes reported "
              + promotions
              + " promotions and "
              + demotions
              + " step-downs for SWITCHOVER");
    }
    problems.addAll(evidence.finalStateProblems());
    if (!problems.isEmpty()) {
      return CheckOutcome.fail("switchover under load broke", Evidence.lines(problems))
          .with(coverage);
    }
    if (completed == 0) {
      return unknown(history, "no switchover was performed", coverage);
    }
    return CheckOutcome.pass(
            completed
                + " switchovers under load: nothing acknowledged lost,"
                + " replicas converged to one fingerprint, one primary per epoch")
        .with(coverage);
  }

  /** RL-3: after a crash of the primary a new one continues from the last mirrored position. */
  static CheckOutcome failover(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>(evidence.twoPrimariesInOneEpoch());
    long crashes = 0;
    List<History.FaultRecord> faults = history.faults;
    for (int i = 0; i < faults.size(); i++) {
      History.FaultRecord fault = faults.get(i);
      if (!fault.isCrash()) {
        continue;
      }
      crashes++;
      coverage.increment("crashes." + fault.kind);
      if (fault.placedInExitPoint) {
        coverage.increment("crashesInsideExitPoint");
      }
      coverage.set("maxFailoverMillis", Math.max(coverage.get("maxFailoverMillis"), fault.millis));
      if (!fault.completed) {
        problems.add(fault.toString());
        continue;
      }
      if (fault.victimWasPrimary) {
        RoleChange promotion = promotionAfter(history, fault);
        if (promotion == null) {
          problems.add(fault + ": no promotion was delivered after it");
        } else if (!promotion.node().value().equals(fault.to)
            || promotion.reason() != RoleChange.Reason.FAILOVER) {
          problems.add(
              fault
                  + ": the next promotion was "
                  + promotion.node()
                  + " for "
                  + promotion.reason()
                  + ", expected "
                  + fault.to
                  + " for FAILOVER");
        }
      } else {
        coverage.increment("crashesOfADeposedPrimary");
      }
      List<String> lost = evidence.lostUpTo(fault.ackOrdinalBefore);
      if (!lost.isEmpty()) {
        problems.add("acknowledged before " + fault + " and lost: " + lost);
      }
      long later =
          i + 1 < faults.size() ? faults.get(i + 1).acksBefore : history.load().acknowledged();
      if (later <= fault.acksBefore) {
        problems.add(fault + ": no command was acknowledged after it");
      }
    }
    problems.addAll(evidence.promotionsBehindAcknowledged());
    problems.addAll(evidence.finalStateProblems());
    problems.addAll(evidence.replayProblems());
    if (!problems.isEmpty()) {
      return CheckOutcome.fail("failover broke", Evidence.lines(problems)).with(coverage);
    }
    if (crashes == 0) {
      return unknown(history, "no primary was crashed", coverage);
    }
    return CheckOutcome.pass(
            crashes
                + " crashes of the primary ("
                + coverage.get("crashesInsideExitPoint")
                + " inside apply or a checkpoint): every new primary started at or past every"
                + " position acknowledged before its epoch, and the final state equals the"
                + " reference")
        .with(coverage);
  }

  /** RL-4: backups refuse sessions with NotPrimaryException and change nothing. */
  static CheckOutcome backupNeverWrites(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    boolean quiet = true;
    for (History.BackupProbe probe : history.backupProbes) {
      coverage.add("refusals", probe.refusals.size());
      problems.addAll(probe.violations);
      quiet &= probe.quiet;
    }
    if (!problems.isEmpty() && quiet) {
      return CheckOutcome.fail("a backup accepted a write", Evidence.lines(problems))
          .with(coverage);
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.unknown(
              "the replicas were not caught up when the backups were tried: " + problems.get(0))
          .with(coverage);
    }
    if (coverage.get("refusals") == 0) {
      return unknown(history, "no backup was asked to write", coverage);
    }
    return CheckOutcome.pass(
            coverage.get("refusals")
                + " write attempts on backups refused with"
                + " NotPrimaryException naming the primary; no replica changed")
        .with(coverage);
  }

  /** AZ-1: a principal without roles is refused every state-changing command type. */
  static CheckOutcome authorization(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    List<String> inconclusive = new ArrayList<>();
    boolean quiet = true;
    for (History.AuthorizationProbe probe : history.authorizationProbes) {
      coverage.add("refusedTypes", probe.refused.size());
      problems.addAll(probe.violations);
      inconclusive.addAll(probe.inconclusive);
      quiet &= probe.quiet;
    }
    if (!problems.isEmpty() && quiet) {
      return CheckOutcome.fail(
              "a principal without roles got a command past authorization",
              Evidence.lines(problems))
          .with(coverage);
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.unknown(
              "the replicas were not caught up when the probe ran: " + problems.get(0))
          .with(coverage);
    }
    if (coverage.get("refusedTypes") == 0) {
      return unknown(
          history,
          inconclusive.isEmpty()
              ? "no state-changing command type was tried"
              : "no refusal was conclusive: " + inconclusive.get(0),
          coverage);
    }
    return CheckOutcome.pass(
            coverage.get("refusedTypes")
                + " command types refused to a principal without roles before journaling"
                + (inconclusive.isEmpty() ? "" : "; inconclusive: " + inconclusive))
        .with(coverage);
  }

  /** RL-5: a node behind the purged journal installs a checkpoint and matches the primary. */
  static CheckOutcome rejoin(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    long installed = 0;
    for (History.Rejoin rejoin : history.rejoins) {
      coverage.increment("nodesLeftBehind");
      if (!rejoin.logPurged) {
        continue;
      }
      coverage.increment("journalPurgedPastThem");
      if (!rejoin.rejoinedByInstall) {
        problems.add(
            rejoin.node
                + " was behind index "
                + rejoin.behindIndex
                + " of a purged"
                + " journal and did not rejoin by installing a checkpoint within 60 s");
      } else {
        installed++;
        coverage.set("rejoinMillis", Math.max(coverage.get("rejoinMillis"), rejoin.millis));
      }
    }
    problems.addAll(evidence.finalStateProblems());
    if (!problems.isEmpty()) {
      return CheckOutcome.fail("rejoin broke", Evidence.lines(problems)).with(coverage);
    }
    if (installed == 0) {
      return unknown(
          history,
          "no node had to install a checkpoint (journal not purged past it: "
              + history.rejoins.stream().map(r -> r.detail).toList()
              + ")",
          coverage);
    }
    return CheckOutcome.pass(
            installed
                + " nodes left behind a purged journal rejoined by"
                + " installing a checkpoint and ended with the primary's fingerprint")
        .with(coverage);
  }

  /** RL-6: acknowledged ⊆ applied ⊆ submitted, nothing twice, and the reference agrees. */
  static CheckOutcome historyCheck(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    LoadDriver<?, ?> load = history.load();
    long acknowledged =
        load.sessions().values().stream().mapToLong(s -> s.acknowledged.size()).sum();
    long[] indeterminate = evidence.indeterminate();
    coverage.set("acknowledged", acknowledged);
    coverage.set("applied", history.observations.byIndex().size());
    coverage.set("sessions", load.sessions().size());
    coverage.set("queries", load.queries());
    coverage.set("indeterminate", indeterminate[0]);
    coverage.set("indeterminateApplied", indeterminate[1]);
    coverage.set("faults", history.faults.size());
    List<String> problems = new ArrayList<>(evidence.historyProblems());
    problems.addAll(evidence.replayProblems());
    for (String error : load.errors()) {
      problems.add("load: " + error);
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(
              "the history has " + problems.size() + " anomalies", Evidence.lines(problems))
          .with(coverage);
    }
    if (acknowledged < 20 || history.faults.isEmpty()) {
      return unknown(
          history,
          "too little history: "
              + acknowledged
              + " acknowledged, "
              + history.faults.size()
              + " faults",
          coverage);
    }
    return CheckOutcome.pass(
            acknowledged
                + " acknowledged commands in "
                + load.sessions().size()
                + " sessions across "
                + history.faults.size()
                + " faults: none lost, none unexpected, none"
                + " applied twice; "
                + indeterminate[0]
                + " indeterminate; a sequential replay of the"
                + " journal gives every recorded outcome and the final fingerprint")
        .with(coverage);
  }

  /** UP-3: the rolling upgrade lost nothing, converged, and finalized. */
  static <C, R> CheckOutcome upgrade(UpgradeScenario.Run<C, R> run, Evidence<C, R> evidence) {
    History<C, R> history = run.history;
    Coverage coverage = new Coverage();
    coverage.set("steps", run.steps.size());
    coverage.set("previousVersion", run.previousVersion);
    coverage.set("newVersion", run.newVersion);
    coverage.set("newTypesAcknowledged", run.newTypesAcknowledged);
    String steps = String.join("\n", run.steps);
    if (history.load == null || history.abortedBecause != null) {
      return unknown(history, "the upgrade did not complete: " + history.abortedBecause, coverage);
    }
    LoadDriver<C, R> load = history.load();
    coverage.set(
        "acknowledged",
        load.sessions().values().stream().mapToLong(s -> s.acknowledged.size()).sum());
    coverage.set("refusedAtDoor", load.refusedAtDoor());
    List<String> problems = new ArrayList<>(evidence.historyProblems());
    for (String error : load.errors()) {
      problems.add("load: " + error);
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(
              "the upgrade's history has " + problems.size() + " anomalies",
              steps + "\n" + Evidence.lines(problems))
          .with(coverage);
    }
    if (!run.converged) {
      return CheckOutcome.fail(
              "the replicas did not converge after the upgrade: the releases diverged",
              steps + "\n" + history.convergenceDetail)
          .with(coverage);
    }
    if (run.finalizedVersion != run.newVersion) {
      return CheckOutcome.fail(
              "the finalize left the cluster at version " + run.finalizedVersion, steps)
          .with(coverage);
    }
    boolean offersNewTypes = run.newVersion > run.previousVersion;
    if (!offersNewTypes) {
      return CheckOutcome.pass(
              "upgraded member by member under load with a switchover: nothing lost or applied"
                  + " twice, replicas converged; the new release keeps version "
                  + run.newVersion
                  + ", so there was nothing to finalize")
          .with(coverage);
    }
    return CheckOutcome.pass(
            "upgraded member by member under load with a switchover, finalized version "
                + run.newVersion
                + ": nothing lost or applied twice, replicas converged, "
                + run.newTypesAcknowledged
                + " commands of new types acknowledged after the finalize")
        .with(coverage);
  }

  /** TM-1: every exit-point call returned within its declared budget. */
  static CheckOutcome budgets(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    ExitTimings timings = history.timings;
    Coverage coverage = new Coverage();
    if (timings == null) {
      return unknown(history, "nothing was measured", coverage);
    }
    StringBuilder summary = new StringBuilder();
    for (ExitTimings.Exit exit : ExitTimings.Exit.values()) {
      if (exit == ExitTimings.Exit.HEALTH) {
        continue; // TM-2's
      }
      long[] nanos = timings.sorted(exit);
      String name = exit.name().toLowerCase(java.util.Locale.ROOT);
      coverage.set(name + ".calls", nanos.length);
      if (nanos.length > 0) {
        long p50 = nanos[(nanos.length - 1) / 2] / 1_000;
        long p99 = nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1_000;
        long max = nanos[nanos.length - 1] / 1_000;
        coverage
            .set(name + ".p50Micros", p50)
            .set(name + ".p99Micros", p99)
            .set(name + ".maxMicros", max);
        summary.append(
            String.format(
                java.util.Locale.ROOT,
                "; %s p99 %.1f ms max %.1f ms (budget %d ms)",
                name,
                p99 / 1e3,
                max / 1e3,
                timings.budget(exit).toMillis()));
      }
    }
    List<ExitTimings.Overrun> overruns =
        timings.overruns().stream().filter(o -> o.exit() != ExitTimings.Exit.HEALTH).toList();
    if (!overruns.isEmpty()) {
      List<String> text = new ArrayList<>();
      overruns.stream().limit(3).forEach(o -> text.add(o.toString()));
      return CheckOutcome.fail(
              overruns.size()
                  + " exit-point calls overran their budget by the application's own CPU time and"
                  + " waiting"
                  + summary,
              String.join("\n", text))
          .with(coverage);
    }
    if (coverage.get("apply.calls") == 0
        || coverage.get("checkpoint.calls") == 0
        || coverage.get("role_change.calls") == 0) {
      return unknown(history, "apply, checkpoint or onRoleChange was never called", coverage);
    }
    List<ExitTimings.Overrun> undetermined =
        timings.undetermined().stream().filter(o -> o.exit() != ExitTimings.Exit.HEALTH).toList();
    if (!undetermined.isEmpty()) {
      return unknown(
          history,
          undetermined.size()
              + " exit-point calls took longer than their budget by the wall clock and this JVM"
              + " does not tell their thread's CPU time or waiting, so the application's time"
              + " cannot be told from the machine's load"
              + summary,
          coverage);
    }
    List<ExitTimings.Overrun> disturbed =
        timings.disturbed().stream().filter(o -> o.exit() != ExitTimings.Exit.HEALTH).toList();
    coverage.set("disturbedCalls", disturbed.size());
    if (!disturbed.isEmpty()) {
      ExitTimings.Overrun worst =
          disturbed.stream()
              .max(java.util.Comparator.comparingLong(ExitTimings.Overrun::nanos))
              .orElseThrow();
      return CheckOutcome.pass(
              "every exit-point call within budget by what the application did"
                  + summary
                  + "; "
                  + disturbed.size()
                  + " calls took longer by the wall clock only because the machine did not run"
                  + " them (the worst: "
                  + java.time.Duration.ofNanos(worst.nanos()).toMillis()
                  + " ms for "
                  + java.time.Duration.ofNanos(Math.max(0, worst.cpuNanos())).toMillis()
                  + " ms of CPU and "
                  + Math.max(0, worst.waitedMillis())
                  + " ms of waiting)")
          .with(coverage);
    }
    return CheckOutcome.pass("every exit-point call within budget" + summary).with(coverage);
  }

  /**
   * TM-2: the heartbeat's {@code health()} probes ran on every replica throughout the scenario, and
   * none threw or overran its budget.
   */
  static CheckOutcome healthProbes(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    ExitTimings timings = history.timings;
    Coverage coverage = new Coverage();
    if (timings == null) {
      return unknown(history, "nothing was measured", coverage);
    }
    long[] nanos = timings.sorted(ExitTimings.Exit.HEALTH);
    coverage.set("health.calls", nanos.length);
    coverage.set("health.threw", timings.healthThrows());
    if (nanos.length > 0) {
      coverage.set("health.maxMicros", nanos[nanos.length - 1] / 1_000);
    }
    if (timings.healthThrows() > 0) {
      return CheckOutcome.fail(
              "health() threw "
                  + timings.healthThrows()
                  + " times in "
                  + nanos.length
                  + " probes: the heartbeat counts a probe that throws as DOWN, and three in a row"
                  + " hand the primary role over",
              String.join("\n", timings.healthFailures()))
          .with(coverage);
    }
    List<ExitTimings.Overrun> overruns =
        timings.overruns().stream().filter(o -> o.exit() == ExitTimings.Exit.HEALTH).toList();
    if (!overruns.isEmpty()) {
      List<String> text = new ArrayList<>();
      overruns.stream().limit(3).forEach(o -> text.add(o.toString()));
      return CheckOutcome.fail(
              overruns.size()
                  + " health() probes overran their budget of "
                  + timings.budget(ExitTimings.Exit.HEALTH).toMillis()
                  + " ms by their own CPU time and waiting: a probe must answer from what the"
                  + " application already knows",
              String.join("\n", text))
          .with(coverage);
    }
    if (nanos.length == 0) {
      return unknown(history, "the heartbeat never called health()", coverage);
    }
    return CheckOutcome.pass(
            nanos.length
                + " health() probes during the scenario, none threw or overran its budget (max "
                + nanos[nanos.length - 1] / 1_000_000
                + " ms, budget "
                + timings.budget(ExitTimings.Exit.HEALTH).toMillis()
                + " ms)")
        .with(coverage);
  }

  /** TM-3: after the faults stop the replicas reach one fingerprint within the limit. */
  static CheckOutcome convergence(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    coverage.set("convergenceMillis", history.convergenceMillis);
    coverage.set("limitMillis", history.convergenceLimitMillis);
    List<String> problems = evidence.finalStateProblems();
    if (history.convergenceLimitMillis == 0) {
      return unknown(history, "the scenario did not get to the end of its faults", coverage);
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(
              "the replicas did not converge within " + history.convergenceLimitMillis + " ms",
              Evidence.lines(problems))
          .with(coverage);
    }
    return CheckOutcome.pass(
            "all three replicas reached one fingerprint "
                + history.convergenceMillis
                + " ms after the last fault (limit "
                + history.convergenceLimitMillis
                + " ms)")
        .with(coverage);
  }

  static CheckOutcome unknown(History<?, ?> history, String why, Coverage coverage) {
    return CheckOutcome.unknown(
            why
                + (history.abortedBecause == null
                    ? ""
                    : "; the scenario stopped early: " + history.abortedBecause))
        .with(coverage);
  }

  private static @Nullable RoleChange promotionAfter(
      History<?, ?> history, History.FaultRecord fault) {
    // The crashed node cannot be promoted again before its restart, so a promotion of it that is
    // delivered after the crash is a late delivery of an earlier one (its role callback may be slow
    // by design, as in the TM-1 self-test) and says nothing about the failover.
    for (Observations.RoleEvent event : history.observations.delivered()) {
      RoleChange change = event.change();
      if (change.to() == Role.PRIMARY
          && event.nanos() >= fault.startNanos
          && !change.node().value().equals(fault.from)) {
        return change;
      }
    }
    return null;
  }

  private static long countReason(History<?, ?> history, Role to, RoleChange.Reason reason) {
    return history.observations.delivered().stream()
        .filter(
            e ->
                e.change().to() == to
                    && e.change().reason() == reason
                    && (to != Role.BACKUP || e.change().from() == Role.PRIMARY))
        .count();
  }

  private static Map<String, List<RoleChange>> byNode(List<Observations.RoleEvent> events) {
    Map<String, List<RoleChange>> byNode = new LinkedHashMap<>();
    for (Observations.RoleEvent event : events) {
      byNode
          .computeIfAbsent(event.change().node().value(), n -> new ArrayList<>())
          .add(event.change());
    }
    return byNode;
  }

  private static String describe(RoleChange change) {
    return change.from()
        + " -> "
        + change.to()
        + " ("
        + change.reason()
        + ", epoch "
        + change.epoch()
        + ")";
  }

  private static String firstDifference(List<RoleChange> a, List<RoleChange> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      RoleChange x = i < a.size() ? a.get(i) : null;
      RoleChange y = i < b.size() ? b.get(i) : null;
      if (x == null || !x.equals(y)) {
        return "at "
            + (i + 1)
            + ": received "
            + (x == null ? "nothing" : describe(x))
            + ", delivered "
            + (y == null ? "nothing" : describe(y));
      }
    }
    return "none";
  }
}
