package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.session.Principal;
import io.steadfast.examples.collection.CollectionCommand;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionResult;
import io.steadfast.examples.collection.CollectionResult.ContactLogged;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import io.steadfast.examples.collection.CollectorWorkflow;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One collector working bucket queues, following the example's {@link CollectorWorkflow}, and
 * writing what it was told into the {@link Worklog}.
 *
 * <p>The workflow now and then posts a payment a second time on purpose; that post must be rejected
 * with {@code DuplicatePaymentException} and is counted apart. A first post rejected that way, or a
 * second post acknowledged, means a command was applied twice. Not thread-safe: used by its user's
 * thread only.
 */
final class CollectorScript implements CollectionScript {

  private static final Duration IDLE = Duration.ofMillis(100);
  private static final Duration WAIT_FOR_PORTFOLIO = Duration.ofSeconds(60);

  private final CollectorWorkflow workflow;
  private final CountDownLatch portfolioReady;
  private final Worklog worklog;
  private boolean idle;

  CollectorScript(CollectorWorkflow workflow, CountDownLatch portfolioReady, Worklog worklog) {
    this.workflow = workflow;
    this.portfolioReady = portfolioReady;
    this.worklog = worklog;
  }

  @Override
  public Principal principal() {
    return workflow.principal();
  }

  /** Waits until the supervisor has loaded and aged the portfolio, then asks for an account. */
  @Override
  public CollectionCommand first() {
    try {
      if (!portfolioReady.await(WAIT_FOR_PORTFOLIO.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("no portfolio loaded within " + WAIT_FOR_PORTFOLIO);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return workflow.first();
  }

  @Override
  public CollectionCommand next(CollectionCommand command, CollectionResult result) {
    idle = result instanceof QueueEmpty;
    if (command instanceof LogContact && result instanceof ContactLogged logged) {
      worklog.contactLogged(logged.account().accountId());
    }
    if (command instanceof PostPayment payment
        && result instanceof PaymentPosted
        && !worklog.paymentPosted(payment)) {
      worklog.appliedTwice("payment " + payment.paymentReference() + " was acknowledged twice");
    }
    return workflow.next(result);
  }

  @Override
  public CollectionCommand afterRejection(
      CollectionCommand command, CommandRejectedException rejection) {
    idle = false;
    if (command instanceof PostPayment payment
        && CollectorWorkflow.DUPLICATE_REJECTION.equals(rejection.errorType())) {
      if (worklog.posted(payment.paymentReference())) {
        worklog.repostRejected();
      } else {
        worklog.appliedTwice(
            "the first post of payment "
                + payment.paymentReference()
                + " found it already posted: "
                + rejection.reason());
      }
    }
    return workflow.afterRejection(rejection.errorType());
  }

  /** A moment after an empty queue, before trying the next one. */
  @Override
  public Duration pause() {
    return idle ? IDLE : Duration.ZERO;
  }
}
