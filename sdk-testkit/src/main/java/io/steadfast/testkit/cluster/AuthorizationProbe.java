package io.steadfast.testkit.cluster;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * AZ-1: with the load paused and the replicas caught up, a session of a principal with no roles
 * sends one command of each type the workload submitted (queries excepted). Each must be refused
 * with {@link NotAuthorizedException} before it is journaled: the primary's applied position must
 * not move. A command applied for such a principal, or rejected by the application (which means it
 * was journaled), is a violation.
 */
final class AuthorizationProbe<C, R> implements FaultInjector {

  /** The principal with no roles. */
  static final Principal OUTSIDER = Principal.of("certification-outsider");

  private final ScenarioStage<C, R> stage;

  AuthorizationProbe(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  @Override
  public void inject(int number, FaultSchedule.Fault fault) throws InterruptedException {
    LoadDriver<C, R> load = stage.history.load();
    History.AuthorizationProbe probe = new History.AuthorizationProbe();
    stage.history.authorizationProbes.add(probe);
    if (!load.pause(Duration.ofSeconds(60))) {
      probe.violations.add("the load could not be paused; nothing decided");
      load.resume();
      return;
    }
    try {
      probe.quiet = ScenarioStage.poll(Duration.ofSeconds(20), stage::caughtUp);
      Map<String, C> samples = new TreeMap<>();
      for (LoadDriver.UserState<C> user : load.sessions().values()) {
        for (C command : user.submitted.values()) {
          if (!stage.workload.isQuery(command)) {
            samples.putIfAbsent(command.getClass().getName(), command);
          }
        }
      }
      SteadfastNode<C, R> primary = stage.cluster().primary();
      Session<C, R> outsider = primary.openSession(OUTSIDER);
      Map<Long, C> applied = new LinkedHashMap<>();
      stage.history.ownSessions.put(outsider.id(), applied);
      for (Map.Entry<String, C> sample : samples.entrySet()) {
        String type = sample.getValue().getClass().getSimpleName();
        Position before = primary.appliedPosition();
        try {
          outsider.execute(sample.getValue());
          applied.put(outsider.lastSequence(), sample.getValue());
          probe.violations.add(type + " was applied for a principal with no roles");
        } catch (NotAuthorizedException refused) {
          if (!primary.appliedPosition().equals(before)) {
            probe.violations.add(
                type + " was refused, but the primary applied something meanwhile (journaled?)");
          } else {
            probe.refused.add(type);
          }
        } catch (NotPrimaryException | IndeterminateOutcomeException moved) {
          probe.inconclusive.add(type + ": " + moved.getClass().getSimpleName());
        } catch (SteadfastException other) {
          probe.violations.add(
              type
                  + " was not refused by authorization but failed with "
                  + other.getClass().getSimpleName()
                  + " (a rejection by apply means it was journaled)");
        }
      }
      outsider.close();
    } catch (SteadfastException e) {
      probe.inconclusive.add("the probe session failed: " + e);
    } finally {
      load.resume();
    }
    stage.history.event(
        "authorization probe: refused "
            + probe.refused
            + ", violations "
            + probe.violations
            + ", inconclusive "
            + probe.inconclusive);
  }
}
