package io.steadfast.benchmarks.scenario;

import java.time.Duration;

/**
 * A running three-node system under test, SDK or raw Ratis, seen through the few operations the
 * scenarios need. Members are numbered from 0.
 *
 * <p>Implementations are thread-safe.
 */
interface Target extends AutoCloseable {

  Side side();

  /** Opens a new user session; {@code n} varies the user and the workload seed. */
  Worker newWorker(int n);

  /** The member that is primary and ready, waiting for one up to 20 s. */
  int primary();

  /** The member that is primary and ready now, or -1 (does not wait). */
  int readyPrimary();

  /**
   * How often a scenario may call {@link #readyPrimary} while it watches for a new primary: often
   * where the call is a field read, seldom where it costs the members work (HTTP requests to member
   * processes), so that watching does not slow what it watches.
   */
  default long readyPollMillis() {
    return 1;
  }

  /**
   * Journal entries and commands {@code member} has submitted as primary, as far as this side can
   * tell: for the SDK the group committer's batches and requests, for raw Ratis the counter (one
   * entry per command). {@code {-1, -1}} if unknown.
   */
  long[] journaled(int member);

  /**
   * Kills {@code member} as a crashed process would stop. Returns as soon as the member refuses
   * requests; the rest of the shutdown (closing Ratis, which is slow) continues on the returned
   * thread, which must be joined before {@link #restart}.
   */
  Thread beginCrash(int member);

  /** Starts {@code member} again from its storage. */
  void restart(int member);

  /** Moves the primary role to {@code member} and waits until it is ready there. */
  void switchoverTo(int member);

  boolean running(int member);

  /** The journal index of the last entry applied on {@code member}, or -1 if it is down. */
  long appliedIndex(int member);

  /** The commit index {@code member} knows, or -1 if it is down. */
  long commitIndex(int member);

  /** The term (epoch) {@code member} knows, or -1 if it is down. */
  long term(int member);

  /**
   * CPU time in nanoseconds used so far by this system's parts that run outside the benchmark's JVM
   * (member processes), for per-command CPU figures that count every replica; 0 where everything
   * runs in this JVM.
   */
  default long externalCpuNanos() {
    return 0;
  }

  /** A fingerprint of {@code member}'s whole replicated state. */
  String digest(int member);

  int size();

  @Override
  void close();

  /** Waits until every member runs and has applied what the primary has applied. */
  default void awaitInSync(Duration timeout) {
    Polling.await(
        side().key() + " members in sync",
        timeout,
        5,
        () -> {
          int p = primary();
          long applied = appliedIndex(p);
          if (applied < commitIndex(p)) {
            return false;
          }
          for (int i = 0; i < size(); i++) {
            if (!running(i) || appliedIndex(i) < applied) {
              return false;
            }
          }
          return true;
        });
  }
}
