package io.steadfast.examples.collection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The business rules of the collection system, as constants and pure functions.
 *
 * <p>Stateless and thread-safe. The rules:
 *
 * <ul>
 *   <li><b>Business date.</b> The UTC calendar date of the leader-assigned timestamp ({@link
 *       #businessDate(Instant)}); never the local clock or the default time zone. The first command
 *       ever applied sets it; afterwards only {@code RunDailyAging} moves it, and only forward.
 *   <li><b>Schedule.</b> Installments fall due monthly on the day of the month of the account's
 *       first unpaid due date ({@code anchor.plusMonths(n)}). An installment that is still unpaid
 *       the day after its due date is billed into the amount past due when the account is aged;
 *       each bill is the installment amount, or the remaining principal if that is less.
 *   <li><b>Days past due.</b> Business date minus the due date of the oldest installment with
 *       anything unpaid; 0 when nothing is past due. Unpaid fees alone do not make an account
 *       delinquent.
 *   <li><b>Late fee.</b> {@link #lateFee(BigDecimal)}: 5% of the installment amount, rounded
 *       half-even to cents, but never less than {@link #LATE_FEE_MINIMUM}. Assessed once per missed
 *       installment, by the first aging run on or after its due date plus {@link #LATE_FEE_DAYS}
 *       days, and never again for that installment, however often aging runs.
 *   <li><b>Broken promise.</b> A promise to pay is kept as soon as payments posted since it was
 *       made reach its amount; one still open when aging moves the business date past its promised
 *       date is broken, and the account returns to its queue.
 *   <li><b>Charge-off.</b> Aging charges an active account off when it reaches {@link
 *       #CHARGE_OFF_DAYS} days past due, after billing and fees; a manager may charge off any
 *       active account at any time. The whole balance (principal, past due and fees) moves to the
 *       charged-off balance, open promises and assignments end, and the account leaves the queues.
 *   <li><b>Payment allocation.</b> {@link PaymentAllocation}: past due first, oldest installment
 *       first; then fees; then principal. On a charged-off account the whole payment is a recovery
 *       against the charged-off balance. A payment may not exceed what is owed.
 *   <li><b>Queue priority.</b> {@link #priority(int, BigDecimal, int)}; higher first, ties by
 *       account id ascending.
 * </ul>
 */
public final class CollectionRules {

  /** Days past its due date at which an unpaid installment draws a late fee. */
  public static final int LATE_FEE_DAYS = 30;

  /** The late fee's percentage of the installment amount, as a fraction. */
  public static final BigDecimal LATE_FEE_RATE = new BigDecimal("0.05");

  /** The smallest late fee. */
  public static final BigDecimal LATE_FEE_MINIMUM = new BigDecimal("15.00");

  /** Days past due at which aging charges an account off. */
  public static final int CHARGE_OFF_DAYS = 180;

  /** How many days after the business date a promised payment date may lie, at most. */
  public static final int PROMISE_HORIZON_DAYS = 30;

  /**
   * Days since last contact beyond which the priority no longer grows; never contacted counts so.
   */
  public static final int CONTACT_GAP_CAP_DAYS = 30;

  /** The cap on the amount-past-due part of the priority, in whole hundreds. */
  public static final int PAST_DUE_POINTS_CAP = 100;

  private static final BigDecimal HUNDRED = new BigDecimal(100);

  private CollectionRules() {}

  /** The business date of a leader-assigned timestamp: its calendar date in UTC. */
  public static LocalDate businessDate(Instant leaderTimestamp) {
    return LocalDate.ofInstant(leaderTimestamp, ZoneOffset.UTC);
  }

  /**
   * The late fee for one missed installment: the greater of {@link #LATE_FEE_MINIMUM} and {@link
   * #LATE_FEE_RATE} of {@code installmentAmount}, rounded half-even to cents.
   */
  public static BigDecimal lateFee(BigDecimal installmentAmount) {
    BigDecimal percentage =
        installmentAmount.multiply(LATE_FEE_RATE).setScale(2, RoundingMode.HALF_EVEN);
    return percentage.max(LATE_FEE_MINIMUM);
  }

  /**
   * Whole days from the last contact to {@code asOf}, capped at {@link #CONTACT_GAP_CAP_DAYS}; the
   * cap when there was no contact; never negative.
   */
  public static int daysSinceContact(@Nullable LocalDate lastContact, LocalDate asOf) {
    if (lastContact == null) {
      return CONTACT_GAP_CAP_DAYS;
    }
    long days = ChronoUnit.DAYS.between(lastContact, asOf);
    return (int) Math.max(0, Math.min(CONTACT_GAP_CAP_DAYS, days));
  }

  /**
   * An account's place in its bucket queue; higher is worked first. The sum of the days past due,
   * the amount past due in whole hundreds (at most {@link #PAST_DUE_POINTS_CAP}), and twice the
   * days since last contact (at most {@link #CONTACT_GAP_CAP_DAYS}). Equal priorities are ordered
   * by account id, ascending.
   *
   * @param daysPastDue days past due, not negative
   * @param amountPastDue amount past due, not negative
   * @param daysSinceContact as given by {@link #daysSinceContact}
   */
  public static int priority(int daysPastDue, BigDecimal amountPastDue, int daysSinceContact) {
    if (daysPastDue < 0) {
      throw new IllegalArgumentException("daysPastDue must not be negative: " + daysPastDue);
    }
    if (amountPastDue.signum() < 0) {
      throw new IllegalArgumentException("amountPastDue must not be negative: " + amountPastDue);
    }
    BigDecimal hundreds = amountPastDue.divideToIntegralValue(HUNDRED);
    int amountPoints =
        hundreds.compareTo(BigDecimal.valueOf(PAST_DUE_POINTS_CAP)) >= 0
            ? PAST_DUE_POINTS_CAP
            : hundreds.intValue();
    int contactPoints = 2 * Math.max(0, Math.min(CONTACT_GAP_CAP_DAYS, daysSinceContact));
    return daysPastDue + amountPoints + contactPoints;
  }
}
