package io.steadfast.examples.collection;

import java.math.BigDecimal;

/**
 * Where one payment went.
 *
 * <p>The allocation rule: on an active account the payment first settles the amount past due,
 * oldest installment first, then unpaid late fees, then principal not yet billed; it may not exceed
 * the sum of the three. On a charged-off account the whole payment is a recovery against the
 * charged-off balance and may not exceed it. Paid-off accounts take no payments.
 *
 * <p>Immutable and thread-safe. Every part is whole cents, zero or more, with scale 2.
 *
 * @param toPastDue paid against installments past due
 * @param toFees paid against late fees
 * @param toPrincipal paid against principal not yet billed
 * @param toChargedOff recovered against the charged-off balance
 */
public record PaymentAllocation(
    BigDecimal toPastDue, BigDecimal toFees, BigDecimal toPrincipal, BigDecimal toChargedOff) {

  /** Validates the parts. */
  public PaymentAllocation {
    toPastDue = Require.nonNegativeCents("toPastDue", toPastDue);
    toFees = Require.nonNegativeCents("toFees", toFees);
    toPrincipal = Require.nonNegativeCents("toPrincipal", toPrincipal);
    toChargedOff = Require.nonNegativeCents("toChargedOff", toChargedOff);
  }

  /** The whole payment: the sum of the parts. */
  public BigDecimal total() {
    return toPastDue.add(toFees).add(toPrincipal).add(toChargedOff);
  }
}
