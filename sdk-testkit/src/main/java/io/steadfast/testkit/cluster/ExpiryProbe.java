package io.steadfast.testkit.cluster;

import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionExpiredException;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import io.steadfast.testkit.workload.UserScript;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A session of its own left idle past its time-to-live: it must expire, refuse its next request,
 * and stay expired through the faults that follow.
 */
final class ExpiryProbe<C, R> implements FaultInjector {

  private final ScenarioStage<C, R> stage;
  private static final Duration EXPIRY_TTL = Duration.ofSeconds(1);
  private @Nullable Session<C, R> expirySession;

  ExpiryProbe(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  @Override
  public void inject(int number, FaultSchedule.Fault fault) {
    EmbeddedCluster<C, R> c = stage.cluster();
    History.Expiry expiry = stage.history.expiry;
    int user = 1_000_000;
    Principal principal = stage.workload.principal(user);
    UserScript<C, R> script =
        stage.workload.newUser(user, stage.context.settings().seed() ^ 0xE1E1L);
    Optional<C> first = nextJournaled(principal, script, null);
    if (first.isEmpty()) {
      expiry.detail = "the workload's user " + user + " has no command to journal";
      return;
    }
    expiry.session = SessionId.of("certify-expiry");
    expiry.ttlMillis = EXPIRY_TTL.toMillis();
    Map<Long, C> submitted = new TreeMap<>();
    stage.history.ownSessions.put(expiry.session, submitted);
    Session<C, R> session;
    try {
      session = c.client().openSession(expiry.session, principal, EXPIRY_TTL);
      expiry.opened = true;
      submitted.put(1L, first.get());
      R result = null;
      try {
        result = session.execute(first.get());
      } catch (io.steadfast.api.CommandRejectedException rejected) {
        // a rejection is an outcome too: the session was active
      }
      long idleSince = System.nanoTime();
      expiry.expired =
          ScenarioStage.poll(
              Duration.ofSeconds(30),
              () -> {
                try {
                  session.appliedSequence();
                  return false;
                } catch (SessionExpiredException e) {
                  return true;
                } catch (SteadfastException e) {
                  return false;
                }
              });
      expiry.expiredAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
      // The user's next command, or its first again if it has no other: either must be refused.
      C second = nextJournaled(principal, script, result).orElse(first.get());
      try {
        session.execute(second);
        expiry.nextRequest = "accepted";
      } catch (SteadfastException e) {
        expiry.nextRequest = e.getClass().getSimpleName();
      }
      expirySession = session;
      expiry.generation = stage.history.load().faultInjected();
    } catch (SteadfastException e) {
      expiry.detail = "the probe failed: " + e;
    }
    stage.history.event(
        "session expiry probe: expired="
            + expiry.expired
            + " after "
            + expiry.expiredAfterMillis
            + " ms idle, next request: "
            + expiry.nextRequest);
  }

  private Optional<C> nextJournaled(
      Principal principal, UserScript<C, R> script, @Nullable R last) {
    R previous = last;
    for (int i = 0; i < 20; i++) {
      Optional<C> next = script.next(previous);
      if (next.isEmpty() || !stage.workload.isQuery(next.get())) {
        return next;
      }
      try {
        previous = stage.cluster().primary().query(principal, next.get());
      } catch (SteadfastException e) {
        previous = null;
      }
    }
    return Optional.empty();
  }

  /** After the later faults: the expired session must still be expired. */
  void checkAgain() {
    Session<C, R> session = expirySession;
    if (session == null) {
      return;
    }
    try {
      session.appliedSequence();
      stage.history.expiry.afterLaterFault = "open";
    } catch (SessionExpiredException e) {
      stage.history.expiry.afterLaterFault = "expired";
    } catch (SteadfastException e) {
      stage.history.expiry.afterLaterFault = e.getClass().getSimpleName();
    }
    stage.history.expiry.callsRecorded =
        stage.history.observations.ofSession(stage.history.expiry.session).size();
  }
}
