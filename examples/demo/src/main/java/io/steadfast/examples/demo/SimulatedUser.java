package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One user's thread and session: sends what the {@link Script} says, retries a command whose
 * outcome is uncertain with its original sequence number until it settles, and keeps what the
 * checks need afterwards: the last sequence number the cluster answered and the resume point the
 * session must show.
 *
 * <p>The fields the drill reads are volatile; everything else belongs to the user's own thread.
 */
final class SimulatedUser<C, R> implements Runnable {

  /** How long a user keeps retrying an unsettled command after it was told to stop. */
  static final Duration SETTLE_AFTER_STOP = Duration.ofSeconds(30);

  private final Script<C, R> script;
  private final Session<C, R> session;
  private final EmbeddedCluster<C, R> cluster;
  private final Traffic traffic;
  private final Thread thread;
  private volatile ResumePoint expected = ResumePoint.start();
  private volatile long answeredSequence;
  private volatile long lastAckNanos;
  private volatile @Nullable String failure;

  SimulatedUser(
      Script<C, R> script, EmbeddedCluster<C, R> cluster, Duration sessionTtl, Traffic traffic) {
    this.script = script;
    this.cluster = cluster;
    this.traffic = traffic;
    String user = script.principal().user();
    this.session =
        cluster.client().openSession(SessionId.of("demo-" + user), script.principal(), sessionTtl);
    this.thread = new Thread(this, "user-" + user);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Waits for the thread to finish; false if it did not within {@code timeout}. */
  boolean join(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  @Override
  public void run() {
    try {
      C command = script.first();
      while (traffic.running()) {
        command = send(command);
        Duration pause = script.pause();
        if (!pause.isZero()) {
          Pause.pause(pause);
        }
      }
    } catch (RuntimeException e) {
      failure = e.toString();
    }
  }

  private C send(C command) {
    if (script.isQuery(command)) {
      try {
        return script.next(command, PrimaryQueries.ask(cluster, session.principal(), command));
      } catch (CommandRejectedException e) {
        return script.afterRejection(command, e);
      }
    }
    try {
      R result = execute(command);
      expected = script.resumeAfter(expected, command, result);
      answeredSequence = session.lastSequence();
      lastAckNanos = System.nanoTime();
      traffic.countAcknowledged(lastAckNanos);
      return script.next(command, result);
    } catch (CommandRejectedException e) {
      // journaled and answered: the sequence number is used, the resume point is unchanged
      answeredSequence = session.lastSequence();
      traffic.countRejected();
      return script.afterRejection(command, e);
    }
  }

  private R execute(C command) {
    try {
      return session.execute(command);
    } catch (IndeterminateOutcomeException e) {
      long giveUp = Long.MAX_VALUE;
      while (true) {
        try {
          return session.retry();
        } catch (IndeterminateOutcomeException again) {
          if (!traffic.running() && giveUp == Long.MAX_VALUE) {
            giveUp = System.nanoTime() + SETTLE_AFTER_STOP.toNanos();
          }
          if (System.nanoTime() > giveUp) {
            throw new IllegalStateException(
                "command still unsettled "
                    + SETTLE_AFTER_STOP
                    + " after the users were stopped: "
                    + command,
                again);
          }
        }
      }
    }
  }

  /** The user's session. */
  Session<C, R> session() {
    return session;
  }

  /** The script this user follows. */
  Script<C, R> script() {
    return script;
  }

  /**
   * Where the session must resume: the resume-point rule folded over every acknowledged command.
   */
  ResumePoint expectedResumePoint() {
    return expected;
  }

  /** The sequence number of the last command the cluster answered (acknowledged or rejected). */
  long answeredSequence() {
    return answeredSequence;
  }

  /** When this user's latest command was acknowledged, in {@link System#nanoTime()} terms. */
  long lastAckNanos() {
    return lastAckNanos;
  }

  /** Why the user stopped before being told to; null if it did not. */
  @Nullable String failure() {
    return failure;
  }
}
