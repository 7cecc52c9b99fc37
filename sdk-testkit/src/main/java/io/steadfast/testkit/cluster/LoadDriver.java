package io.steadfast.testkit.cluster;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Drives the workload's users against the cluster, each user in a thread of its own with its own
 * session, feeding every result back to the user's script, and records what was submitted and
 * acknowledged. After every fault the scenario reports, each session, at its next step, checks its
 * resume point (RS-2) and resends its last acknowledged request with the same number (RS-1).
 *
 * <p>Thread-safe: its methods are called from the scenario thread while the user threads run.
 */
final class LoadDriver<C, R> implements AutoCloseable {

  /** What one session submitted and what it was told. */
  static final class UserState<C> {
    final SessionId id;
    final Principal principal;

    /** Request number to command, for every request that may have been journaled. */
    final Map<Long, C> submitted = new ConcurrentSkipListMap<>();

    /** Request number to the outcome the session was told. */
    final Map<Long, Result> acknowledged = new ConcurrentSkipListMap<>();

    /** Request number to the global acknowledgement ordinal. */
    final Map<Long, Long> ackOrdinal = new ConcurrentSkipListMap<>();

    volatile long lastAcked;
    volatile @Nullable C lastAckedCommand;
    volatile @Nullable Result lastAckedResult;

    /** Where the user's script says it should resume now, if it says. */
    volatile @Nullable ResumePoint expectedResume;

    volatile boolean unsettled;

    UserState(SessionId id, Principal principal) {
      this.id = id;
      this.principal = principal;
    }
  }

  /**
   * One check a session made after a fault.
   *
   * @param rule RS-1 or RS-2
   * @param generation which fault it followed (1 for the first)
   * @param passed whether it held
   * @param detail what was compared
   */
  record Probe(String rule, int generation, boolean passed, String detail) {}

  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final EmbeddedCluster<C, R> cluster;
  private final SteadfastClient<C, R> client;
  private final CommandCodec<C, R> codec;
  private final Workload<C, R> workload;
  private final Observations<C> observations;
  private final long seed;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger nextUser = new AtomicInteger();
  private final AtomicInteger generation = new AtomicInteger();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong refusedAtDoor = new AtomicLong();
  private final AtomicLong inconclusiveProbes = new AtomicLong();
  private final AtomicLong oracleChecks = new AtomicLong();
  private final Map<SessionId, UserState<C>> sessions = new ConcurrentHashMap<>();
  private final List<Probe> probes = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean running = true;
  private boolean paused;
  private int parked;

