package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What the loan pipeline answers: one record per kind of {@link LoanCommand}.
 *
 * <p>All implementations are immutable records and thread-safe. Simple names are unique: the codec
 * tags each record by its simple name.
 */
public sealed interface LoanResult {

  /**
   * Answers {@link LoanCommand.EnterIntakeField}.
   *
   * @param field the field
   * @param value the value as recorded, in canonical form
   */
  record FieldAccepted(IntakeField field, String value) implements LoanResult {

    /** Validates the fields. */
    public FieldAccepted {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Answers {@link LoanCommand.SubmitApplication}.
   *
   * @param loanId the id assigned to the new loan
   * @param monthlyPayment its amortized monthly payment
   * @param submittedOn the day of submission
   */
  record ApplicationSubmitted(String loanId, BigDecimal monthlyPayment, LocalDate submittedOn)
      implements LoanResult {

    /** Validates the fields. */
    public ApplicationSubmitted {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(monthlyPayment, "monthlyPayment");
      Objects.requireNonNull(submittedOn, "submittedOn");
    }
  }

  /**
   * Answers {@link LoanCommand.RecordCreditReport}.
   *
   * @param loanId the loan
   * @param creditScore the score recorded
   */
  record CreditReportRecorded(String loanId, int creditScore) implements LoanResult {

    /** Validates the id. */
    public CreditReportRecorded {
      Loan.checkLoanId(loanId);
    }
  }

  /**
   * Answers {@link LoanCommand.RecordAppraisal}.
   *
   * @param loanId the loan
   * @param appraisedValue the value recorded
   * @param loanToValue the loan-to-value ratio it gives, four decimals
   */
  record AppraisalRecorded(String loanId, BigDecimal appraisedValue, BigDecimal loanToValue)
      implements LoanResult {

    /** Validates the fields. */
    public AppraisalRecorded {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(appraisedValue, "appraisedValue");
      Objects.requireNonNull(loanToValue, "loanToValue");
    }
  }

  /**
   * Answers {@link LoanCommand.Underwrite} and {@link LoanCommand.DeclineApplication}.
   *
   * @param loanId the loan
   * @param decision the decision recorded
   */
  record Decided(String loanId, Loan.Decision decision) implements LoanResult {

    /** Validates the fields. */
    public Decided {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(decision, "decision");
    }
  }

  /**
   * Answers {@link LoanCommand.ScheduleClosing}.
   *
   * @param loanId the loan
   * @param closingDate the day of the closing
   */
  record ClosingScheduled(String loanId, LocalDate closingDate) implements LoanResult {

    /** Validates the fields. */
    public ClosingScheduled {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(closingDate, "closingDate");
    }
  }

  /**
   * Answers {@link LoanCommand.RescheduleClosing}.
   *
   * @param loanId the loan
   * @param previousDate the day the closing was on
   * @param closingDate the day it is on now
   */
  record ClosingRescheduled(String loanId, LocalDate previousDate, LocalDate closingDate)
      implements LoanResult {

    /** Validates the fields. */
    public ClosingRescheduled {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(previousDate, "previousDate");
      Objects.requireNonNull(closingDate, "closingDate");
    }
  }

  /**
   * Answers {@link LoanCommand.FundLoan}.
   *
   * @param loanId the loan
   * @param amount the amount disbursed
   * @param fundedOn the day of funding
   */
  record LoanFunded(String loanId, BigDecimal amount, LocalDate fundedOn) implements LoanResult {

    /** Validates the fields. */
    public LoanFunded {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(fundedOn, "fundedOn");
    }
  }

  /**
   * Answers {@link LoanCommand.WithdrawApplication}.
   *
   * @param loanId the loan
   * @param fromStage the stage it was withdrawn from
   */
  record ApplicationWithdrawn(String loanId, LoanStage fromStage) implements LoanResult {

    /** Validates the fields. */
    public ApplicationWithdrawn {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(fromStage, "fromStage");
    }
  }

  /**
   * Answers {@link LoanCommand.GetLoan}.
   *
   * @param loan the loan file
   */
  record LoanDetails(Loan loan) implements LoanResult {

    /** Validates the field. */
    public LoanDetails {
      Objects.requireNonNull(loan, "loan");
    }
  }

  /**
   * Answers {@link LoanCommand.ListPipeline}.
   *
   * @param stage the stage listed
   * @param loans up to the requested number of loans in that stage, oldest id first
   * @param total how many loans are in that stage altogether
   */
  record Pipeline(LoanStage stage, List<Loan> loans, int total) implements LoanResult {

    /** Validates the fields and copies the list. */
    public Pipeline {
      Objects.requireNonNull(stage, "stage");
      loans = List.copyOf(loans);
      if (total < loans.size()) {
        throw new IllegalArgumentException(
            "pipeline total " + total + " is less than the " + loans.size() + " loans listed");
      }
    }
  }

  /**
   * Answers {@link LoanCommand.GetSchedule}.
   *
   * @param loanId the loan
   * @param installments the amortization schedule, month 1 first
   */
  record Schedule(String loanId, List<Amortization.Installment> installments)
      implements LoanResult {

    /** Validates the fields and copies the list. */
    public Schedule {
      Loan.checkLoanId(loanId);
      installments = List.copyOf(installments);
    }
  }
}
