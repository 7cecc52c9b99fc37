package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.SteadfastException;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.StateDigest;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.testkit.checkpoint.Checkpoints;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The end of a run: replicas converging, quiet resends, and the final fingerprints. */
final class Convergence<C, R> {

  private final ScenarioStage<C, R> stage;

  Convergence(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  /** Waits for the replicas to agree after the faults stopped at {@code faultsOver}. */
  void converge(long faultsOver) {
    stage.history.convergenceLimitMillis = ScenarioStage.CONVERGENCE.toMillis();
    boolean converged =
        ScenarioStage.poll(
            ScenarioStage.CONVERGENCE,
            () -> {
              if (!stage.caughtUp()) {
                return false;
              }
              Map<String, StateDigest> digests = stage.digests();
              return digests.size() == 3
                  && digests.values().stream().map(StateDigest::sha256).distinct().count() == 1;
            });
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultsOver);
    if (converged) {
      stage.history.convergenceMillis = millis;
    } else {
      StringBuilder text = new StringBuilder("not converged after " + millis + " ms:");
      for (NodeStatus status : stage.cluster().status()) {
        text.append("\n  ").append(status);
      }
      stage
          .digests()
          .forEach((node, digest) -> text.append("\n  ").append(node).append(' ').append(digest));
      text.append("\n  ").append(differingPart());
      stage.history.convergenceDetail = text.toString();
    }
    for (History.Restart restart : stage.history.restarts) {
      SteadfastNode<C, R> node = stage.cluster().node(NodeId.of(restart.node));
      restart.reached = node.appliedPosition();
    }
    stage.history.event(
        converged
            ? "converged " + millis + " ms after the faults stopped"
            : stage.history.convergenceDetail);
  }

  /**
   * Which part of the replicated state keeps the replicas apart: their positions, the application
   * payload, or, when those agree, the runtime's own state (the session table).
   */
  private String differingPart() {
    Map<String, String> applications = new TreeMap<>();
    Map<String, String> positions = new TreeMap<>();
    for (SteadfastNode<C, R> node : stage.cluster().nodes()) {
      if (node.stopped()) {
        continue;
      }
      String id = node.id().value();
      node.audit()
          .inspect(
              app -> {
                applications.put(
                    id, Checkpoints.fingerprint(ObservedApplication.unwrap(app)).shortHex());
                positions.put(id, node.appliedPosition().toString());
                return null;
              });
    }
    if (new java.util.TreeSet<>(positions.values()).size() > 1) {
      return "the replicas stand at different positions "
          + positions
          + ": one is behind or stopped applying; application fingerprints "
          + applications;
    }
    if (new java.util.TreeSet<>(applications.values()).size() > 1) {
      return "at one position the application payloads differ: "
          + applications
          + " (apply or restore gives other states on other replicas)";
    }
    return "at one position the application payloads agree "
        + applications
        + ", so the runtime's state differs: the session table (a resume point, a sequence or an"
        + " expiry set differently on different replicas)";
  }

  /** Resends up to 8 settled sessions' last requests on the quiet cluster (RS-1). */
  void quietResends() {
    LoadDriver<C, R> load = stage.history.load();
    EmbeddedCluster<C, R> c = stage.cluster();
    int done = 0;
    for (LoadDriver.UserState<C> state : new TreeMap<>(load.sessions()).values()) {
      C command = state.lastAckedCommand;
      Result original = state.lastAckedResult;
      if (done >= 8 || state.unsettled || command == null || original == null) {
        continue;
      }
      done++;
      try {
        Session<C, R> session = load.attach(state.id, state.principal);
        String before = applicationState(c.primary());
        Result again;
        try {
          again =
              Result.reply(
                  stage.codec.encodeResult(session.audit().resend(state.lastAcked, command)));
        } catch (io.steadfast.api.CommandRejectedException e) {
          again = Result.rejected(e);
        }
        String after = applicationState(c.primary());
        stage.history.quietResends.add(
            new History.QuietResend(
                state.id,
                state.lastAcked,
                again.equals(original),
                before.equals(after),
                "first "
                    + original
                    + ", retry "
                    + again
                    + "; state before "
                    + before
                    + ", after "
                    + after));
      } catch (SteadfastException e) {
        stage.history.quietResends.add(
            new History.QuietResend(
                state.id, state.lastAcked, false, false, "the resend failed: " + e));
      }
    }
  }

  /** The application's fingerprint and position on {@code node}, read together. */
  private String applicationState(SteadfastNode<C, R> node) {
    return node.audit()
        .inspect(
            app ->
                Checkpoints.fingerprint(ObservedApplication.unwrap(app)).shortHex()
                    + " at "
                    + node.appliedPosition());
  }

  /** Fingerprints every replica's final state. */
  void finalState() {
    // The quiet resends journaled entries of their own; compare the replicas once all have them.
    if (!ScenarioStage.poll(ScenarioStage.CONVERGENCE, stage::caughtUp)) {
      stage.history.event(
          "replicas not caught up after the quiet resends: " + stage.cluster().status());
    }
    for (SteadfastNode<C, R> node : stage.cluster().nodes()) {
      if (node.stopped()) {
        continue;
      }
      String id = node.id().value();
      stage.history.finalDigests.put(id, node.audit().digest());
      node.audit()
          .inspect(
              app -> {
                stage.history.finalPositions.put(id, node.appliedPosition());
                stage.history.finalFingerprints.put(
                    id, Checkpoints.fingerprint(ObservedApplication.unwrap(app)).hex());
                return null;
              });
    }
  }
}
