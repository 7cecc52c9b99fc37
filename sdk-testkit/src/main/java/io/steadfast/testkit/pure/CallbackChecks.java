package io.steadfast.testkit.pure;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.QueryContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.api.session.SessionResumed;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.checkpoint.Fingerprint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * JR-6: the calls a node makes outside the journal ({@code query}, {@code onRoleChange}, {@code
 * onResume}, {@code health}) run on one member only, or at different moments on each, so they must
 * change neither the replicated state nor what {@code apply} does next. An application that counts
 * queries in its state, drops holds when it becomes primary, remembers returning users in {@code
 * onResume}, or lets its resume points depend on the role makes replicas differ; in the cluster
 * that shows only as a failure to converge, here it is named.
 */
final class CallbackChecks {

  /** Positions at which an instance is taken through a promotion and a demotion. */
  static final int ROLE_PROBES = 4;

  /** Entries applied as primary after each probe's promotions and demotion. */
  static final int HORIZON = 10;

  private CallbackChecks() {}

  /** JR-6. */
  static <C, R> CheckOutcome check(CheckContext<C, R> context) throws Exception {
    Trace<C, R> trace = context.trace();
    Coverage coverage = new Coverage();
    Map<SessionId, Principal> principals = new TreeMap<>();
    for (int i = 0; i < trace.size(); i++) {
      principals.putIfAbsent(trace.entry(i).sessionId(), trace.entry(i).principal());
    }
    ExecutorService callbacks = CheckThreads.single("steadfast-check-JR-6-callback");
    try {
      Replica<C, R> replica = context.newReplica();
      List<Replica.Snapshot> probes = new ArrayList<>();
      var positions = Sampling.upTo(trace.size(), ROLE_PROBES, context.settings().seed() ^ 0x4A36L);
      for (int i = 0; i < trace.size(); i++) {
        if (positions.contains(i)) {
          probes.add(replica.snapshot());
        }
        TraceEntry<C> entry = trace.entry(i);
        // After a callback hung, its thread may still hold the instance: no more queries on it.
        if (context.workload().isQuery(entry.command()) && coverage.get("callbacksTimedOut") == 0) {
          CheckOutcome changed = query(context, replica, i, callbacks, coverage);
          if (changed != null) {
            return changed.with(coverage);
          }
        }
        replica.apply(entry);
      }
      Duration limit = callbackLimit(context);
      for (Replica.Snapshot probe : probes) {
        CheckOutcome failed = roles(context, probe, principals, callbacks, limit, coverage);
        if (failed != null) {
          return failed.with(coverage);
        }
        if (coverage.get("callbacksTimedOut") > 0) {
          break;
        }
      }
    } finally {
      callbacks.shutdownNow();
    }
    return CheckOutcome.pass(
            coverage.get("queries")
                + " queries and "
                + coverage.get("roleCallbacks")
                + " role callbacks, "
                + coverage.get("resumeCallbacks")
                + " onResume and "
                + coverage.get("healthProbes")
                + " health() calls left the state unchanged, and "
                + coverage.get("entriesAfterRoleChange")
                + " commands applied after promotions and demotions gave the reference outcomes"
                + (coverage.get("callbacksTimedOut") > 0
                    ? "; a role callback did not return within "
                        + callbackLimit(context).toMillis()
                        + " ms, so the later probes were left out (TM-1 judges its time)"
                    : ""))
        .with(coverage);
  }

