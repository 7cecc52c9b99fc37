package io.steadfast.examples.mortgage;

/**
 * Something the borrower must satisfy before closing, attached to an approval. {@link
 * #MORTGAGE_INSURANCE} is added by the {@linkplain Underwriting rules}; the others by the
 * underwriter. Immutable and thread-safe.
 */
public enum Condition {
  /** Private mortgage insurance, required when the loan-to-value ratio is above 80%. */
  MORTGAGE_INSURANCE,
  /** Recent pay slips or tax returns. */
  PROOF_OF_INCOME,
  /** A homeowner's insurance policy on the property. */
  HOMEOWNERS_INSURANCE,
  /** Existing debts paid off before closing. */
  PAYOFF_OF_DEBTS,
  /** A clear title search. */
  CLEAR_TITLE
}
