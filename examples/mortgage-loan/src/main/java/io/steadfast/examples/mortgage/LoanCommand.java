package io.steadfast.examples.mortgage;

import io.steadfast.api.Since;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;

/**
 * Everything a client can ask of the loan pipeline: commands that change a loan (sent through the
 * journal to {@link MortgageLoanApplication#apply}) and {@linkplain Query queries} that only read
 * (sent to {@link MortgageLoanApplication#query}).
 *
 * <p>Each type names the roles that may send it in {@code @RolesAllowed} (see {@link LoanRoles}),
 * which the runtime checks before anything is journaled. Each record checks its own fields when it
 * is built, so a malformed command is refused by the codec before it reaches {@code apply}; rules
 * that depend on the loan's state are checked by {@code apply}. Simple names are unique: the codec
 * tags each record by its simple name.
 *
 * <p>All implementations are immutable records and thread-safe.
 */
public sealed interface LoanCommand {

  /** A read-only request: answered by {@code query}, never journaled, never changes a loan. */
  sealed interface Query extends LoanCommand {}

  /**
   * One field of the intake screen typed by an officer. Changes no loan; it records the typed value
   * in the session's resume point so that the officer finds it there after a failover.
   *
   * @param field the field
   * @param value the typed text, kept in {@linkplain IntakeField#canonical canonical form}
   */
  @RolesAllowed(LoanRoles.OFFICER)
  record EnterIntakeField(IntakeField field, String value) implements LoanCommand {

    /** Checks the value as the field would and keeps its canonical form. */
    public EnterIntakeField {
      Objects.requireNonNull(field, "field");
      value = field.canonical(value);
    }
  }

  /**
   * Submits a completed intake: assigns the next loan id and puts the loan in {@link
   * LoanStage#APPLIED}.
   *
   * @param request the application
   */
  @RolesAllowed(LoanRoles.OFFICER)
  record SubmitApplication(LoanRequest request) implements LoanCommand {