  /** Calls {@code query} with entry {@code i}'s command on the replica holding the state before. */
  private static <C, R> @Nullable CheckOutcome query(
      CheckContext<C, R> context,
      Replica<C, R> replica,
      int i,
      ExecutorService callbacks,
      Coverage coverage)
      throws Exception {
    TraceEntry<C> entry = context.trace().entry(i);
    Fingerprint before = replica.fingerprint();
    Position position = replica.position();
    QueryContext queryContext =
        new QueryContext() {
          @Override
          public Position position() {
            return position;
          }

          @Override
          public Principal principal() {
            return entry.principal();
          }
        };
    ResilientApplication<C, R> application = replica.application();
    if (!call(
        callbacks,
        callbackLimit(context),
        () -> {
          try {
            application.query(entry.command(), queryContext);
          } catch (Exception rejected) {
            // A query may refuse; only what it leaves behind matters here.
          }
        })) {
      coverage.increment("callbacksTimedOut");
      return null;
    }
    coverage.increment("queries");
    Fingerprint after = replica.fingerprint();
    if (!after.equals(before)) {
      return CheckOutcome.fail(
          "query changed the replicated state, at entry #" + (i + 1),
          Evidence.entry(context, i)
              + "\nfingerprint before query "
              + before
              + ", after "
              + after
              + "\nquery runs on the primary only: state it changes differs from the backups'."
              + " Keep counters and caches a query fills out of the checkpointed state (transient"
              + " fields), or make the change a command");
    }
    return null;
  }

  /**
   * Takes an instance restored from {@code probe} through start, promotion, re-attached sessions, a
   * health probe, a demotion and a second promotion; the fingerprint must not move at any step, and
   * the next entries must give the reference outcomes as primary and as backup.
   */
  private static <C, R> @Nullable CheckOutcome roles(
      CheckContext<C, R> context,
      Replica.Snapshot probe,
      Map<SessionId, Principal> principals,
      ExecutorService callbacks,
      Duration limit,
      Coverage coverage)
      throws Exception {
    Trace<C, R> trace = context.trace();
    Replica<C, R> replica = context.newReplica();
    replica.restore(probe);
    ResilientApplication<C, R> application = replica.application();
    int next = (int) Math.min(trace.size(), indexAfter(trace, probe.position()));
    NodeId node = NodeId.of("certification-probe");
    Role[] role = {Role.INACTIVE};
    long[] epoch = {1};
    try {
      List<Step> steps = new ArrayList<>();
      steps.add(new Step(Role.BACKUP, RoleChange.Reason.START));
      steps.add(new Step(Role.PRIMARY, RoleChange.Reason.FAILOVER));
      steps.add(new Step(null, null));
      steps.add(new Step(Role.BACKUP, RoleChange.Reason.SWITCHOVER));
      steps.add(new Step(Role.PRIMARY, RoleChange.Reason.SWITCHOVER));
      for (Step step : steps) {
        String what;
        if (step.to == null) {
          what = "health() as primary";
          int resumed = 0;
          for (Map.Entry<SessionId, ResumePoint> session : probe.resumePoints().entrySet()) {
            Principal principal = principals.get(session.getKey());
            if (principal == null || resumed++ >= 8) {
              continue;
            }
            SessionResumed event =
                new SessionResumed(session.getKey(), principal, session.getValue(), 1);
            if (!call(callbacks, limit, () -> application.onResume(event))) {
              coverage.increment("callbacksTimedOut");
              return null;
            }
            coverage.increment("resumeCallbacks");
            CheckOutcome changed =
                changed(context, probe, replica, "onResume(" + session.getKey() + ")");
            if (changed != null) {
              return changed;
            }
          }
          if (!call(callbacks, limit, application::health)) {
            coverage.increment("callbacksTimedOut");
            return null;
          }
          coverage.increment("healthProbes");
        } else {
          Role to = step.to;
          RoleChange.Reason reason = step.reason;
          if (to == Role.PRIMARY) {
            epoch[0]++;
          }
          RoleChange change =
              new RoleChange(
                  node,
                  role[0],
                  to,
                  reason == null ? RoleChange.Reason.START : reason,
                  epoch[0],
                  probe.position());
          what = "onRoleChange(" + role[0] + " -> " + to + ", " + change.reason() + ")";
          role[0] = to;
          if (!call(callbacks, limit, () -> ignoringExceptions(application, change))) {
            coverage.increment("callbacksTimedOut");
            return null;
          }
          coverage.increment("roleCallbacks");
        }
        CheckOutcome changed = changed(context, probe, replica, what);
        if (changed != null) {
          return changed;
        }
      }
      // As primary (after the second promotion): apply what follows, as the trace did, beside an
      // instance restored from the same checkpoint that never had a role.
      Replica<C, R> reference = context.newReplica();
      reference.restore(probe);
      for (int i = next; i < Math.min(trace.size(), next + HORIZON); i++) {
        Outcome<R> outcome = replica.apply(trace.entry(i));
        reference.apply(trace.entry(i));
        coverage.increment("entriesAfterRoleChange");
        if (!outcome.equals(trace.outcome(i))) {
          return CheckOutcome.fail(
              "apply gives another outcome on a node that is primary, at entry #" + (i + 1),
              Evidence.entry(context, i)
                  + "\nreference (replayed without role changes): "
                  + trace.outcome(i)
                  + "\nafter onRoleChange(BACKUP -> PRIMARY): "
                  + outcome
                  + "\napply runs on every member whatever its role; a result or resume point that"
                  + " depends on the role (a field onRoleChange sets) makes the members' session"
                  + " tables differ");
        }
        if (!replica.fingerprint().equals(reference.fingerprint())) {
          return CheckOutcome.fail(
              "apply changes the state differently on a node that is primary, at entry #" + (i + 1),
              Evidence.entry(context, i)
                  + "\nfingerprint replayed without role changes "
                  + reference.fingerprint()
                  + ", after onRoleChange(BACKUP -> PRIMARY) "
                  + replica.fingerprint());
        }
      }
      return null;
    } finally {
      if (role[0] != Role.ENDED) {
        RoleChange end =
            new RoleChange(
                node, role[0], Role.ENDED, RoleChange.Reason.END, epoch[0], probe.position());
        call(callbacks, limit, () -> ignoringExceptions(application, end));
      }
    }
  }

