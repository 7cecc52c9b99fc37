package io.steadfast.examples.collection;

import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One account's state. Mutable, but the application only ever mutates a {@link #copy()} and swaps
 * it in once the command can no longer fail, which keeps {@code apply} failure-atomic.
 *
 * <p>Invariants: every amount has scale 2 and is not negative; {@link #unpaid} is ordered by
 * installment index and holds no fully paid installment; a non-active account has no past due,
 * fees, principal, promise or assignment.
 */
final class Account {

  /** An installment billed and not yet fully paid: its index in the schedule and what remains. */
  record Installment(int index, BigDecimal remaining) {}

  /** An open promise to pay. */
  record Promise(
      BigDecimal amount, LocalDate promisedDate, LocalDate madeOn, BigDecimal paidSoFar) {}

  final String id;
  final String borrower;
  final BigDecimal installmentAmount;

  /** The due date of schedule index 0; installment n falls due on {@code anchor.plusMonths(n)}. */
  final LocalDate anchor;

  AccountStatus status = AccountStatus.ACTIVE;
  BigDecimal principal;
  BigDecimal fees = Require.ZERO;
  BigDecimal chargedOff = Require.ZERO;

  /** How many installments of the schedule have been billed. */
  int billedCount;

  /** Installments with an index below this have had their late fee (or can no longer get one). */
  int feeHighWater;

  int lateFeesAssessed;
  final List<Installment> unpaid;
  String assignedTo = "";
  int contactAttempts;
  @Nullable LocalDate lastContactDate;
  @Nullable ContactOutcome lastOutcome;
  @Nullable Promise promise;
  int promisesKept;
  int promisesBroken;
  String chargeOffReason = "";

  private Account(
      String id,
      String borrower,
      BigDecimal installmentAmount,
      LocalDate anchor,
      BigDecimal principal,
      List<Installment> unpaid) {
    this.id = id;
    this.borrower = borrower;
    this.installmentAmount = installmentAmount;
    this.anchor = anchor;
    this.principal = principal;
    this.unpaid = new ArrayList<>(unpaid);
  }

  /** A new account from its opening command, past due split into whole installments. */
  static Account open(OpenDelinquentAccount command) {
    BigDecimal pastDue = command.amountPastDue();
    BigDecimal installment = command.installmentAmount();
    int count = pastDue.divide(installment, 0, RoundingMode.CEILING).intValueExact();
    List<Installment> unpaid = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      BigDecimal remaining =
          index == 0
              ? pastDue.subtract(installment.multiply(BigDecimal.valueOf(count - 1L)))
              : installment;
      unpaid.add(new Installment(index, remaining));
    }
    Account account =
        new Account(
            command.accountId(),
            command.borrower(),
            installment,
            command.oldestUnpaidDueDate(),
            command.principalBalance(),
            unpaid);
    account.billedCount = count;
    return account;
  }

  /** A deep copy. */
  Account copy() {
    Account copy = new Account(id, borrower, installmentAmount, anchor, principal, unpaid);
    copy.status = status;
    copy.fees = fees;
    copy.chargedOff = chargedOff;
    copy.billedCount = billedCount;
    copy.feeHighWater = feeHighWater;
    copy.lateFeesAssessed = lateFeesAssessed;
    copy.assignedTo = assignedTo;
    copy.contactAttempts = contactAttempts;
    copy.lastContactDate = lastContactDate;
    copy.lastOutcome = lastOutcome;
    copy.promise = promise;
    copy.promisesKept = promisesKept;
    copy.promisesBroken = promisesBroken;
    copy.chargeOffReason = chargeOffReason;
    return copy;
  }

  /** The due date of schedule index {@code index}. */
  LocalDate dueDate(int index) {
    return anchor.plusMonths(index);
  }

  BigDecimal pastDue() {
    BigDecimal sum = Require.ZERO;
    for (Installment installment : unpaid) {
      sum = sum.add(installment.remaining());
    }
    return sum;
  }

  /** Everything owed now: the charged-off balance once charged off, else the three balances. */
  BigDecimal totalOwed() {
    return status == AccountStatus.CHARGED_OFF ? chargedOff : principal.add(pastDue()).add(fees);
  }

  @Nullable LocalDate oldestUnpaidDueDate() {
    return unpaid.isEmpty() ? null : dueDate(unpaid.get(0).index());
  }

  @Nullable LocalDate nextDueDate() {
    return status == AccountStatus.ACTIVE && principal.signum() > 0 ? dueDate(billedCount) : null;
  }

  int daysPastDue(LocalDate asOf) {
    LocalDate oldest = oldestUnpaidDueDate();
    if (oldest == null) {
      return 0;
    }
    long days = ChronoUnit.DAYS.between(oldest, asOf);
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, days));
  }

  Bucket bucket(LocalDate asOf) {
    return Bucket.of(daysPastDue(asOf));
  }

  int priority(LocalDate asOf) {
    return CollectionRules.priority(
        daysPastDue(asOf), pastDue(), CollectionRules.daysSinceContact(lastContactDate, asOf));
  }

  /** Whether the account waits in {@code bucket}'s queue on {@code asOf}. */
  boolean queuedIn(Bucket bucket, LocalDate asOf) {
    return status == AccountStatus.ACTIVE
        && assignedTo.isEmpty()
        && promise == null
        && !asOf.equals(lastContactDate)
        && bucket(asOf) == bucket;
  }

  QueueEntry queueEntry(LocalDate asOf) {
    return new QueueEntry(
        id,
        priority(asOf),
        daysPastDue(asOf),
        pastDue(),
        CollectionRules.daysSinceContact(lastContactDate, asOf));
  }

  /**
   * Moves the whole balance to charged-off and ends the account's collection; returns the amount.
   */
  BigDecimal chargeOff(String reason) {
    BigDecimal amount = totalOwed();
    chargedOff = amount;
    principal = Require.ZERO;
    fees = Require.ZERO;
    unpaid.clear();
    promise = null;
    assignedTo = "";
    status = AccountStatus.CHARGED_OFF;
    chargeOffReason = reason;
    return amount;
  }

  /**
   * Applies a payment already checked to be positive and no more than {@link #totalOwed()}, by the
   * rule of {@link PaymentAllocation}.
   */
  PaymentAllocation receive(BigDecimal amount) {
    if (status == AccountStatus.CHARGED_OFF) {
      chargedOff = chargedOff.subtract(amount);
      return new PaymentAllocation(Require.ZERO, Require.ZERO, Require.ZERO, amount);
    }
    BigDecimal left = amount;
    BigDecimal toPastDue = Require.ZERO;
    while (left.signum() > 0 && !unpaid.isEmpty()) {
      Installment oldest = unpaid.get(0);
      BigDecimal paid = left.min(oldest.remaining());
      toPastDue = toPastDue.add(paid);
      left = left.subtract(paid);
      if (paid.compareTo(oldest.remaining()) == 0) {
        unpaid.remove(0);
      } else {
        unpaid.set(0, new Installment(oldest.index(), oldest.remaining().subtract(paid)));
      }
    }
    BigDecimal toFees = left.min(fees);
    fees = fees.subtract(toFees);
    left = left.subtract(toFees);
    BigDecimal toPrincipal = left.min(principal);
    principal = principal.subtract(toPrincipal);
    left = left.subtract(toPrincipal);
    if (left.signum() != 0) {
      throw new IllegalStateException("payment exceeds balance of " + id + " by " + left);
    }
    if (totalOwed().signum() == 0) {
      status = AccountStatus.PAID_OFF;
      assignedTo = "";
      promise = null;
    }
    return new PaymentAllocation(toPastDue, toFees, toPrincipal, Require.ZERO);
  }

  AccountView view(LocalDate asOf) {
    Promise open = promise;
    return new AccountView(
        id,
        borrower,
        status,
        bucket(asOf),
        daysPastDue(asOf),
        installmentAmount,
        principal,
        pastDue(),
        fees,
        chargedOff,
        totalOwed(),
        oldestUnpaidDueDate(),
        nextDueDate(),
        lateFeesAssessed,
        assignedTo,
        contactAttempts,
        lastContactDate,
        lastOutcome,
        open == null
            ? null
            : new PromiseView(open.amount(), open.promisedDate(), open.madeOn(), open.paidSoFar()),
        promisesKept,
        promisesBroken,
        chargeOffReason,
        asOf);
  }

  /** Writes every field, in a fixed order. */
  void writeTo(CheckpointWriter out) throws IOException {
    out.writeString(id);
    out.writeString(borrower);
    out.writeDecimal(installmentAmount);
    CheckpointFields.writeDate(out, anchor);
    out.writeString(status.name());
    out.writeDecimal(principal);
    out.writeDecimal(fees);
    out.writeDecimal(chargedOff);
    out.writeInt(billedCount);
    out.writeInt(feeHighWater);
    out.writeInt(lateFeesAssessed);
    out.writeInt(unpaid.size());
    for (Installment installment : unpaid) {
      out.writeInt(installment.index());
      out.writeDecimal(installment.remaining());
    }
    out.writeString(assignedTo);
    out.writeInt(contactAttempts);
    CheckpointFields.writeOptionalDate(out, lastContactDate);
    CheckpointFields.writeOptionalEnum(out, lastOutcome);
    Promise open = promise;
    out.writeBoolean(open != null);
    if (open != null) {
      out.writeDecimal(open.amount());
      CheckpointFields.writeDate(out, open.promisedDate());
      CheckpointFields.writeDate(out, open.madeOn());
      out.writeDecimal(open.paidSoFar());
    }
    out.writeInt(promisesKept);
    out.writeInt(promisesBroken);
    out.writeString(chargeOffReason);
  }

  /** Reads what {@link #writeTo} wrote. */
  static Account readFrom(CheckpointReader in) throws IOException {
    String id = in.readString();
    String borrower = in.readString();
    BigDecimal installmentAmount = CheckpointFields.readCents(in, "installmentAmount");
    LocalDate anchor = CheckpointFields.readDate(in);
    AccountStatus status = CheckpointFields.readEnum(in, AccountStatus.class);
    BigDecimal principal = CheckpointFields.readCents(in, "principal");
    BigDecimal fees = CheckpointFields.readCents(in, "fees");
    BigDecimal chargedOff = CheckpointFields.readCents(in, "chargedOff");
    int billedCount = CheckpointFields.readCount(in, "billedCount");
    int feeHighWater = CheckpointFields.readCount(in, "feeHighWater");
    int lateFeesAssessed = CheckpointFields.readCount(in, "lateFeesAssessed");
    int unpaidCount = CheckpointFields.readCount(in, "unpaid");
    List<Installment> unpaid = new ArrayList<>();
    for (int i = 0; i < unpaidCount; i++) {
      unpaid.add(new Installment(in.readInt(), CheckpointFields.readCents(in, "remaining")));
    }
    Account account = new Account(id, borrower, installmentAmount, anchor, principal, unpaid);
    account.status = status;
    account.fees = fees;
    account.chargedOff = chargedOff;
    account.billedCount = billedCount;
    account.feeHighWater = feeHighWater;
    account.lateFeesAssessed = lateFeesAssessed;
    account.assignedTo = in.readString();
    account.contactAttempts = CheckpointFields.readCount(in, "contactAttempts");
    account.lastContactDate = CheckpointFields.readOptionalDate(in);
    account.lastOutcome = CheckpointFields.readOptionalEnum(in, ContactOutcome.class);
    if (in.readBoolean()) {
      account.promise =
          new Promise(
              CheckpointFields.readCents(in, "promise.amount"),
              CheckpointFields.readDate(in),
              CheckpointFields.readDate(in),
              CheckpointFields.readCents(in, "promise.paidSoFar"));
    }
    account.promisesKept = CheckpointFields.readCount(in, "promisesKept");
    account.promisesBroken = CheckpointFields.readCount(in, "promisesBroken");
    account.chargeOffReason = in.readString();
    return account;
  }
}
