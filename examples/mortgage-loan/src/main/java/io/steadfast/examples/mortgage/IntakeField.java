package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One field of the intake screen, as typed by an officer before the application is submitted.
 *
 * <p>Each field checks typed text by the same rule as the matching {@link LoanRequest} component
 * and puts it in canonical form ({@code 5000} becomes {@code 5000.00}). Immutable and thread-safe.
 */
public enum IntakeField {
  /** {@link LoanRequest#borrowerName()}. */
  BORROWER_NAME("borrowerName"),
  /** {@link LoanRequest#monthlyIncome()}. */
  MONTHLY_INCOME("monthlyIncome"),
  /** {@link LoanRequest#monthlyDebts()}. */
  MONTHLY_DEBTS("monthlyDebts"),
  /** {@link LoanRequest#propertyValue()}. */
  PROPERTY_VALUE("propertyValue"),
  /** {@link LoanRequest#loanAmount()}. */
  LOAN_AMOUNT("loanAmount"),
  /** {@link LoanRequest#termMonths()}. */
  TERM_MONTHS("termMonths"),
  /** {@link LoanRequest#annualRatePercent()}. */
  ANNUAL_RATE_PERCENT("annualRatePercent");

  /** A valid request whose amounts are replaced one at a time to check a typed amount. */
  private static final LoanRequest SAMPLE =
      new LoanRequest(
          "sample",
          new BigDecimal("1"),
          BigDecimal.ZERO,
          new BigDecimal("1"),
          new BigDecimal("1000"),
          12,
          BigDecimal.ZERO);

  private final String key;

  IntakeField(String key) {
    this.key = key;
  }

  /** The field's name as in {@link LoanRequest}, such as {@code monthlyIncome}. */
  public String key() {
    return key;
  }

  /**
   * The canonical form of {@code text} typed into this field.
   *
   * @throws IllegalArgumentException naming the field and the text if the field would refuse it
   */
  public String canonical(String text) {
    Objects.requireNonNull(text, key);
    try {
      return switch (this) {
        case BORROWER_NAME -> LoanRequest.checkName(text);
        case TERM_MONTHS -> Integer.toString(LoanRequest.checkTerm(Integer.parseInt(text.strip())));
        case ANNUAL_RATE_PERCENT ->
            LoanRequest.checkRate(new BigDecimal(text.strip())).toPlainString();
        case MONTHLY_INCOME, MONTHLY_DEBTS, PROPERTY_VALUE, LOAN_AMOUNT ->
            textOf(withAmount(SAMPLE, this, new BigDecimal(text.strip())));
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number: '" + text + "'", e);
    }
  }

  /** This field's value in {@code request}, in canonical text form. */
  public String textOf(LoanRequest request) {
    return switch (this) {
      case BORROWER_NAME -> request.borrowerName();
      case MONTHLY_INCOME -> request.monthlyIncome().toPlainString();
      case MONTHLY_DEBTS -> request.monthlyDebts().toPlainString();
      case PROPERTY_VALUE -> request.propertyValue().toPlainString();
      case LOAN_AMOUNT -> request.loanAmount().toPlainString();
      case TERM_MONTHS -> Integer.toString(request.termMonths());
      case ANNUAL_RATE_PERCENT -> request.annualRatePercent().toPlainString();
    };
  }

  /** The field whose {@link #key()} is {@code key}. */
  public static IntakeField ofKey(String key) {
    for (IntakeField field : values()) {
      if (field.key.equals(key)) {
        return field;
      }
    }
    throw new IllegalArgumentException("no intake field with key '" + key + "'");
  }

  private static LoanRequest withAmount(LoanRequest base, IntakeField field, BigDecimal amount) {
    return new LoanRequest(
        base.borrowerName(),
        field == MONTHLY_INCOME ? amount : base.monthlyIncome(),
        field == MONTHLY_DEBTS ? amount : base.monthlyDebts(),
        field == PROPERTY_VALUE ? amount : base.propertyValue(),
        field == LOAN_AMOUNT ? amount : base.loanAmount(),
        base.termMonths(),
        base.annualRatePercent());
  }
}
