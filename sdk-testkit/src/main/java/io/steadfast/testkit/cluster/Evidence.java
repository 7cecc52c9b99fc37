package io.steadfast.testkit.cluster;

import io.steadfast.api.Position;
import io.steadfast.api.role.Role;
import io.steadfast.api.session.SessionId;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.rule.CheckContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Conclusions several cluster checks share, computed once from a {@link History}: the history check
 * (what was acknowledged, applied and submitted), the sequential reference replay of everything
 * applied, and the promotions by epoch. Used from the suite's check thread.
 */
final class Evidence<C, R> {

  private final CheckContext<C, R> context;
  private final History<C, R> history;
  private @Nullable List<String> historyProblems;
  private @Nullable List<String> replayProblems;
  private @Nullable String referenceFingerprint;

  Evidence(CheckContext<C, R> context, History<C, R> history) {
    this.context = context;
    this.history = history;
  }

  History<C, R> history() {
    return history;
  }

  /** Every session the scenario drove: request number to command. */
  Map<SessionId, Map<Long, C>> submitted() {
    Map<SessionId, Map<Long, C>> all = new TreeMap<>();
    history.load().sessions().forEach((id, state) -> all.put(id, state.submitted));
    all.putAll(history.ownSessions);
    return all;
  }

  /**
   * The Jepsen-style set check: lost (acknowledged, not applied with the acknowledged outcome),
   * unexpected (applied, never submitted as that request), duplicated (a session's requests applied
   * more often than submitted) and conflicting positions.
   */
  synchronized List<String> historyProblems() {
    if (historyProblems != null) {
      return historyProblems;
    }
    List<String> problems = new ArrayList<>(history.observations.conflicts());
    Map<SessionId, Map<Long, C>> submitted = submitted();
    Map<SessionId, List<Applied<C>>> applied = new LinkedHashMap<>();
    for (Applied<C> call : history.observations.byIndex().values()) {
      applied.computeIfAbsent(call.session(), s -> new ArrayList<>()).add(call);
    }
    applied.forEach(
        (session, calls) -> {
          Map<Long, C> asked = submitted.get(session);
          if (asked == null) {
            problems.add(
                "unexpected: session "
                    + session
                    + " was never opened by the suite but "
                    + calls.size()
                    + " commands were applied for it, first "
                    + calls.get(0));
            return;
          }
          for (int k = 0; k < calls.size(); k++) {
            C command = asked.get(k + 1L);
            String expected = command == null ? null : text(command);
            if (expected == null) {
              problems.add(
                  "unexpected or applied twice: "
                      + calls.get(k)
                      + " is the session's apply"
                      + " number "
                      + (k + 1)
                      + " but it submitted only "
                      + asked.size()
                      + " requests");
            } else if (!expected.equals(calls.get(k).commandText())) {
              problems.add(
                  "unexpected: the session's request "
                      + (k + 1)
                      + " was "
                      + Applied.clip(expected)
                      + " but the journal applied "
                      + calls.get(k));
            }
          }
        });
    history
        .load()
        .sessions()
        .forEach(
            (id, state) -> {
              List<Applied<C>> calls = applied.getOrDefault(id, List.of());
              state.acknowledged.forEach(
                  (sequence, result) -> {
                    if (calls.size() < sequence) {
                      problems.add(
                          "lost: session "
                              + id
                              + " request "
                              + sequence
                              + " was acknowledged ("
                              + result
                              + ") but never applied");
                    } else if (!calls.get((int) (sequence - 1)).result().equals(result)) {
                      problems.add(
                          "wrong outcome: session "
                              + id
                              + " request "
                              + sequence
                              + " was acknowledged as "
                              + result
                              + " but applied as "
                              + calls.get((int) (sequence - 1)));
                    }
                  });
            });
    long gaps = gaps();
    if (gaps > 0) {
      problems.add(gaps + " positions between 1 and the last applied were never reported applied");
    }
    historyProblems = List.copyOf(problems);
    return historyProblems;
  }

  /** Positions between 1 and the highest applied index that no replica reported. */
  long gaps() {
    var byIndex = history.observations.byIndex();
    if (byIndex.isEmpty()) {
      return 0;
    }
    return byIndex.lastKey() - byIndex.size();
  }

  /** Submitted requests with no acknowledgement; how many of them were applied anyway. */
  long[] indeterminate() {
    long unknown = 0;
    long appliedAnyway = 0;
    for (LoadDriver.UserState<C> state : history.load().sessions().values()) {
      int calls = history.observations.ofSession(state.id).size();
      for (Long sequence : state.submitted.keySet()) {
        if (!state.acknowledged.containsKey(sequence)) {
          unknown++;
          if (calls >= sequence) {
            appliedAnyway++;
          }
        }
      }
    }
    return new long[] {unknown, appliedAnyway};
  }

