package io.steadfast.examples.mortgage.workload;

import io.steadfast.examples.mortgage.IntakeField;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanStage;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A loan officer: types each intake field, submits, records the credit report and the appraisal,
 * then starts on the next borrower, unless the borrower withdraws on the way. Not thread-safe.
 */
final class OfficerScript implements Script {

  private static final IntakeField[] FIELDS = IntakeField.values();

  private final SplittableRandom random;
  private Borrowers.@Nullable Profile profile;
  private int typed;
  private @Nullable String loanId;

  OfficerScript(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public LoanCommand start() {
    return nextBorrower();
  }

  @Override
  public LoanCommand next(LoanResult result) {
    Borrowers.Profile current = current();
    if (result instanceof LoanResult.FieldAccepted) {
      return typeOrSubmit(current);
    }
    if (result instanceof LoanResult.ApplicationSubmitted submitted) {
      loanId = submitted.loanId();
      return withdrawIfDue(
          current,
          LoanStage.APPLIED,
          new LoanCommand.RecordCreditReport(submitted.loanId(), current.creditScore()));
    }
    if (result instanceof LoanResult.CreditReportRecorded recorded) {
      return withdrawIfDue(
          current,
          LoanStage.CREDIT_CHECKED,
          new LoanCommand.RecordAppraisal(recorded.loanId(), current.appraisedValue()));
    }
    if (result instanceof LoanResult.AppraisalRecorded) {
      return current.withdrawAfter() == LoanStage.APPRAISED ? withdraw(current) : nextBorrower();
    }
    if (result instanceof LoanResult.ApplicationWithdrawn) {
      return nextBorrower();
    }
    throw new IllegalStateException(
        "officer did not expect result " + result.getClass().getSimpleName());
  }

  @Override
  public LoanCommand afterRejection(String errorType) {
    return nextBorrower();
  }

  private LoanCommand nextBorrower() {
    profile = Borrowers.next(random);
    typed = 0;
    loanId = null;
    return typeOrSubmit(profile);
  }

  private LoanCommand typeOrSubmit(Borrowers.Profile current) {
    if (typed < FIELDS.length) {
      IntakeField field = FIELDS[typed++];
      return new LoanCommand.EnterIntakeField(field, field.textOf(current.request()));
    }
    return new LoanCommand.SubmitApplication(current.request());
  }

  private LoanCommand withdrawIfDue(
      Borrowers.Profile current, LoanStage reached, LoanCommand otherwise) {
    return current.withdrawAfter() == reached ? withdraw(current) : otherwise;
  }

  private LoanCommand withdraw(Borrowers.Profile current) {
    if (loanId == null) {
      throw new IllegalStateException("officer has no loan to withdraw");
    }
    return new LoanCommand.WithdrawApplication(loanId, current.withdrawalReason());
  }

  private Borrowers.Profile current() {
    if (profile == null) {
      throw new IllegalStateException("officer has not started");
    }
    return profile;
  }
}
