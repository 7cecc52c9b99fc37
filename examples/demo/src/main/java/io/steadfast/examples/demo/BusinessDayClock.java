package io.steadfast.examples.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collection demo's leader clock: the system's UTC clock, moved forward a whole day at each
 * close of business, so that a run of a minute covers a week or two of collections.
 *
 * <p>Only the primary's batch stamps read it, and the runtime never lets leader time go backwards,
 * so jumping forward is safe; sessions must outlive the jumps ({@link
 * CollectionDemo#sessionTtl()}). Thread-safe.
 */
final class BusinessDayClock extends Clock {

  private final Clock base;
  private final AtomicLong daysAhead = new AtomicLong();

  BusinessDayClock(Clock base) {
    this.base = base;
  }

  /** Moves the clock one day forward. */
  void nextDay() {
    daysAhead.incrementAndGet();
  }

  /** How many days the clock has been moved forward. */
  long daysAhead() {
    return daysAhead.get();
  }

  @Override
  public Instant instant() {
    return base.instant().plus(Duration.ofDays(daysAhead.get()));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the business-day clock is always UTC, not " + zone);
  }
}
