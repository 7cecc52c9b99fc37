package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What a borrower asks for and declares at intake.
 *
 * <p>Amounts are normalized to whole cents (scale 2) and the rate to scale 3, so equal requests
 * always compare, encode and checkpoint the same; an amount with fractions of a cent is refused
 * rather than rounded. Immutable and thread-safe.
 *
 * @param borrowerName the borrower's name, 1 to 100 characters, not blank
 * @param monthlyIncome gross monthly income, more than 0 and at most 10,000,000.00
 * @param monthlyDebts monthly payments on existing debts (cards, cars, student loans), 0 or more
 * @param propertyValue the purchase price or declared value of the property, more than 0
 * @param loanAmount the principal asked for, 1,000.00 to 10,000,000.00
 * @param termMonths the term in months, 12 to 480
 * @param annualRatePercent the nominal annual interest rate in percent, such as {@code 6.125}: 0 to
 *     25 with at most three decimals; interest compounds monthly at a twelfth of it
 */
public record LoanRequest(
    String borrowerName,
    BigDecimal monthlyIncome,
    BigDecimal monthlyDebts,
    BigDecimal propertyValue,
    BigDecimal loanAmount,
    int termMonths,
    BigDecimal annualRatePercent) {

  /** The shortest term accepted, in months. */
  public static final int MIN_TERM_MONTHS = 12;

  /** The longest term accepted, in months. */
  public static final int MAX_TERM_MONTHS = 480;

  private static final BigDecimal ZERO = new BigDecimal("0.00");
  private static final BigDecimal CENT = new BigDecimal("0.01");
  private static final BigDecimal MIN_LOAN = new BigDecimal("1000.00");
  private static final BigDecimal TEN_MILLION = new BigDecimal("10000000.00");
  private static final BigDecimal HUNDRED_MILLION = new BigDecimal("100000000.00");
  private static final BigDecimal MAX_RATE = new BigDecimal("25.000");

  /** Validates every field and normalizes the scales. */
  public LoanRequest {
    borrowerName = checkName(borrowerName);
    monthlyIncome = Money.cents("monthlyIncome", monthlyIncome, CENT, TEN_MILLION);
    monthlyDebts = Money.cents("monthlyDebts", monthlyDebts, ZERO, TEN_MILLION);
    propertyValue = Money.cents("propertyValue", propertyValue, CENT, HUNDRED_MILLION);
    loanAmount = Money.cents("loanAmount", loanAmount, MIN_LOAN, TEN_MILLION);
    termMonths = checkTerm(termMonths);
    annualRatePercent = checkRate(annualRatePercent);
  }

  static String checkName(String name) {
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new IllegalArgumentException(
          "borrowerName must be 1 to 100 characters and not blank: '" + name + "'");
    }
    return name;
  }

  static int checkTerm(int months) {
    if (months < MIN_TERM_MONTHS || months > MAX_TERM_MONTHS) {
      throw new IllegalArgumentException(
          "termMonths must be between "
              + MIN_TERM_MONTHS
              + " and "
              + MAX_TERM_MONTHS
              + ": "
              + months);
    }
    return months;
  }

  static BigDecimal checkRate(BigDecimal rate) {
    Objects.requireNonNull(rate, "annualRatePercent");
    BigDecimal exact;
    try {
      exact = rate.setScale(3, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "annualRatePercent must have at most 3 decimals: " + rate.toPlainString(), e);
    }
    if (exact.signum() < 0 || exact.compareTo(MAX_RATE) > 0) {
      throw new IllegalArgumentException(
          "annualRatePercent must be between 0 and 25: " + rate.toPlainString());
    }
    return exact;
  }
}
