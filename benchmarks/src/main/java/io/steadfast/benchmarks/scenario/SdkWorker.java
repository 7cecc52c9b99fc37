package io.steadfast.benchmarks.scenario;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.workload.LoanWorkflow;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;

/**
 * A loan officer on a Steadfast session: intake fields, submission, credit report, appraisal, next
 * borrower. An outcome the session could not settle in time is retried with the same sequence
 * number (resume after failover), so no command is lost or applied twice.
 */
final class SdkWorker implements Worker {

  private final Session<LoanCommand, LoanResult> session;
  private final LoanWorkflow workflow;
  private LoanCommand next;

  SdkWorker(SteadfastClient<LoanCommand, LoanResult> client, String user, long seed) {
    this.workflow = LoanWorkflow.officer(user, seed);
    this.session = client.openSession(workflow.principal());
    this.next = workflow.start();
  }

  @Override
  public void executeNext() {
    try {
      next = workflow.next(execute(next));
    } catch (CommandRejectedException e) {
      next = workflow.afterRejection(e.errorType());
    }
  }

  private LoanResult execute(LoanCommand command) {
    try {
      return session.execute(command);
    } catch (IndeterminateOutcomeException e) {
      while (true) {
        try {
          return session.retry();
        } catch (IndeterminateOutcomeException again) {
          // keep settling the same request
        }
      }
    }
  }
}
