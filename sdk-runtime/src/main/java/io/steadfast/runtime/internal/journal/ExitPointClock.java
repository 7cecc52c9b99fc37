package io.steadfast.runtime.internal.journal;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

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
  private final @Nullable Timer timer;

  /** For the exit point {@code name} with the given budget, recorded nowhere else. */
  public ExitPointClock(String name, Duration budget) {
    this(name, budget, null);
  }

  /** As above, also recording every call in {@code timer} (a histogram), when given. */
  public ExitPointClock(String name, Duration budget, @Nullable Timer timer) {
    this.name = name;
    this.budgetNanos = budget.toNanos();
    this.timer = timer;
  }

  /** Records one call that took {@code nanos}; returns whether it overran the budget. */
  public boolean record(long nanos) {
    calls.incrementAndGet();
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
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
