package io.steadfast.examples.collection;

import static io.steadfast.examples.collection.CollectionRoles.COLLECTOR;
import static io.steadfast.examples.collection.CollectionRoles.MANAGER;
import static io.steadfast.examples.collection.CollectionRoles.SUPERVISOR;

import java.math.BigDecimal;
import java.time.LocalDate;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;

/**
 * A request to the collection system: a {@link Mutation} that is journaled and applied, or a
 * read-only {@link Query}.
 *
 * <p>Every command is an immutable record, thread-safe, validated when constructed (an {@link
 * IllegalArgumentException} names the field and the value). Amounts are whole cents and are held
 * with scale 2. Each concrete type carries {@code @RolesAllowed} (or {@code @PermitAll} for
 * queries), which the runtime checks against the session's principal before journaling anything;
 * the roles are those of {@link CollectionRoles}. The collector a command acts for is always the
 * session's principal, never a field of the command.
 */
public sealed interface CollectionCommand
    permits CollectionCommand.Mutation, CollectionCommand.Query {

  /** A command that changes the state; journaled, applied on every replica. */
  sealed interface Mutation extends CollectionCommand
      permits OpenDelinquentAccount,
          RunDailyAging,
          NextInQueue,
          LogContact,
          RecordPromise,
          PostPayment,
          ChargeOff {}

  /** A read-only command, answered by {@code query} without journaling. */
  sealed interface Query extends CollectionCommand permits GetAccount, QueueSnapshot {}

  /**
   * Loads a delinquent (or current) account into the system.
   *
   * <p>{@code amountPastDue} is treated as whole installments falling due monthly from {@code
   * oldestUnpaidDueDate}, the oldest one carrying any remainder; when it is zero, {@code
   * oldestUnpaidDueDate} is the due date of the next installment. Opening does not age the account:
   * the next {@link RunDailyAging} does.
   *
   * @param accountId the account's identifier, unique in the system
   * @param borrower the borrower's name
   * @param principalBalance principal not yet billed, zero or more
   * @param amountPastDue billed and unpaid installments, zero or more
   * @param oldestUnpaidDueDate due date of the oldest unpaid installment (or the next one)
   * @param installmentAmount the monthly installment, positive
   */
  @RolesAllowed({SUPERVISOR, MANAGER})
  record OpenDelinquentAccount(
      String accountId,
      String borrower,
      BigDecimal principalBalance,
      BigDecimal amountPastDue,
      LocalDate oldestUnpaidDueDate,
      BigDecimal installmentAmount)
      implements Mutation {

    /** At most this many installments may be past due when an account is opened. */
    public static final int MAX_INSTALLMENTS_PAST_DUE = 120;

    /** Validates the fields. */
    public OpenDelinquentAccount {
      Require.id("accountId", accountId);
      Require.text("borrower", borrower);
      principalBalance = Require.nonNegativeCents("principalBalance", principalBalance);
      amountPastDue = Require.nonNegativeCents("amountPastDue", amountPastDue);
      Require.present("oldestUnpaidDueDate", oldestUnpaidDueDate);
      installmentAmount = Require.positiveCents("installmentAmount", installmentAmount);
      if (amountPastDue.compareTo(
              installmentAmount.multiply(BigDecimal.valueOf(MAX_INSTALLMENTS_PAST_DUE)))
          > 0) {
        throw new IllegalArgumentException(
            "amountPastDue must be at most "
                + MAX_INSTALLMENTS_PAST_DUE
                + " installments of "
                + installmentAmount.toPlainString()
                + ": "
                + amountPastDue.toPlainString());
      }
      if (principalBalance.signum() == 0 && amountPastDue.signum() == 0) {
        throw new IllegalArgumentException(
            "principalBalance and amountPastDue must not both be zero for account " + accountId);
      }
    }
  }

  /**
   * Moves the business date to the UTC date of this command's leader timestamp and ages every
   * active account to it: bills installments that fell due, breaks overdue promises, assesses late
   * fees and charges off, in that order and in account id order (see {@link CollectionRules}).
   * Running it again on the same date changes nothing.
   *
   * @param batch a label for the run, such as {@code eod-2025-03-31}; recorded in the result only
   */
  @RolesAllowed({SUPERVISOR, MANAGER})
  record RunDailyAging(String batch) implements Mutation {

    /** Validates the fields. */
    public RunDailyAging {
      Require.id("batch", batch);
    }
  }

  /**
   * Gives the session's collector the highest-priority account of a bucket queue and assigns it to
   * them, first releasing the account they held (a collector holds at most one).
   *
   * <p>An account is in its bucket's queue while it is active, delinquent, unassigned, has no open
   * promise and was not contacted on the current business date. Order: {@link
   * CollectionRules#priority} descending, then account id ascending.
   *
   * @param bucket the queue to work; a delinquent bucket
   */
  @RolesAllowed({COLLECTOR, SUPERVISOR, MANAGER})
  record NextInQueue(Bucket bucket) implements Mutation {

    /** Validates the fields. */
    public NextInQueue {
      Require.present("bucket", bucket);
      if (!bucket.delinquent()) {
        throw new IllegalArgumentException("bucket must be a delinquent bucket: " + bucket);
      }
    }
  }

  /**
   * Records an attempt to reach the borrower of the account assigned to the session's collector,
   * dated with the business date.
   *
   * @param accountId the account, which must be assigned to the submitting collector
   * @param outcome what happened
   */
  @RolesAllowed({COLLECTOR, SUPERVISOR, MANAGER})
  record LogContact(String accountId, ContactOutcome outcome) implements Mutation {

    /** Validates the fields. */
    public LogContact {
      Require.id("accountId", accountId);
      Require.present("outcome", outcome);
    }
  }

  /**
   * Records the borrower's promise to pay {@code amount} by {@code promisedDate}. One open promise
   * per account; the date must lie between the business date and {@link
   * CollectionRules#PROMISE_HORIZON_DAYS} days after it, and the amount may not exceed what is
   * owed.
   *
   * @param accountId the account, which must be assigned to the submitting collector
   * @param amount the promised amount, positive
   * @param promisedDate the date by which it is promised
   */
  @RolesAllowed({COLLECTOR, SUPERVISOR, MANAGER})
  record RecordPromise(String accountId, BigDecimal amount, LocalDate promisedDate)
      implements Mutation {

    /** Validates the fields. */
    public RecordPromise {
      Require.id("accountId", accountId);
      amount = Require.positiveCents("amount", amount);
      Require.present("promisedDate", promisedDate);
    }
  }

  /**
   * Posts a payment, allocated as {@link PaymentAllocation} describes. A payment reference is
   * posted at most once, ever: a second post with the same reference is rejected with {@link
   * DuplicatePaymentException} and changes nothing. The account need not be assigned to the
   * submitter.
   *
   * @param paymentReference the payment's unique reference
   * @param accountId the account paid
   * @param amount the amount, positive and no more than what is owed
   */
  @RolesAllowed({COLLECTOR, SUPERVISOR, MANAGER})
  record PostPayment(String paymentReference, String accountId, BigDecimal amount)
      implements Mutation {

    /** Validates the fields. */
    public PostPayment {
      Require.id("paymentReference", paymentReference);
      Require.id("accountId", accountId);
      amount = Require.positiveCents("amount", amount);
    }
  }

  /**
   * Charges an active account off now, whatever its days past due (see {@link CollectionRules}).
   *
   * @param accountId the account
   * @param reason why, recorded on the account
   */
  @RolesAllowed(MANAGER)
  record ChargeOff(String accountId, String reason) implements Mutation {

    /** Validates the fields. */
    public ChargeOff {
      Require.id("accountId", accountId);
      Require.text("reason", reason);
    }
  }

  /**
   * Reads one account as of the business date.
   *
   * @param accountId the account
   */
  @PermitAll
  record GetAccount(String accountId) implements Query {

    /** Validates the fields. */
    public GetAccount {
      Require.id("accountId", accountId);
    }
  }

  /**
   * Reads the head of a bucket queue in the order {@link NextInQueue} would hand it out.
   *
   * @param bucket the queue, a delinquent bucket
   * @param limit how many entries at most, 1 to {@value #MAX_LIMIT}
   */
  @PermitAll
  record QueueSnapshot(Bucket bucket, int limit) implements Query {

    /** The largest {@code limit}. */
    public static final int MAX_LIMIT = 1000;

    /** Validates the fields. */
    public QueueSnapshot {
      Require.present("bucket", bucket);
      if (!bucket.delinquent()) {
        throw new IllegalArgumentException("bucket must be a delinquent bucket: " + bucket);
      }
      Require.range("limit", limit, 1, MAX_LIMIT);
    }
  }
}
