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
 * when no loan is approved, funds loans whose closing someone else scheduled. From application
 * version 2 it first moves about one closing in four to another day. Not thread-safe.
 */
final class CloserScript implements Script {

  private final SplittableRandom random;
  private final int applicationVersion;
  private boolean idle;

  CloserScript(SplittableRandom random, int applicationVersion) {
    this.random = random;
    this.applicationVersion = applicationVersion;
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
      if (pipeline.stage() == LoanStage.APPROVED) {
        return schedule(loan);
      }
      // The draw is taken only from version 2 on, so version 1 workflows repeat as before.
      if (applicationVersion >= 2 && random.nextInt(4) == 0) {
        return reschedule(loan);
      }
      return fund(loan.loanId());
    }
    if (result instanceof LoanResult.ClosingScheduled scheduled) {
      if (applicationVersion >= 2 && random.nextInt(4) == 0) {
        // One to 14 days later stays inside the approval window: scheduled at most 45 days after
        // approval, the window is 90 days.
        return new LoanCommand.RescheduleClosing(
            scheduled.loanId(), scheduled.closingDate().plusDays(1 + random.nextInt(14)));
      }
      return fund(scheduled.loanId());
    }
    if (result instanceof LoanResult.ClosingRescheduled rescheduled) {
      return fund(rescheduled.loanId());
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
    return new LoanCommand.ScheduleClosing(loan.loanId(), closingDay(loan, 7 + random.nextInt(39)));
  }

  /** Another day in the same 7-to-45-day window. */
  private LoanCommand reschedule(Loan loan) {
    int days = 7 + random.nextInt(39);
    LocalDate day = closingDay(loan, days);
    Loan.Closing closing = loan.closing();
    if (closing != null && closing.closingDate().equals(day)) {
      day = closingDay(loan, days == 45 ? 7 : days + 1);
    }
    return new LoanCommand.RescheduleClosing(loan.loanId(), day);
  }

  private static LocalDate closingDay(Loan loan, int daysAfterApproval) {
    LocalDate approvedOn = Objects.requireNonNull(loan.decision(), "decision").decidedOn();
    return approvedOn.plusDays(daysAfterApproval);
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
