package io.steadfast.examples.demo;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated users have done so far, and whether they should keep going: shared between the
 * user threads, which count, and the drill, which watches and stops them.
 *
 * <p>Thread-safe.
 */
final class Traffic {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong lastAckNanos = new AtomicLong();

  /** Whether users should start another command. */
  boolean running() {
    return running.get();
  }

  /** Tells users to stop after the command they are working on. */
  void stop() {
    running.set(false);
  }

  /** Counts one acknowledged command, at {@code nanos} of {@link System#nanoTime()}. */
  void countAcknowledged(long nanos) {
    acknowledged.incrementAndGet();
    lastAckNanos.accumulateAndGet(nanos, Math::max);
  }

  /** Counts one command the application rejected by a business rule. */
  void countRejected() {
    rejected.incrementAndGet();
  }

  /** Acknowledged commands so far. */
  long acknowledged() {
    return acknowledged.get();
  }

  /** Rejected commands so far. */
  long rejected() {
    return rejected.get();
  }

  /** When the latest acknowledgement arrived, in {@link System#nanoTime()} terms; 0 before any. */
  long lastAckNanos() {
    return lastAckNanos.get();
  }
}