  LoadDriver(
      EmbeddedCluster<C, R> cluster,
      CommandCodec<C, R> codec,
      Workload<C, R> workload,
      Observations<C> observations,
      long seed) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.codec = codec;
    this.workload = workload;
    this.observations = observations;
    this.seed = seed;
  }

  /** Starts one thread per concurrent user of the workload. */
  void start() {
    for (int i = 0; i < workload.concurrentUsers(); i++) {
      Thread thread = new Thread(this::work, "steadfast-certify-user-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void work() {
    while (running) {
      int user = nextUser.getAndIncrement();
      try {
        runUser(user);
      } catch (RuntimeException e) {
        errors.add("user " + user + ": " + e);
      }
    }
  }

  private void runUser(int user) {
    Principal principal = workload.principal(user);
    UserScript<C, R> script = workload.newUser(user, new SplittableRandom(seed + user).nextLong());
    SessionId id = SessionId.of("certify-" + user);
    Session<C, R> session = open(id, principal);
    if (session == null) {
      return;
    }
    UserState<C> state = new UserState<>(id, principal);
    sessions.put(id, state);
    R last = null;
    int probed = generation.get();
    while (running) {
      park();
      int now = generation.get();
      if (now != probed && state.lastAcked > 0) {
        probe(session, state, now);
      }
      probed = now;
      Optional<C> next = script.next(last);
      if (next.isEmpty()) {
        return;
      }
      C command = next.get();
      if (workload.isQuery(command)) {
        last = query(principal, command);
        continue;
      }
      long sequence = session.lastSequence() + 1;
      state.submitted.put(sequence, command);
      Sent<R> sent;
      try {
        sent = send(session, command);
      } catch (NotAuthorizedException | MalformedCommandException refused) {
        state.submitted.remove(sequence);
        refusedAtDoor.incrementAndGet();
        last = null;
        continue;
      }
      if (sent == null) {
        state.unsettled = true;
        errors.add(
            "session "
                + id
                + ": request "
                + sequence
                + " still has no outcome after "
                + SETTLE.toSeconds()
                + " s of retries");
        return;
      }
      state.acknowledged.put(sequence, sent.result());
      state.ackOrdinal.put(sequence, acks.incrementAndGet());
      state.lastAckedCommand = command;
      state.lastAckedResult = sent.result();
      state.lastAcked = sequence;
      last = sent.value();
      if (last != null) {
        state.expectedResume = script.resumePointAfter(command, last).orElse(null);
      }
    }
  }

  private record Sent<R>(Result result, @Nullable R value) {}

  /** Executes {@code command}, retrying an unknown outcome; null if it never settled. */
  private @Nullable Sent<R> send(Session<C, R> session, C command) {
    long end = System.nanoTime() + SETTLE.toNanos();
    boolean first = true;
    while (true) {
      try {
        R value = first ? session.execute(command) : session.retry();
        return new Sent<>(Result.reply(codec.encodeResult(value)), value);
      } catch (CommandRejectedException e) {
        return new Sent<>(Result.rejected(e), null);
      } catch (IndeterminateOutcomeException e) {
        first = false;
        if (System.nanoTime() > end) {
          return null;
        }
      }
    }
  }

  private @Nullable Session<C, R> open(SessionId id, Principal principal) {
    long end = System.nanoTime() + SETTLE.toNanos();
    while (running) {
      try {
        return client.openSession(id, principal, SteadfastClient.DEFAULT_SESSION_TTL);
      } catch (SteadfastException e) {
        if (System.nanoTime() > end) {
          errors.add("session " + id + " could not be opened: " + e);
          return null;
        }
      }
    }
    return null;
  }

  private @Nullable R query(Principal principal, C command) {
    long end = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      try {
        R answer = cluster.primary().query(principal, command);
        queries.incrementAndGet();
        return answer;
      } catch (CommandRejectedException | NotAuthorizedException e) {
        queries.incrementAndGet();
        return null;
      } catch (SteadfastException e) {
        if (System.nanoTime() > end || !running) {
          return null;
        }
      }
    }
  }

  private void probe(Session<C, R> session, UserState<C> state, int now) {
    long sequence = state.lastAcked;
    try {
      ResumePoint point = session.resumePoint();
      long applied = session.appliedSequence();
      List<Applied<C>> calls = observations.ofSession(state.id);
      String where =
          "session " + state.id + " after fault " + now + ", last acknowledged request " + sequence;
      if (applied != sequence) {
        probes.add(
            new Probe(
                "RS-2",
                now,
                false,
                where
                    + ": the primary's record says request "
                    + applied
                    + " was the last applied"));
      } else if (calls.size() < sequence) {
        probes.add(
            new Probe(
                "RS-2",
                now,
                false,
                where + ": only " + calls.size() + " apply calls were seen for the session"));
      } else {
        ResumePoint expected = calls.get((int) sequence - 1).resumeAfter();
        ResumePoint oracle = state.expectedResume;
        if (oracle != null) {
          oracleChecks.incrementAndGet();
        }
        probes.add(
            new Probe(
                "RS-2",
                now,
                expected.equals(point) && (oracle == null || oracle.equals(point)),
                where
                    + ": resume point "
                    + point
                    + ", recorded by the acknowledged command "
                    + expected
                    + (oracle == null
                        ? ""
                        : "; the user's script says it should resume at " + oracle)));
      }
    } catch (SteadfastException e) {
      inconclusiveProbes.incrementAndGet();
    }
    C command = state.lastAckedCommand;
    Result original = state.lastAckedResult;
    if (command == null || original == null) {
      return;
    }
    int before = observations.ofSession(state.id).size();
    Result again;
    try {
      again = Result.reply(codec.encodeResult(session.audit().resend(sequence, command)));
    } catch (CommandRejectedException e) {
      again = Result.rejected(e);
    } catch (SteadfastException e) {
      inconclusiveProbes.incrementAndGet();
      return;
    }
    int after = observations.ofSession(state.id).size();
    String where = "session " + state.id + " request " + sequence + " resent after fault " + now;
    if (after != before) {
      probes.add(
          new Probe(
              "RS-1",
              now,
              false,
              where
                  + " was applied again: "
                  + before
                  + " apply calls before, "
                  + after
                  + " after"));
    } else {
      probes.add(
          new Probe(
              "RS-1",
              now,
              again.equals(original),
              where + ": first answer " + original + ", answer to the retry " + again));
    }
  }

  private void park() {
    synchronized (gate) {
      if (!paused) {
        return;
      }
      parked++;
      gate.notifyAll();
      try {
        while (paused && running) {
          gate.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        parked--;
      }
    }
  }

  /**
   * Holds every user at its next step and waits until all are held.
   *
   * @return false if they were not all held within {@code timeout}
   */
  boolean pause(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      paused = true;
      while (parked < threads.size()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        gate.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Lets the users go on. */
  void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  /** Tells the sessions a fault has been injected and the cluster has a primary again. */
  int faultInjected() {
    return generation.incrementAndGet();
  }

  /** Commands acknowledged so far. */
  long acknowledged() {
    return acks.get();
  }

  long queries() {
    return queries.get();
  }

  long refusedAtDoor() {
    return refusedAtDoor.get();
  }

  /** RS-2 probes checked against the resume point the user's script expected. */
  long oracleChecks() {
    return oracleChecks.get();
  }

  long inconclusiveProbes() {
    return inconclusiveProbes.get();
  }

  /** Every session the load opened. */
  Map<SessionId, UserState<C>> sessions() {
    return Map.copyOf(sessions);
  }

  List<Probe> probes() {
    return List.copyOf(probes);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Session objects for the quiet checks are re-attached from the replicated record. */
  Session<C, R> attach(SessionId id, Principal principal) {
    return client.attach(id, principal);
  }

  /** Stops the users after their current step and waits for them (at most a minute each). */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the sessions' threads and waits for each (at most the settle time). */
  void stop() throws InterruptedException {
    running = false;
    resume();
    for (Thread thread : threads) {
      thread.join(SETTLE.toMillis());
      if (thread.isAlive()) {
        errors.add(thread.getName() + " did not stop within " + SETTLE.toSeconds() + " s");
      }
    }
  }
}
