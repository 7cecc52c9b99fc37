package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The monthly payment and the amortization schedule of a fixed-rate, fully amortizing loan.
 *
 * <p>With principal {@code P}, monthly rate {@code r = annualRatePercent / 1200} and {@code n}
 * months, the payment is {@code P·r·(1+r)^n / ((1+r)^n − 1)}, or {@code P / n} when the rate is
 * zero. Intermediate values carry 34 significant digits ({@link MathContext#DECIMAL128}); the
 * payment, each month's interest and each month's principal are rounded half-even to cents. Because
 * the rounded payment is slightly more or less than the exact one, the schedule adjusts the final
 * payment so that the balance ends at exactly zero and the principal parts add up to exactly {@code
 * P}. All arithmetic is {@link BigDecimal}, so every JVM computes the same cents.
 *
 * <p>Stateless and thread-safe.
 */
public final class Amortization {

  private static final MathContext PRECISION = MathContext.DECIMAL128;
  private static final BigDecimal TWELVE_HUNDRED = new BigDecimal(1200);

  private Amortization() {}

  /**
   * One month of a schedule.
   *
   * @param month 1 for the first payment
   * @param payment what the borrower pays this month: {@code interest + principal}
   * @param interest the interest part: the previous balance times the monthly rate, in cents
   * @param principal the part that reduces the balance
   * @param balance what is still owed after this payment; zero after the last
   */
  public record Installment(
      int month,
      BigDecimal payment,
      BigDecimal interest,
      BigDecimal principal,
      BigDecimal balance) {

    /** Checks that the parts add up. */
    public Installment {
      Objects.requireNonNull(payment, "payment");
      Objects.requireNonNull(interest, "interest");
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(balance, "balance");
      if (month < 1) {
        throw new IllegalArgumentException("installment month must be at least 1: " + month);
      }
      if (payment.compareTo(interest.add(principal)) != 0) {
        throw new IllegalArgumentException(
            "installment "
                + month
                + " payment "
                + payment
                + " is not interest "
                + interest
                + " plus principal "
                + principal);
      }
    }
  }

  /**
   * The level monthly payment, rounded half-even to cents.
   *
   * @param principal the amount borrowed, more than zero
   * @param annualRatePercent the nominal annual rate in percent, zero or more
   * @param termMonths the number of monthly payments, at least 1
   */
  public static BigDecimal monthlyPayment(
      BigDecimal principal, BigDecimal annualRatePercent, int termMonths) {
    check(principal, annualRatePercent, termMonths);
    if (annualRatePercent.signum() == 0) {
      return Money.round(principal.divide(BigDecimal.valueOf(termMonths), PRECISION));
    }
    BigDecimal rate = monthlyRate(annualRatePercent);
    BigDecimal growth = BigDecimal.ONE.add(rate).pow(termMonths, PRECISION);
    BigDecimal exact =
        principal
            .multiply(rate)
            .multiply(growth)
            .divide(growth.subtract(BigDecimal.ONE), PRECISION);
    return Money.round(exact);
  }

  /**
   * The full schedule: one installment per month, {@code termMonths} of them (fewer only if
   * rounding would pay the loan off early, in which case the last one pays the rest).
   *
   * @param principal the amount borrowed, more than zero, in cents
   * @param annualRatePercent the nominal annual rate in percent, zero or more
   * @param termMonths the number of monthly payments, at least 1
   * @return an unmodifiable list whose principals add up to {@code principal}
   */
  public static List<Installment> schedule(
      BigDecimal principal, BigDecimal annualRatePercent, int termMonths) {
    BigDecimal payment = monthlyPayment(principal, annualRatePercent, termMonths);
    BigDecimal rate = monthlyRate(annualRatePercent);
    BigDecimal balance = Money.round(principal);
    List<Installment> schedule = new ArrayList<>(termMonths);
    for (int month = 1; month <= termMonths && balance.signum() > 0; month++) {
      BigDecimal interest = Money.round(balance.multiply(rate));
      BigDecimal towardsPrincipal = payment.subtract(interest);
      boolean last = month == termMonths || towardsPrincipal.compareTo(balance) >= 0;
      if (last) {
        towardsPrincipal = balance;
      }
      balance = balance.subtract(towardsPrincipal);
      schedule.add(
          new Installment(
              month, interest.add(towardsPrincipal), interest, towardsPrincipal, balance));
    }
    return Collections.unmodifiableList(schedule);
  }

  /** The monthly rate: a twelfth of the annual percentage, as a fraction. */
  static BigDecimal monthlyRate(BigDecimal annualRatePercent) {
    return annualRatePercent.divide(TWELVE_HUNDRED, PRECISION);
  }

  private static void check(BigDecimal principal, BigDecimal annualRatePercent, int termMonths) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(annualRatePercent, "annualRatePercent");
    if (principal.signum() <= 0) {
      throw new IllegalArgumentException(
          "principal must be positive: " + principal.toPlainString());
    }
    if (annualRatePercent.signum() < 0) {
      throw new IllegalArgumentException(
          "annualRatePercent must not be negative: " + annualRatePercent.toPlainString());
    }
    if (termMonths < 1) {
      throw new IllegalArgumentException("termMonths must be at least 1: " + termMonths);
    }
  }
}
