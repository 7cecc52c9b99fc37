package io.steadfast.examples.collection;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.collection.CollectionCommand.ChargeOff;
import io.steadfast.examples.collection.CollectionCommand.GetAccount;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.QueueSnapshot;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.AccountChargedOff;
import io.steadfast.examples.collection.CollectionResult.AccountDetails;
import io.steadfast.examples.collection.CollectionResult.AccountOpened;
import io.steadfast.examples.collection.CollectionResult.AgingCompleted;
import io.steadfast.examples.collection.CollectionResult.ContactLogged;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionResult.PromiseRecorded;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import io.steadfast.examples.collection.CollectionResult.QueueListing;

/**
 * Where a collector's session resumes after an acknowledged command: the rule {@link
 * LoanCollectionApplication} applies in every {@code apply}, exposed so that a client can compute
 * the resume point it should find after a failover.
 *
 * <p>The rule, by result (keys are sorted by {@link ResumePoint}):
 *
 * <table>
 *   <caption>resume point after each result</caption>
 *   <tr><th>result</th><th>fields</th></tr>
 *   <tr><td>{@code AccountOpened}</td><td>{@code account, step=opened}</td></tr>
 *   <tr><td>{@code AgingCompleted}</td><td>{@code business-date, step=aged}</td></tr>
 *   <tr><td>{@code AccountAssigned}</td><td>{@code account, bucket, step=assigned}</td></tr>
 *   <tr><td>{@code QueueEmpty}</td><td>{@code bucket, step=queue-empty}</td></tr>
 *   <tr><td>{@code ContactLogged}</td><td>{@code account, outcome, step=contacted}</td></tr>
 *   <tr><td>{@code PromiseRecorded}</td><td>{@code account, promised-date, step=promised}</td></tr>
 *   <tr><td>{@code PaymentPosted}</td><td>{@code account, payment, step=paid}</td></tr>
 *   <tr><td>{@code AccountChargedOff}</td><td>{@code account, step=charged-off}</td></tr>
 *   <tr><td>answers to queries</td><td>the previous resume point, unchanged</td></tr>
 * </table>
 *
 * <p>Enum values appear by name, dates in ISO-8601. A rejected command leaves the previous resume
 * point in force. Stateless and thread-safe.
 */
public final class ResumePoints {

  /** Key of the account being worked. */
  public static final String ACCOUNT = "account";

  /** Key of the step last completed. */
  public static final String STEP = "step";

  /** Key of the bucket queue being worked. */
  public static final String BUCKET = "bucket";

  private ResumePoints() {}

  /**
   * The resume point after {@code command} was applied with {@code result}.
   *
   * @param previous the session's resume point before the command
   * @param command the acknowledged command
   * @param result its result
   * @throws IllegalArgumentException if {@code result} cannot be the result of {@code command}
   */
  public static ResumePoint after(
      ResumePoint previous, CollectionCommand command, CollectionResult result) {
    if (command instanceof OpenDelinquentAccount && result instanceof AccountOpened r) {
      return ResumePoint.of(ACCOUNT, r.account().accountId(), STEP, "opened");
    }
    if (command instanceof RunDailyAging && result instanceof AgingCompleted r) {
      return ResumePoint.of("business-date", r.businessDate().toString(), STEP, "aged");
    }
    if (command instanceof NextInQueue && result instanceof AccountAssigned r) {
      return ResumePoint.of(
          ACCOUNT, r.account().accountId(), BUCKET, r.bucket().name(), STEP, "assigned");
    }
    if (command instanceof NextInQueue && result instanceof QueueEmpty r) {
      return ResumePoint.of(BUCKET, r.bucket().name(), STEP, "queue-empty");
    }
    if (command instanceof LogContact && result instanceof ContactLogged r) {
      return ResumePoint.of(
          ACCOUNT, r.account().accountId(), "outcome", r.outcome().name(), STEP, "contacted");
    }
    if (command instanceof RecordPromise c && result instanceof PromiseRecorded r) {
      return ResumePoint.of(
          ACCOUNT,
          r.account().accountId(),
          "promised-date",
          c.promisedDate().toString(),
          STEP,
          "promised");
    }
    if (command instanceof PostPayment && result instanceof PaymentPosted r) {
      return ResumePoint.of(
          ACCOUNT, r.account().accountId(), "payment", r.paymentReference(), STEP, "paid");
    }
    if (command instanceof ChargeOff && result instanceof AccountChargedOff r) {
      return ResumePoint.of(ACCOUNT, r.account().accountId(), STEP, "charged-off");
    }
    if ((command instanceof GetAccount && result instanceof AccountDetails)
        || (command instanceof QueueSnapshot && result instanceof QueueListing)) {
      return previous;
    }
    throw new IllegalArgumentException(
        result.getClass().getSimpleName()
            + " is not a result of "
            + command.getClass().getSimpleName());
  }
}
