package io.steadfast.examples.collection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the command and result records; messages name field and value. */
final class Require {

  /** Zero with the scale every amount in this application has. */
  static final BigDecimal ZERO = new BigDecimal("0.00");

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final int MAX_TEXT = 200;

  private Require() {}

  /** An identifier: 1 to 64 letters, digits, '.', '_', ':' or '-'. */
  static String id(String field, @Nullable String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be 1 to 64 letters, digits, '.', '_', ':' or '-': " + quoted(value));
    }
    return value;
  }

  /** Free text: not blank, at most 200 characters. */
  static String text(String field, @Nullable String value) {
    if (value == null || value.isBlank() || value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          field
              + " must be non-blank text of at most "
              + MAX_TEXT
              + " characters: "
              + quoted(value));
    }
    return value;
  }

  /** Any non-null value. */
  static <T> T present(String field, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    return value;
  }

  /** An amount in whole cents, returned with scale 2; refused if it has fractions of a cent. */
  static BigDecimal cents(String field, @Nullable BigDecimal value) {
    BigDecimal amount = present(field, value);
    if (amount.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException(
          field + " must be a whole number of cents: " + amount.toPlainString());
    }
    return amount.setScale(2, RoundingMode.UNNECESSARY);
  }

  /** An amount in whole cents, greater than zero. */
  static BigDecimal positiveCents(String field, @Nullable BigDecimal value) {
    BigDecimal amount = cents(field, value);
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException(field + " must be positive: " + amount.toPlainString());
    }
    return amount;
  }

  /** An amount in whole cents, zero or more. */
  static BigDecimal nonNegativeCents(String field, @Nullable BigDecimal value) {
    BigDecimal amount = cents(field, value);
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(
          field + " must not be negative: " + amount.toPlainString());
    }
    return amount;
  }

  /** An int in {@code [min, max]}. */
  static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  /** An int of at least zero. */
  static int nonNegative(String field, int value) {
    return range(field, value, 0, Integer.MAX_VALUE);
  }

  private static String quoted(@Nullable String value) {
    return value == null ? "null" : "'" + value + "'";
  }
}
