package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/** Checks and normalizes amounts of money: exact cents, scale 2. Stateless. */
final class Money {

  /** Every amount of money has this scale. */
  static final int SCALE = 2;

  /** How amounts are rounded to cents wherever a computation produces more digits. */
  static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

  private Money() {}

  /**
   * The amount at scale 2, refusing more than two significant decimals and values outside {@code
   * [min, max]}.
   */
  static BigDecimal cents(String field, BigDecimal value, BigDecimal min, BigDecimal max) {
    Objects.requireNonNull(value, field);
    BigDecimal exact;
    try {
      exact = value.setScale(SCALE, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          field + " must be a whole number of cents: " + value.toPlainString(), e);
    }
    if (exact.compareTo(min) < 0 || exact.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          field
              + " must be between "
              + min.toPlainString()
              + " and "
              + max.toPlainString()
              + ": "
              + value.toPlainString());
    }
    return exact;
  }

  /** Rounds to cents, half-even. */
  static BigDecimal round(BigDecimal value) {
    return value.setScale(SCALE, ROUNDING);
  }
}
