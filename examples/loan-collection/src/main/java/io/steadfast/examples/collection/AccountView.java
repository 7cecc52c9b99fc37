package io.steadfast.examples.collection;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One account as of a business date, as results and queries show it.
 *
 * <p>Immutable and thread-safe. Amounts are whole cents with scale 2.
 *
 * @param accountId the account
 * @param borrower the borrower's name
 * @param status active, paid off or charged off
 * @param bucket the bucket of {@code daysPastDue}
 * @param daysPastDue days past due of the oldest unpaid installment on {@code asOf}
 * @param installmentAmount the monthly installment
 * @param principalBalance principal not yet billed
 * @param amountPastDue billed, unpaid installments
 * @param feesDue unpaid late fees
 * @param chargedOffBalance what remains of a charge-off; zero unless charged off
 * @param totalOwed everything owed now
 * @param oldestUnpaidDueDate due date of the oldest unpaid installment; null when none
 * @param nextDueDate due date of the next installment to bill; null when no principal remains
 * @param lateFeesAssessed late fees assessed over the account's life
 * @param assignedTo the collector holding the account; empty when none
 * @param contactAttempts contact attempts logged over the account's life
 * @param lastContactDate the business date of the last attempt; null when none
 * @param lastOutcome the outcome of the last attempt; null when none
 * @param promise the open promise to pay; null when none
 * @param promisesKept promises kept over the account's life
 * @param promisesBroken promises broken over the account's life
 * @param chargeOffReason why the account was charged off; empty unless it was
 * @param asOf the business date this view reflects
 */
public record AccountView(
    String accountId,
    String borrower,
    AccountStatus status,
    Bucket bucket,
    int daysPastDue,
    BigDecimal installmentAmount,
    BigDecimal principalBalance,
    BigDecimal amountPastDue,
    BigDecimal feesDue,
    BigDecimal chargedOffBalance,
    BigDecimal totalOwed,
    @Nullable LocalDate oldestUnpaidDueDate,
    @Nullable LocalDate nextDueDate,
    int lateFeesAssessed,
    String assignedTo,
    int contactAttempts,
    @Nullable LocalDate lastContactDate,
    @Nullable ContactOutcome lastOutcome,
    @Nullable PromiseView promise,
    int promisesKept,
    int promisesBroken,
    String chargeOffReason,
    LocalDate asOf) {

  /** Validates the fields that must be present and the amounts. */
  public AccountView {
    Require.id("accountId", accountId);
    Require.text("borrower", borrower);
    Require.present("status", status);
    Require.present("bucket", bucket);
    Require.nonNegative("daysPastDue", daysPastDue);
    installmentAmount = Require.positiveCents("installmentAmount", installmentAmount);
    principalBalance = Require.nonNegativeCents("principalBalance", principalBalance);
    amountPastDue = Require.nonNegativeCents("amountPastDue", amountPastDue);
    feesDue = Require.nonNegativeCents("feesDue", feesDue);
    chargedOffBalance = Require.nonNegativeCents("chargedOffBalance", chargedOffBalance);
    totalOwed = Require.nonNegativeCents("totalOwed", totalOwed);
    Require.present("assignedTo", assignedTo);
    Require.present("chargeOffReason", chargeOffReason);
    Require.present("asOf", asOf);
  }
}
