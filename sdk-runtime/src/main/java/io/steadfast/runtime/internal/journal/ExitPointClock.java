package io.steadfast.runtime.internal.journal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures calls of one exit point against its budget: count, overruns and the longest call.
 * Measurement only; nothing measured here feeds the apply path.
 *
 * <p>Thread-safe.
 */
public final class ExitPointClock {

  private final String name;
  private final long budgetNanos;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();
  private final AtomicLong maxNanos = new AtomicLong();

  /** For the exit point {@code name} with the given budget. */
  public ExitPointClock(String name, Duration budget) {
    this.name = name;
    this.budgetNanos = budget.toNanos();
  }

  /** Records one call that took {@code nanos}; returns whether it overran the budget. */
  public boolean record(long nanos) {
    calls.incrementAndGet();
    maxNanos.accumulateAndGet(nanos, Math::max);
    if (nanos > budgetNanos) {
      overruns.incrementAndGet();
      return true;
    }
    return false;
  }

  /** The exit point's name. */
  public String name() {
    return name;
  }

  /** The budget. */
  public Duration budget() {
    return Duration.ofNanos(budgetNanos);
  }

  /** Calls measured. */
  public long calls() {
    return calls.get();
  }

  /** Calls that took longer than the budget. */
  public long overruns() {
    return overruns.get();
  }

  /** The longest call measured. */
  public Duration longest() {
    return Duration.ofNanos(maxNanos.get());
  }
}
