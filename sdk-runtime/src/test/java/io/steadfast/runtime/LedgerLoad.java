package io.steadfast.runtime;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous deposits from several sessions in threads of their own, recording which operations
 * were acknowledged, which stayed indeterminate, and each session's last acknowledged resume point.
 */
final class LedgerLoad implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  final Set<String> indeterminate = ConcurrentHashMap.newKeySet();
  final Map<String, ResumePoint> lastResumePoint = new ConcurrentHashMap<>();
  final Map<String, Session<LedgerCommand, Long>> sessions = new ConcurrentHashMap<>();
  final AtomicLong errors = new AtomicLong();

  LedgerLoad(SteadfastClient<LedgerCommand, Long> client, int sessionCount, long opsPerSession) {
    this(user -> client, sessionCount, opsPerSession);
  }

  /** With a client per user (a remote client proves one identity). */
  LedgerLoad(
      java.util.function.Function<String, SteadfastClient<LedgerCommand, Long>> clientFor,
      int sessionCount,
      long opsPerSession) {
    for (int i = 0; i < sessionCount; i++) {
      String name = "u" + i;
      Session<LedgerCommand, Long> session =
          clientFor.apply(name).openSession(Principal.of(name, "clerk"));
      sessions.put(name, session);
      Thread thread = new Thread(() -> run(name, session, opsPerSession), "load-" + name);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void run(String name, Session<LedgerCommand, Long> session, long limit) {
    for (long k = 1; k <= limit && running.get(); k++) {
      String op = name + "-" + k;
      String account = "acct-" + (k % 7);
      try {
        execute(session, new LedgerCommand.Deposit(account, 1, op));
        acknowledged.add(op);
        lastResumePoint.put(name, ResumePoint.of("account", account, "op", op));
      } catch (IndeterminateOutcomeException e) {
        indeterminate.add(op);
        if (!settle(session)) {
          return;
        }
        acknowledged.add(op);
        indeterminate.remove(op);
        lastResumePoint.put(name, ResumePoint.of("account", account, "op", op));
      } catch (RuntimeException e) {
        errors.incrementAndGet();
        return;
      }
    }
  }

  private static void execute(Session<LedgerCommand, Long> session, LedgerCommand command) {
    session.execute(command);
  }

  private boolean settle(Session<LedgerCommand, Long> session) {
    while (running.get()) {
      try {
        session.retry();
        return true;
      } catch (IndeterminateOutcomeException again) {
        // keep trying with the same sequence number
      }
    }
    return false;
  }

  /** Waits for every session to finish its operations. */
  void awaitDone(long timeoutMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    for (Thread thread : threads) {
      thread.join(Math.max(1, end - System.currentTimeMillis()));
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops every session's thread and waits (at most 30 s each) for it to end. */
  void stop() {
    running.set(false);
    try {
      for (Thread thread : threads) {
        thread.join(30_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
