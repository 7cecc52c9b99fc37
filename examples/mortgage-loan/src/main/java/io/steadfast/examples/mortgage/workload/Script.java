package io.steadfast.examples.mortgage.workload;

import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;

/** What one desk does next; {@link LoanWorkflow} enforces the order of calls. Not thread-safe. */
interface Script {

  /** The first command. */
  LoanCommand start();

  /** The command after the previous one was acknowledged with {@code result}. */
  LoanCommand next(LoanResult result);

  /**
   * The command after the previous one was rejected with an exception of type {@code errorType}.
   */
  LoanCommand afterRejection(String errorType);

  /** Whether the last listing found nothing to do. */
  default boolean idle() {
    return false;
  }
}
