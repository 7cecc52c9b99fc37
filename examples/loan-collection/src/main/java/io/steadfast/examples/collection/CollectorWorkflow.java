package io.steadfast.examples.collection;

import io.steadfast.api.session.Principal;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.ContactLogged;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionResult.PromiseRecorded;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One collector's seeded working day as a state machine: given the outcome of its last command it
 * says which command the collector submits next. The same seed, collector name and sequence of
 * outcomes always give the same commands.
 *
 * <p>The collector takes the next account from a bucket queue (starting at a seeded bucket and
 * moving to the next, most severe first, whenever one is empty), logs a contact attempt, and after
 * speaking to the borrower may record a promise to pay and may post a payment. Payment references
 * are {@code PAY-<seed base 36>-<collector>-<n>}, unique per seed and collector. After about one
 * payment in five it posts the same payment again, which the application must reject with {@link
 * DuplicatePaymentException}; {@link #duplicateRetries()} and {@link #duplicatesRejected()} let a
 * driver check that every such retry was rejected.
 *
 * <p>A driver opens a session for {@link #principal()} and submits {@link #first()}. Each time a
 * command is acknowledged it passes the result to {@link #next(CollectionResult)} and, to know
 * where the session must resume after a failover, folds it into {@link ResumePoints#after}; each
 * time a command is rejected it passes the rejection's error type ({@code
 * CommandRejectedException.errorType()}) to {@link #afterRejection(String)}. Either call returns
 * the command to submit next. A command whose outcome is uncertain is retried as it is, in the same
 * session, before either call. The tests' {@code WorkloadRun} is a complete, compiled driver.
 *
 * <p>Not thread-safe: one workflow belongs to one driver thread.
 */
public final class CollectorWorkflow {

  /** The simple name of the rejection a duplicate payment must meet. */
  public static final String DUPLICATE_REJECTION = DuplicatePaymentException.class.getSimpleName();

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final List<Bucket> ROTATION =
      List.of(
          Bucket.DPD_120_PLUS,
          Bucket.DPD_90_119,
          Bucket.DPD_60_89,
          Bucket.DPD_30_59,
          Bucket.DPD_1_29);

  private final long seed;
  private final String collector;
  private final SplittableRandom random;
  private int bucketIndex;
  private @Nullable AccountView account;
  private @Nullable PostPayment lastPayment;
  private boolean retryPending;
  private boolean freshPaymentPending;
  private boolean started;
  private int paymentsIssued;
  private int duplicateRetries;
  private int duplicatesRejected;
  private int otherRejections;
  private int paymentsFoundPosted;

  private CollectorWorkflow(long seed, String collector) {
    this.seed = seed;
    this.collector = collector;
    this.random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * collector.hashCode()));
    this.bucketIndex = random.nextInt(ROTATION.size());
  }

  /**
   * A workflow for {@code collector} driven by {@code seed}.
   *
   * @param seed the seed
   * @param collector the collector's user name: 1 to 32 letters, digits, '_' or '-'
   */
  public static CollectorWorkflow create(long seed, String collector) {
    if (collector == null || !NAME.matcher(collector).matches()) {
      throw new IllegalArgumentException(
          "collector must be 1 to 32 letters, digits, '_' or '-': " + collector);
    }
    return new CollectorWorkflow(seed, collector);
  }

  /** The collector's user name. */
  public String collector() {
    return collector;
  }

  /** The principal to open the collector's session for. */
  public Principal principal() {
    return CollectionRoles.collector(collector);
  }

  /**
   * The first command: take an account from the starting bucket queue.
   *
   * @throws IllegalStateException if called twice
   */
  public CollectionCommand first() {
    if (started) {
      throw new IllegalStateException("workflow of " + collector + " already started");
    }
    started = true;
    return takeNext();
  }

  /** The command to submit after the previous one was acknowledged with {@code result}. */
  public CollectionCommand next(CollectionResult result) {
    requireStarted();
    retryPending = false;
    freshPaymentPending = false;
    if (result instanceof AccountAssigned assigned) {
      account = assigned.account();
      return new LogContact(assigned.account().accountId(), pickOutcome());
    }
    if (result instanceof QueueEmpty) {
      bucketIndex = (bucketIndex + 1) % ROTATION.size();
      return takeNext();
    }
    if (result instanceof ContactLogged contact) {
      account = contact.account();
      return afterContact(contact.outcome());
    }
    if (result instanceof PromiseRecorded promise) {
      account = promise.account();
      return random.nextInt(2) == 0 ? payment() : takeNext();
    }
    if (result instanceof PaymentPosted posted) {
      account = posted.account();
      PostPayment payment = lastPayment;
      if (payment != null && random.nextInt(5) == 0) {
        duplicateRetries++;
        retryPending = true;
        return payment;
      }
      return takeNext();
    }
    return takeNext();
  }

  /**
   * The command to submit after the previous one was rejected with an exception of simple name
   * {@code errorType}.
   */
  public CollectionCommand afterRejection(String errorType) {
    requireStarted();
    if (retryPending && DUPLICATE_REJECTION.equals(errorType)) {
      duplicatesRejected++;
    } else if (freshPaymentPending && DUPLICATE_REJECTION.equals(errorType)) {
      paymentsFoundPosted++;
    } else {
      otherRejections++;
    }
    retryPending = false;
    freshPaymentPending = false;
    return takeNext();
  }

  /** How many payments were deliberately posted a second time. */
  public int duplicateRetries() {
    return duplicateRetries;
  }

  /** How many of those second posts were rejected as duplicates, as they all must be. */
  public int duplicatesRejected() {
    return duplicatesRejected;
  }

  /**
   * How many first posts of a payment were rejected as duplicates: the payment was already on the
   * books, which happens when a driver re-submits an uncertain payment outside its session's
   * at-most-once retry (for example from a new session after a client crash). Zero in a run without
   * such re-submissions.
   */
  public int paymentsFoundPosted() {
    return paymentsFoundPosted;
  }

  /** How many rejections were neither deliberate duplicates nor payments found posted. */
  public int otherRejections() {
    return otherRejections;
  }

  /** How many distinct payment references were issued. */
  public int paymentsIssued() {
    return paymentsIssued;
  }

  private void requireStarted() {
    if (!started) {
      throw new IllegalStateException("workflow of " + collector + " not started: call first()");
    }
  }

  private CollectionCommand takeNext() {
    account = null;
    return new NextInQueue(ROTATION.get(bucketIndex));
  }

  private ContactOutcome pickOutcome() {
    int draw = random.nextInt(100);
    if (draw < 35) {
      return ContactOutcome.NO_ANSWER;
    }
    if (draw < 60) {
      return ContactOutcome.LEFT_MESSAGE;
    }
    return draw < 95 ? ContactOutcome.SPOKE : ContactOutcome.WRONG_NUMBER;
  }

  private CollectionCommand afterContact(ContactOutcome outcome) {
    int draw = random.nextInt(100);
    if (outcome == ContactOutcome.SPOKE) {
      if (draw < 45) {
        return promise();
      }
      return draw < 80 ? payment() : takeNext();
    }
    if (outcome == ContactOutcome.LEFT_MESSAGE && draw < 15) {
      return payment();
    }
    return takeNext();
  }

  private CollectionCommand promise() {
    AccountView view = account;
    if (view == null || view.status() != AccountStatus.ACTIVE || view.promise() != null) {
      return payment();
    }
    BigDecimal amount =
        (view.amountPastDue().signum() > 0 ? view.amountPastDue() : view.installmentAmount())
            .min(view.totalOwed());
    if (amount.signum() <= 0) {
      return takeNext();
    }
    return new RecordPromise(
        view.accountId(), amount, view.asOf().plusDays(1 + random.nextInt(14)));
  }

  private CollectionCommand payment() {
    AccountView view = account;
    if (view == null || view.status() == AccountStatus.PAID_OFF) {
      return takeNext();
    }
    BigDecimal amount;
    PromiseView promise = view.promise();
    int draw = random.nextInt(10);
    if (promise != null) {
      amount = promise.amount().subtract(promise.paidSoFar());
    } else if (draw < 5 && view.amountPastDue().signum() > 0) {
      amount = view.amountPastDue();
    } else if (draw < 8 || view.amountPastDue().signum() == 0) {
      amount = view.installmentAmount();
    } else {
      amount = view.amountPastDue().divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_EVEN);
    }
    amount = amount.min(view.totalOwed());
    if (amount.signum() <= 0) {
      return takeNext();
    }
    paymentsIssued++;
    String reference =
        "PAY-" + Long.toUnsignedString(seed, 36) + "-" + collector + "-" + paymentsIssued;
    PostPayment payment = new PostPayment(reference, view.accountId(), amount);
    lastPayment = payment;
    freshPaymentPending = true;
    return payment;
  }
}
