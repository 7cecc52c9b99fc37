package io.steadfast.examples.mortgage.workload;

import io.steadfast.examples.mortgage.Loan;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanStage;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A closer: schedules the closing of an approved loan 7 to 45 days after its approval and funds it;
 * when no loan is approved, funds loans whose closing someone else scheduled. Not thread-safe.
 */
final class CloserScript implements Script {

  private final SplittableRandom random;
  private boolean idle;

  CloserScript(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public LoanCommand start() {
    return list(LoanStage.APPROVED);
  }

  @Override
  public LoanCommand next(LoanResult result) {
    if (result instanceof LoanResult.Pipeline pipeline) {
      if (pipeline.loans().isEmpty()) {
        idle = pipeline.stage() == LoanStage.CLOSING_SCHEDULED;
        return list(idle ? LoanStage.APPROVED : LoanStage.CLOSING_SCHEDULED);
      }
      idle = false;
      Loan loan = pick(pipeline.loans());
      return pipeline.stage() == LoanStage.APPROVED ? schedule(loan) : fund(loan.loanId());
    }
    if (result instanceof LoanResult.ClosingScheduled scheduled) {
      return fund(scheduled.loanId());
    }
    if (result instanceof LoanResult.LoanFunded) {
      return list(LoanStage.APPROVED);
    }
    throw new IllegalStateException(
        "closer did not expect result " + result.getClass().getSimpleName());
  }

  @Override
  public LoanCommand afterRejection(String errorType) {
    return list(LoanStage.APPROVED);
  }

  @Override
  public boolean idle() {
    return idle;
  }

  private LoanCommand schedule(Loan loan) {
    LocalDate approvedOn = Objects.requireNonNull(loan.decision(), "decision").decidedOn();
    return new LoanCommand.ScheduleClosing(
        loan.loanId(), approvedOn.plusDays(7 + random.nextInt(39)));
  }

  private static LoanCommand fund(String loanId) {
    return new LoanCommand.FundLoan(loanId);
  }

  private Loan pick(List<Loan> loans) {
    return loans.get(random.nextInt(loans.size()));
  }

  private static LoanCommand list(LoanStage stage) {
    return new LoanCommand.ListPipeline(stage, LoanWorkflow.LISTING_LIMIT);
  }
}