  /**
   * Replays every applied command, in position order, on a fresh instance outside the cluster; each
   * outcome and resume point must be what the cluster's replicas recorded, and the final
   * fingerprint must be every replica's.
   */
  synchronized List<String> replayProblems() {
    if (replayProblems != null) {
      return replayProblems;
    }
    List<String> problems = new ArrayList<>();
    Replica<C, R> reference = context.newReplica();
    for (Applied<C> call : history.observations.byIndex().values()) {
      var before =
          reference
              .resumePoints()
              .getOrDefault(call.session(), io.steadfast.api.session.ResumePoint.start());
      Outcome<R> outcome =
          reference.apply(
              new TraceEntry<>(
                  call.position(),
                  call.session(),
                  call.principal(),
                  call.timestamp(),
                  call.command(),
                  0,
                  false));
      Result result = Result.of(outcome);
      if (!result.equals(call.result())
          || !Objects.equals(outcome.resumePointSet().orElse(null), call.resumeSet())
          || !before.equals(call.resumeBefore())) {
        problems.add(
            "at "
                + call.position()
                + " the cluster recorded "
                + call
                + "\n  but the sequential reference gives "
                + result
                + " resume="
                + outcome.resumePointSet().orElse(null)
                + " (resume point before: cluster "
                + call.resumeBefore()
                + ", reference "
                + before
                + ")");
        if (problems.size() >= 5) {
          break;
        }
      }
    }
    referenceFingerprint = reference.fingerprint().hex();
    Position last = reference.position();
    history.finalFingerprints.forEach(
        (node, fingerprint) -> {
          if (!fingerprint.equals(referenceFingerprint)) {
            problems.add(
                node
                    + " ended at "
                    + history.finalPositions.get(node)
                    + " with fingerprint "
                    + fingerprint.substring(0, 12)
                    + ", the reference replay of every applied command"
                    + " ends at "
                    + last
                    + " with "
                    + referenceFingerprint.substring(0, 12));
          }
        });
    replayProblems = List.copyOf(problems);
    return replayProblems;
  }

  /**
   * Promotions that started before a position acknowledged in an earlier epoch: a new primary must
   * hold everything an earlier primary acknowledged (the last mirrored position).
   */
  List<String> promotionsBehindAcknowledged() {
    List<Position> acked = new ArrayList<>();
    for (LoadDriver.UserState<C> state : history.load().sessions().values()) {
      List<Applied<C>> calls = history.observations.ofSession(state.id);
      for (Long sequence : state.acknowledged.keySet()) {
        if (calls.size() >= sequence) {
          acked.add(calls.get((int) (sequence - 1)).position());
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (Observations.RoleEvent event : history.observations.delivered()) {
      var change = event.change();
      if (change.to() != Role.PRIMARY) {
        continue;
      }
      acked.stream()
          .filter(p -> p.epoch() < change.epoch() && p.index() > change.position().index())
          .max(Position::compareTo)
          .ifPresent(
              p ->
                  problems.add(
                      change.node()
                          + " became primary at epoch "
                          + change.epoch()
                          + " at position "
                          + change.position()
                          + ", but "
                          + p
                          + " had been acknowledged in an earlier epoch"));
    }
    return problems;
  }

  /** Acknowledged commands (up to {@code ordinal}) that were not applied. */
  List<String> lostUpTo(long ordinal) {
    List<String> lost = new ArrayList<>();
    for (LoadDriver.UserState<C> state : history.load().sessions().values()) {
      int calls = history.observations.ofSession(state.id).size();
      state.ackOrdinal.forEach(
          (sequence, at) -> {
            if (at <= ordinal && calls < sequence) {
              lost.add(state.id + " request " + sequence);
            }
          });
    }
    return lost;
  }

  /** Epochs in which more than one node was promoted to primary. */
  List<String> twoPrimariesInOneEpoch() {
    Map<Long, List<String>> byEpoch = new TreeMap<>();
    for (Observations.RoleEvent event : history.observations.delivered()) {
      if (event.change().to() == Role.PRIMARY) {
        byEpoch
            .computeIfAbsent(event.change().epoch(), e -> new ArrayList<>())
            .add(event.change().node().value());
      }
    }
    List<String> problems = new ArrayList<>();
    byEpoch.forEach(
        (epoch, nodes) -> {
          if (nodes.size() > 1) {
            problems.add("epoch " + epoch + " had primaries " + nodes);
          }
        });
    return problems;
  }

  /** Problems with the final states: not converged, or replicas with different fingerprints. */
  List<String> finalStateProblems() {
    List<String> problems = new ArrayList<>();
    if (history.convergenceMillis < 0) {
      problems.add(
          history.convergenceDetail.isEmpty()
              ? "the replicas were not compared"
              : history.convergenceDetail);
    }
    if (history.finalFingerprints.values().stream().distinct().count() > 1) {
      problems.add(
          "final application fingerprints differ: "
              + history.finalFingerprints
              + " at "
              + history.finalPositions);
    }
    if (history.finalDigests.values().stream().map(d -> d.sha256()).distinct().count() > 1) {
      problems.add("final state digests differ: " + history.finalDigests);
    }
    return problems;
  }

  private String text(C command) {
    try {
      return Outcome.describe(context.codec().encodeCommand(command));
    } catch (RuntimeException e) {
      return String.valueOf(command);
    }
  }

  static String lines(List<String> problems) {
    return String.join("\n", problems.subList(0, Math.min(problems.size(), 10)))
        + (problems.size() > 10 ? "\n… and " + (problems.size() - 10) + " more" : "");
  }
}