    /** Checks the request is present (it validated itself). */
    public SubmitApplication {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * Records the bureau's credit score on an {@link LoanStage#APPLIED} loan.
   *
   * @param loanId the loan
   * @param creditScore the score, 300 to 850
   */
  @RolesAllowed(LoanRoles.OFFICER)
  record RecordCreditReport(String loanId, int creditScore) implements LoanCommand {

    /** Validates the fields. */
    public RecordCreditReport {
      Loan.checkLoanId(loanId);
      Loan.checkScore(creditScore);
    }
  }

  /**
   * Records the appraised value on a {@link LoanStage#CREDIT_CHECKED} loan.
   *
   * @param loanId the loan
   * @param appraisedValue the appraiser's value, in whole cents
   */
  @RolesAllowed(LoanRoles.OFFICER)
  record RecordAppraisal(String loanId, BigDecimal appraisedValue) implements LoanCommand {

    /** Validates the fields and normalizes the value to scale 2. */
    public RecordAppraisal {
      Loan.checkLoanId(loanId);
      appraisedValue = Loan.checkAppraisedValue(appraisedValue);
    }
  }

  /**
   * An underwriter's decision on an {@link LoanStage#APPRAISED} loan. The {@linkplain Underwriting
   * rules} bind: {@link Verdict#APPROVE} approves only if every rule passes and otherwise declines
   * with the failing rules' reasons; {@link Verdict#DECLINE} always declines, with {@link
   * DeclineReason#UNDERWRITER_DECLINED} ahead of any failing rules' reasons.
   *
   * @param loanId the loan
   * @param verdict what the underwriter asks for
   * @param conditions conditions to attach to an approval, besides those the rules add; kept sorted
   *     without duplicates, ignored on a decline
   * @param note the underwriter's note, at most 500 characters, possibly empty
   */
  @RolesAllowed(LoanRoles.UNDERWRITER)
  record Underwrite(String loanId, Verdict verdict, List<Condition> conditions, String note)
      implements LoanCommand {

    /** Validates the fields and sorts the conditions. */
    public Underwrite {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(verdict, "verdict");
      conditions = List.copyOf(new TreeSet<>(conditions));
      note = checkText("note", note, 0);
    }
  }

  /**
   * Declines a loan at any stage before funding, on an underwriter's judgement (fraud, a change in
   * the borrower's employment). Recorded with {@link DeclineReason#UNDERWRITER_DECLINED}.
   *
   * @param loanId the loan
   * @param note why, 1 to 500 characters
   */
  @RolesAllowed(LoanRoles.UNDERWRITER)
  record DeclineApplication(String loanId, String note) implements LoanCommand {

    /** Validates the fields. */
    public DeclineApplication {
      Loan.checkLoanId(loanId);
      note = checkText("note", note, 1);
    }
  }

  /**
   * Schedules the closing of an {@link LoanStage#APPROVED} loan. The date must be no earlier than
   * the day of approval and at most {@value MortgageLoanApplication#APPROVAL_VALID_DAYS} days after
   * it, when the approval expires.
   *
   * @param loanId the loan
   * @param closingDate the day of the closing
   */
  @RolesAllowed(LoanRoles.CLOSER)
  record ScheduleClosing(String loanId, LocalDate closingDate) implements LoanCommand {

    /** Validates the fields. */
    public ScheduleClosing {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(closingDate, "closingDate");
    }
  }

  /**
   * Moves the closing of a {@link LoanStage#CLOSING_SCHEDULED} loan to another day, within the same
   * window as {@link ScheduleClosing}: no earlier than the day of approval, at most {@value
   * MortgageLoanApplication#APPROVAL_VALID_DAYS} days after it. Moving it to the day it is already
   * on is refused. Added by release 2: a cluster refuses it at the door until the operator
   * finalizes application version 2.
   *
   * @param loanId the loan
   * @param closingDate the new day of the closing
   */
  @Since(2)
  @RolesAllowed(LoanRoles.CLOSER)
  record RescheduleClosing(String loanId, LocalDate closingDate) implements LoanCommand {

    /** Validates the fields. */
    public RescheduleClosing {
      Loan.checkLoanId(loanId);
      Objects.requireNonNull(closingDate, "closingDate");
    }
  }

  /**
   * Disburses a {@link LoanStage#CLOSING_SCHEDULED} loan. The example does not make funding wait
   * for the closing day, so that a demonstration can run a loan through in seconds.
   *
   * @param loanId the loan
   */
  @RolesAllowed(LoanRoles.CLOSER)
  record FundLoan(String loanId) implements LoanCommand {

    /** Validates the id. */
    public FundLoan {
      Loan.checkLoanId(loanId);
    }
  }

  /**
   * Withdraws a loan at the borrower's request, at any stage before funding.
   *
   * @param loanId the loan
   * @param reason the borrower's reason, 1 to 500 characters
   */
  @RolesAllowed(LoanRoles.OFFICER)
  record WithdrawApplication(String loanId, String reason) implements LoanCommand {

    /** Validates the fields. */
    public WithdrawApplication {
      Loan.checkLoanId(loanId);
      reason = checkText("reason", reason, 1);
    }
  }

  /**
   * Reads one loan; answered with {@link LoanResult.LoanDetails}.
   *
   * @param loanId the loan
   */
  @PermitAll
  record GetLoan(String loanId) implements Query {

    /** Validates the id. */
    public GetLoan {
      Loan.checkLoanId(loanId);
    }
  }

  /**
   * Lists the loans in one stage, oldest id first; answered with {@link LoanResult.Pipeline}.
   *
   * @param stage the stage
   * @param limit the most loans to return, 1 to 1000
   */
  @PermitAll
  record ListPipeline(LoanStage stage, int limit) implements Query {

    /** Validates the fields. */
    public ListPipeline {
      Objects.requireNonNull(stage, "stage");
      if (limit < 1 || limit > 1000) {
        throw new IllegalArgumentException("limit must be between 1 and 1000: " + limit);
      }
    }
  }

  /**
   * Reads a loan's amortization schedule; answered with {@link LoanResult.Schedule}.
   *
   * @param loanId the loan
   */
  @PermitAll
  record GetSchedule(String loanId) implements Query {

    /** Validates the id. */
    public GetSchedule {
      Loan.checkLoanId(loanId);
    }
  }

  private static String checkText(String field, String text, int minLength) {
    if (text == null
        || text.length() < minLength
        || text.length() > 500
        || (minLength > 0 && text.isBlank())) {
      throw new IllegalArgumentException(
          field
              + " must be "
              + minLength
              + " to 500 characters"
              + (minLength > 0 ? " and not blank" : "")
              + ": '"
              + text
              + "'");
    }
    return text;
  }
}
