package io.steadfast.examples.collection;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * An open promise to pay.
 *
 * <p>Immutable and thread-safe.
 *
 * @param amount the promised amount
 * @param promisedDate the date by which it was promised
 * @param madeOn the business date the promise was recorded
 * @param paidSoFar payments posted since, less than {@code amount} while the promise is open
 */
public record PromiseView(
    BigDecimal amount, LocalDate promisedDate, LocalDate madeOn, BigDecimal paidSoFar) {

  /** Validates the fields. */
  public PromiseView {
    amount = Require.positiveCents("amount", amount);
    Require.present("promisedDate", promisedDate);
    Require.present("madeOn", madeOn);
    paidSoFar = Require.nonNegativeCents("paidSoFar", paidSoFar);
  }
}
