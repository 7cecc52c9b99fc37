package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The underwriting rules: three checks an approval must pass, each with a named {@link
 * DeclineReason}.
 *
 * <ol>
 *   <li><b>Credit.</b> The credit score must be at least {@value #MIN_CREDIT_SCORE}; otherwise
 *       {@link DeclineReason#CREDIT_SCORE_TOO_LOW}.
 *   <li><b>Back-end debt-to-income (DTI).</b> {@code (monthlyDebts + monthlyPayment) /
 *       monthlyIncome} must be at most 43%, where the payment is the new loan's {@linkplain
 *       Amortization#monthlyPayment amortized payment}; otherwise {@link
 *       DeclineReason#DEBT_TO_INCOME_TOO_HIGH}.
 *   <li><b>Loan-to-value (LTV).</b> {@code loanAmount / value}, where the value is the lower of the
 *       declared property value and the appraised value, must be at most 80%; above 80% and up to
 *       95% the loan may still be approved with the {@link Condition#MORTGAGE_INSURANCE} condition;
 *       above 95% it is declined with {@link DeclineReason#LOAN_TO_VALUE_TOO_HIGH}.
 * </ol>
 *
 * <p>Every comparison is exact: "at most 43%" means {@code 100 × (debts + payment) ≤ 43 × income}
 * with no rounding, so a ratio of exactly 43% passes and one a cent above fails. The ratios
 * reported for display are rounded half-even to four decimals. Reasons are listed in the order
 * above.
 *
 * <p>Stateless and thread-safe.
 */
public final class Underwriting {

  /** The lowest acceptable credit score. */
  public static final int MIN_CREDIT_SCORE = 620;

  /** The highest acceptable back-end debt-to-income ratio: 43%. */
  public static final BigDecimal MAX_DEBT_TO_INCOME = new BigDecimal("0.43");

  /** The highest loan-to-value ratio approved without mortgage insurance: 80%. */
  public static final BigDecimal MAX_LOAN_TO_VALUE_WITHOUT_INSURANCE = new BigDecimal("0.80");

  /** The highest loan-to-value ratio approved at all (with mortgage insurance): 95%. */
  public static final BigDecimal MAX_LOAN_TO_VALUE = new BigDecimal("0.95");

  private static final int RATIO_SCALE = 4;

  private Underwriting() {}

  /**
   * What the rules say about one application.
   *
   * @param monthlyPayment the new loan's monthly payment, in cents
   * @param debtToIncome the back-end DTI, rounded half-even to four decimals (for display)
   * @param loanToValue the LTV, rounded half-even to four decimals (for display)
   * @param reasons the rules that fail, in rule order; empty if the loan may be approved
   * @param conditions the conditions the rules attach to an approval
   */
  public record Assessment(
      BigDecimal monthlyPayment,
      BigDecimal debtToIncome,
      BigDecimal loanToValue,
      List<DeclineReason> reasons,
      List<Condition> conditions) {

    /** Copies the lists. */
    public Assessment {
      Objects.requireNonNull(monthlyPayment, "monthlyPayment");
      Objects.requireNonNull(debtToIncome, "debtToIncome");
      Objects.requireNonNull(loanToValue, "loanToValue");
      reasons = List.copyOf(reasons);
      conditions = List.copyOf(conditions);
    }

    /** Whether every rule passes. */
    public boolean approvable() {
      return reasons.isEmpty();
    }
  }

  /**
   * Applies the rules.
   *
   * @param request the application
   * @param creditScore the recorded credit score
   * @param appraisedValue the appraised value, or null if there is no appraisal yet (the declared
   *     property value is then used alone)
   */
  public static Assessment assess(
      LoanRequest request, int creditScore, @Nullable BigDecimal appraisedValue) {
    BigDecimal payment =
        Amortization.monthlyPayment(
            request.loanAmount(), request.annualRatePercent(), request.termMonths());
    BigDecimal obligations = request.monthlyDebts().add(payment);
    BigDecimal value = valueOf(request, appraisedValue);
    BigDecimal amount = request.loanAmount();

    List<DeclineReason> reasons = new ArrayList<>();
    List<Condition> conditions = new ArrayList<>();
    if (creditScore < MIN_CREDIT_SCORE) {
      reasons.add(DeclineReason.CREDIT_SCORE_TOO_LOW);
    }
    if (obligations.compareTo(request.monthlyIncome().multiply(MAX_DEBT_TO_INCOME)) > 0) {
      reasons.add(DeclineReason.DEBT_TO_INCOME_TOO_HIGH);
    }
    if (amount.compareTo(value.multiply(MAX_LOAN_TO_VALUE)) > 0) {
      reasons.add(DeclineReason.LOAN_TO_VALUE_TOO_HIGH);
    } else if (amount.compareTo(value.multiply(MAX_LOAN_TO_VALUE_WITHOUT_INSURANCE)) > 0) {
      conditions.add(Condition.MORTGAGE_INSURANCE);
    }
    return new Assessment(
        payment,
        ratio(obligations, request.monthlyIncome()),
        ratio(amount, value),
        reasons,
        conditions);
  }

  /** The back-end debt-to-income ratio of a request, rounded half-even to four decimals. */
  public static BigDecimal debtToIncome(LoanRequest request) {
    BigDecimal payment =
        Amortization.monthlyPayment(
            request.loanAmount(), request.annualRatePercent(), request.termMonths());
    return ratio(request.monthlyDebts().add(payment), request.monthlyIncome());
  }

  /**
   * The loan-to-value ratio of a request, rounded half-even to four decimals.
   *
   * @param appraisedValue the appraised value, or null to use the declared property value alone
   */
  public static BigDecimal loanToValue(LoanRequest request, @Nullable BigDecimal appraisedValue) {
    return ratio(request.loanAmount(), valueOf(request, appraisedValue));
  }

  private static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
    return numerator.divide(denominator, RATIO_SCALE, RoundingMode.HALF_EVEN);
  }

  /** The value the LTV is measured against: the lower of declared and appraised value. */
  static BigDecimal valueOf(LoanRequest request, @Nullable BigDecimal appraisedValue) {
    return appraisedValue == null
        ? request.propertyValue()
        : request.propertyValue().min(appraisedValue);
  }
}
