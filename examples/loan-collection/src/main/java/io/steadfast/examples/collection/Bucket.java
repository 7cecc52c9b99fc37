package io.steadfast.examples.collection;

/**
 * How far behind an account is, by whole days past due of its oldest unpaid installment.
 *
 * <p>Immutable and thread-safe. The ranges are closed and cover every non-negative day count
 * exactly once: {@code CURRENT} is 0, {@code DPD_1_29} is 1 to 29, {@code DPD_30_59} is 30 to 59,
 * {@code DPD_60_89} is 60 to 89, {@code DPD_90_119} is 90 to 119 and {@code DPD_120_PLUS} is 120
 * and more.
 */
public enum Bucket {
  /** Nothing past due. Never queued for collection. */
  CURRENT(0, 0),
  /** 1 to 29 days past due. */
  DPD_1_29(1, 29),
  /** 30 to 59 days past due. */
  DPD_30_59(30, 59),
  /** 60 to 89 days past due. */
  DPD_60_89(60, 89),
  /** 90 to 119 days past due. */
  DPD_90_119(90, 119),
  /** 120 days past due or more (until the account is charged off). */
  DPD_120_PLUS(120, Integer.MAX_VALUE);

  private final int minDays;
  private final int maxDays;

  Bucket(int minDays, int maxDays) {
    this.minDays = minDays;
    this.maxDays = maxDays;
  }

  /**
   * The bucket for a number of days past due.
   *
   * @throws IllegalArgumentException if {@code daysPastDue} is negative
   */
  public static Bucket of(int daysPastDue) {
    if (daysPastDue < 0) {
      throw new IllegalArgumentException("daysPastDue must not be negative: " + daysPastDue);
    }
    for (Bucket bucket : values()) {
      if (daysPastDue <= bucket.maxDays) {
        return bucket;
      }
    }
    throw new AssertionError("no bucket for " + daysPastDue);
  }

  /** The fewest days past due in this bucket. */
  public int minDays() {
    return minDays;
  }

  /** The most days past due in this bucket; {@link Integer#MAX_VALUE} for the last one. */
  public int maxDays() {
    return maxDays;
  }

  /**
   * Whether accounts in this bucket are worked by collectors (every bucket but {@code CURRENT}).
   */
  public boolean delinquent() {
    return this != CURRENT;
  }
}
