package io.steadfast.testkit.cluster;

import io.steadfast.api.Position;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The judgements of the session rules (RS-1 to RS-4) on one scenario's {@link Evidence}. */
final class SessionChecks {

  private SessionChecks() {}

  /** RS-1: a retried request is applied once and answered with the original outcome. */
  static CheckOutcome exactlyOnce(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    Map<Integer, FaultSchedule.Kind> kinds = kindsByGeneration(history);
    for (LoadDriver.Probe probe : history.load().probes()) {
      if (!probe.rule().equals("RS-1")) {
        continue;
      }
      FaultSchedule.Kind kind = kinds.get(probe.generation());
      coverage.increment("retriesAfter." + (kind == null ? "unknown" : kind));
      if (kind != null && kind.name().startsWith("CRASH")) {
        coverage.increment("retriesAfterFailover");
      } else if (kind == FaultSchedule.Kind.SWITCHOVER) {
        coverage.increment("retriesAfterSwitchover");
      }
      if (!probe.passed()) {
        problems.add(probe.detail());
      }
    }
    for (History.QuietResend resend : history.quietResends) {
      coverage.increment("quietRetries");
      if (!resend.sameResult() || !resend.sameDigest()) {
        problems.add(
            "quiet retry of "
                + resend.session()
                + " request "
                + resend.sequence()
                + ": "
                + resend.detail());
      }
    }
    coverage.set("inconclusive", history.load().inconclusiveProbes());
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(
              problems.size() + " retries were not exactly once", Evidence.lines(problems))
          .with(coverage);
    }
    if (coverage.get("retriesAfterFailover") == 0
        || coverage.get("retriesAfterSwitchover") == 0
        || coverage.get("quietRetries") == 0) {
      return ClusterChecks.unknown(
          history,
          "retries were not tried after both a failover and a"
              + " switchover and on a quiet cluster: "
              + coverage.snapshot(),
          coverage);
    }
    return CheckOutcome.pass(
            (coverage.get("retriesAfterFailover") + coverage.get("retriesAfterSwitchover"))
                + " requests retried with their number after"
                + " failovers and switchovers, "
                + coverage.get("quietRetries")
                + " on a quiet cluster:"
                + " each answered as the first time and applied once")
        .with(coverage);
  }

  /** RS-2: after failovers each session resumes where its last acknowledged command left it. */
  static CheckOutcome resumeAtPosition(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    Map<Integer, FaultSchedule.Kind> kinds = kindsByGeneration(history);
    for (LoadDriver.Probe probe : history.load().probes()) {
      if (!probe.rule().equals("RS-2")) {
        continue;
      }
      FaultSchedule.Kind kind = kinds.get(probe.generation());
      coverage.increment("checks");
      if (kind != null && kind.name().startsWith("CRASH")) {
        coverage.increment("checksAfterFailover");
      }
      if (!probe.passed()) {
        problems.add(probe.detail());
      }
    }
    long set =
        history.observations.byIndex().values().stream()
            .filter(call -> call.resumeSet() != null && !call.resumeSet().isStart())
            .count();
    coverage.set("resumePointsSet", set);
    coverage.set("oracleChecks", history.load().oracleChecks());
    long acknowledged = history.load().acknowledged();
    if (set == 0 && acknowledged >= 20) {
      // The root cause, before the probes it makes fail.
      return CheckOutcome.fail(
              "the application never recorded a resume point",
              acknowledged
                  + " commands were acknowledged and none of their apply calls set a"
                  + " resume point (ApplyContext.setResumePoint), so no session can resume at its"
                  + " position")
          .with(coverage);
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(
              problems.size() + " sessions resumed elsewhere", Evidence.lines(problems))
          .with(coverage);
    }
    if (coverage.get("checksAfterFailover") == 0) {
      return ClusterChecks.unknown(
          history, "no session checked its resume point after a" + " failover", coverage);
    }
    if (coverage.get("oracleChecks") == 0) {
      return ClusterChecks.unknown(
          history,
          "the workload does not say where its users should resume (UserScript"
              + ".resumePointAfter), so a resume point the application recorded wrongly but"
              + " consistently cannot be told from a right one; "
              + coverage.get("checks")
              + " resume points read after faults equal what the last acknowledged command"
              + " recorded",
          coverage);
    }
    return CheckOutcome.pass(
            coverage.get("checks")
                + " resume points read from new primaries"
                + " after faults ("
                + coverage.get("checksAfterFailover")
                + " after failovers) equal what"
                + " each session's last acknowledged command recorded"
                + ", "
                + coverage.get("oracleChecks")
                + " of them also where the user's script says it should resume")
        .with(coverage);
  }

  /** RS-3: positions never go back, and one position never has two fingerprints. */
  static CheckOutcome positions(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    Coverage coverage = new Coverage();
    List<String> problems = new ArrayList<>();
    Map<String, Position> last = new HashMap<>();
    for (History.PositionSample sample : history.positions) {
      coverage.increment("positionSamples");
      String key = sample.node() + "#" + sample.incarnation();
      Position before = last.put(key, sample.position());
      if (before != null
          && (sample.position().index() < before.index()
              || (sample.position().index() == before.index()
                  && sample.position().epoch() != before.epoch()))) {
        problems.add(
            sample.node()
                + " (incarnation "
                + sample.incarnation()
                + ") went from "
                + before
                + " back to "
                + sample.position());
      }
    }
    for (History.Restart restart : history.restarts) {
      coverage.increment("restarts");
      if (restart.reached == null || restart.reached.index() < restart.before.index()) {
        problems.add(
            restart.node
                + " had applied "
                + restart.before
                + " before it went down and"
                + " reached only "
                + restart.reached
                + " after its restart");
      }
    }
    long previousEpoch = 0;
    for (Applied<?> call : history.observations.byIndex().values()) {
      if (call.position().epoch() < previousEpoch) {
        problems.add("the epoch goes back along the journal at " + call.position());
      }
      previousEpoch = call.position().epoch();
    }
    problems.addAll(history.observations.conflicts());
    Map<Position, History.FingerprintSample> byPosition = new HashMap<>();
    for (History.FingerprintSample sample : history.fingerprints) {
      coverage.increment("fingerprintSamples");
      History.FingerprintSample first = byPosition.putIfAbsent(sample.position(), sample);
      if (first != null) {
        coverage.increment("positionsSeenTwice");
        if (!first.fingerprint().equals(sample.fingerprint())) {
          problems.add(
              "position "
                  + sample.position()
                  + " has fingerprint "
                  + first.fingerprint().substring(0, 12)
                  + " on "
                  + first.node()
                  + " and "
                  + sample.fingerprint().substring(0, 12)
                  + " on "
                  + sample.node());
        }
      }
    }
    if (!problems.isEmpty()) {
      return CheckOutcome.fail(problems.size() + " position anomalies", Evidence.lines(problems))
          .with(coverage);
    }
    if (coverage.get("restarts") == 0 || coverage.get("positionsSeenTwice") == 0) {
      return ClusterChecks.unknown(
          history, "no restart, or no position fingerprinted twice", coverage);
    }
    return CheckOutcome.pass(
            coverage.get("positionSamples")
                + " position samples never went"
                + " back, "
                + coverage.get("restarts")
                + " restarted nodes reached their old position, "
                + coverage.get("positionsSeenTwice")
                + " repeated fingerprint samples agreed")
        .with(coverage);
  }

  /** RS-4: a session idle past its time-to-live expires on every replica alike. */
  static CheckOutcome expiry(Evidence<?, ?> evidence) {
    History<?, ?> history = evidence.history();
    History.Expiry expiry = history.expiry;
    Coverage coverage = new Coverage();
    coverage.set("ttlMillis", expiry.ttlMillis);
    coverage.set("expiredAfterMillis", expiry.expiredAfterMillis);
    if (!expiry.opened) {
      return ClusterChecks.unknown(
          history,
          "the expiry probe did not run" + (expiry.detail.isEmpty() ? "" : ": " + expiry.detail),
          coverage);
    }
    List<String> problems = new ArrayList<>();
    if (!expiry.expired) {
      problems.add(
          "session "
              + expiry.session
              + " with a time-to-live of "
              + expiry.ttlMillis
              + " ms was still open after "
              + expiry.expiredAfterMillis
              + " ms idle");
    }
    if (!expiry.nextRequest.equals("SessionExpiredException")) {
      problems.add(
          "the expired session's next request got "
              + expiry.nextRequest
              + " instead of SessionExpiredException");
    }
    boolean laterFault =
        history.faults.stream()
            .anyMatch(
                f ->
                    f.generation > expiry.generation
                        && (f.isCrash() || f.kind == FaultSchedule.Kind.SWITCHOVER)
                        && f.completed);
    if (laterFault && !expiry.afterLaterFault.equals("expired")) {
      problems.add(
          "after a later change of primary the session reads as " + expiry.afterLaterFault);
    }
    if (expiry.callsRecorded > 1) {
      problems.add(
          expiry.callsRecorded
              + " commands of the expired session were applied, 1 was"
              + " sent before it expired");
    }
    problems.addAll(evidence.finalStateProblems());
    if (!problems.isEmpty()) {
      return CheckOutcome.fail("session expiry is not decided alike", Evidence.lines(problems))
          .with(coverage);
    }
    if (!laterFault) {
      return ClusterChecks.unknown(history, "no change of primary followed the expiry", coverage);
    }
    return CheckOutcome.pass(
            "a session idle past its "
                + expiry.ttlMillis
                + " ms time-to-live"
                + " expired (after "
                + expiry.expiredAfterMillis
                + " ms), its next request got SessionExpiredException, a later primary agreed, and"
                + " all replicas ended with one digest")
        .with(coverage);
  }

  private static Map<Integer, FaultSchedule.Kind> kindsByGeneration(History<?, ?> history) {
    Map<Integer, FaultSchedule.Kind> kinds = new HashMap<>();
    for (History.FaultRecord fault : history.faults) {
      kinds.put(fault.generation, fault.kind);
    }
    if (history.expiry.generation > 0) {
      kinds.put(history.expiry.generation, FaultSchedule.Kind.EXPIRE_SESSION);
    }
    return kinds;
  }
}
