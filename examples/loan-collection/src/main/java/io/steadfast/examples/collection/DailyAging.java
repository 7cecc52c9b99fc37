package io.steadfast.examples.collection;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Ages one active account to a business date, by the rules of {@link CollectionRules}: bills the
 * installments that fell due, breaks an overdue promise, assesses late fees, charges off.
 */
final class DailyAging {

  /** The charge-off reason aging records. */
  static final String AUTOMATIC_CHARGE_OFF =
      "automatic: " + CollectionRules.CHARGE_OFF_DAYS + " days past due";

  /** What aging did to one account. */
  record Effect(int lateFees, boolean promiseBroken, boolean chargedOff) {}

  private DailyAging() {}

  /** Ages {@code account} (a copy the caller owns, active) to {@code date}. */
  static Effect age(Account account, LocalDate date) {
    bill(account, date);
    boolean broken = breakOverduePromise(account, date);
    int fees = assessLateFees(account, date);
    boolean chargedOff = false;
    if (account.daysPastDue(date) >= CollectionRules.CHARGE_OFF_DAYS) {
      account.chargeOff(AUTOMATIC_CHARGE_OFF);
      chargedOff = true;
    }
    return new Effect(fees, broken, chargedOff);
  }

  /** Bills every installment due before {@code date}, while principal remains. */
  private static void bill(Account account, LocalDate date) {
    while (account.principal.signum() > 0 && account.dueDate(account.billedCount).isBefore(date)) {
      BigDecimal amount = account.installmentAmount.min(account.principal);
      account.principal = account.principal.subtract(amount);
      account.unpaid.add(new Account.Installment(account.billedCount, amount));
      account.billedCount++;
    }
  }

  private static boolean breakOverduePromise(Account account, LocalDate date) {
    Account.Promise promise = account.promise;
    if (promise == null || !date.isAfter(promise.promisedDate())) {
      return false;
    }
    account.promise = null;
    account.promisesBroken++;
    return true;
  }

  /** One fee per unpaid installment at least {@code LATE_FEE_DAYS} past due, never twice. */
  private static int assessLateFees(Account account, LocalDate date) {
    BigDecimal fee = CollectionRules.lateFee(account.installmentAmount);
    int assessed = 0;
    for (Account.Installment installment : account.unpaid) {
      int index = installment.index();
      if (index < account.feeHighWater) {
        continue;
      }
      LocalDate feeDate = account.dueDate(index).plusDays(CollectionRules.LATE_FEE_DAYS);
      if (feeDate.isAfter(date)) {
        break;
      }
      account.fees = account.fees.add(fee);
      account.lateFeesAssessed++;
      account.feeHighWater = index + 1;
      assessed++;
    }
    return assessed;
  }
}