  /** A failure if the replica's state is no longer the checkpoint's, after {@code what}. */
  private static <C, R> @Nullable CheckOutcome changed(
      CheckContext<C, R> context, Replica.Snapshot probe, Replica<C, R> replica, String what) {
    Fingerprint expected = probe.fingerprint();
    Fingerprint now = replica.fingerprint();
    if (now.equals(expected)) {
      return null;
    }
    return CheckOutcome.fail(
        what + " changed the replicated state, at " + probe.position(),
        "restored from the checkpoint at "
            + probe.position()
            + " (fingerprint "
            + expected
            + "), after "
            + what
            + ": "
            + now
            + "\n"
            + changedField(context, probe, replica.application())
            + "\nrole callbacks, onResume and health run on one member, at a moment of its own: what"
            + " they change in the checkpointed state differs from the other members'. A change"
            + " every member must see is a command");
  }

  private record Step(@Nullable Role to, RoleChange.@Nullable Reason reason) {}

  private static <C, R> void ignoringExceptions(
      ResilientApplication<C, R> application, RoleChange change) {
    try {
      application.onRoleChange(change);
    } catch (RuntimeException thrown) {
      // RL-1 judges a callback that throws; here only what it changes matters.
    }
  }

  /** Which field differs from an instance restored from the same checkpoint without callbacks. */
  private static <C, R> String changedField(
      CheckContext<C, R> context, Replica.Snapshot probe, ResilientApplication<C, R> probed) {
    try {
      Replica<C, R> untouched = context.newReplica();
      untouched.restore(probe);
      String difference = StateGraph.firstDifference(probed, untouched.application());
      return difference == null ? "" : "against an instance without the callback: " + difference;
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  /** The index of the first trace entry after {@code position}. */
  private static long indexAfter(Trace<?, ?> trace, Position position) {
    for (int i = 0; i < trace.size(); i++) {
      if (trace.entry(i).position().compareTo(position) > 0) {
        return i;
      }
    }
    return trace.size();
  }

  /** A callback's limit here: its budget twice over, at least two seconds. */
  private static Duration callbackLimit(CheckContext<?, ?> context) {
    Duration budget = context.newApplication().budgets().roleChange().multipliedBy(2);
    return budget.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : budget;
  }

  /** Runs {@code call} on the callback thread; false if it did not return within {@code limit}. */
  private static boolean call(ExecutorService callbacks, Duration limit, Runnable call)
      throws InterruptedException {
    Future<?> done = callbacks.submit(call);
    try {
      done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      done.cancel(true);
      return false;
    } catch (ExecutionException e) {
      // An Error from a callback: the cluster rules judge it; nothing to compare here.
      return true;
    }
  }
}
