package io.steadfast.examples.mortgage;

/**
 * Why a loan was declined: one constant per {@linkplain Underwriting underwriting rule}, plus the
 * underwriter's own judgement. Immutable and thread-safe.
 */
public enum DeclineReason {
  /** The credit score is below {@link Underwriting#MIN_CREDIT_SCORE}. */
  CREDIT_SCORE_TOO_LOW,
  /** The back-end debt-to-income ratio is above {@link Underwriting#MAX_DEBT_TO_INCOME}. */
  DEBT_TO_INCOME_TOO_HIGH,
  /** The loan-to-value ratio is above {@link Underwriting#MAX_LOAN_TO_VALUE}. */
  LOAN_TO_VALUE_TOO_HIGH,
  /** An underwriter declined although the rules would allow approval, or before underwriting. */
  UNDERWRITER_DECLINED
}
