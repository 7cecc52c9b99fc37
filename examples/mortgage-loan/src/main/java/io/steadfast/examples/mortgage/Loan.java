package io.steadfast.examples.mortgage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One loan file: the intake request and everything recorded since, stage by stage.
 *
 * <p>A part is present exactly when the loan has passed the step that records it: a loan in {@link
 * LoanStage#APPRAISED} has a credit report and an appraisal but no decision. Declined and withdrawn
 * loans keep the parts they had. The constructor enforces this, so an inconsistent loan cannot be
 * built (not even from a damaged checkpoint). Dates are UTC days of the leader-assigned command
 * time. Immutable and thread-safe; a change of stage makes a new {@code Loan}.
 *
 * @param loanId the id assigned at submission, such as {@code L-000042}
 * @param officer the user who submitted it
 * @param stage where it is in the pipeline
 * @param request what was asked for at intake
 * @param monthlyPayment the amortized monthly payment of the request
 * @param submittedOn the day it was submitted
 * @param creditReport the credit check, once recorded
 * @param appraisal the appraisal, once recorded
 * @param decision the underwriting decision, once made
 * @param closing the closing appointment, once scheduled
 * @param funding the disbursement, once funded
 * @param withdrawal the withdrawal, if withdrawn
 */
public record Loan(
    String loanId,
    String officer,
    LoanStage stage,
    LoanRequest request,
    BigDecimal monthlyPayment,
    LocalDate submittedOn,
    @Nullable CreditReport creditReport,
    @Nullable Appraisal appraisal,
    @Nullable Decision decision,
    @Nullable Closing closing,
    @Nullable Funding funding,
    @Nullable Withdrawal withdrawal) {

  /** The lowest credit score a bureau reports. */
  public static final int MIN_SCORE = 300;

  /** The highest credit score a bureau reports. */
  public static final int MAX_SCORE = 850;

  private static final Pattern LOAN_ID = Pattern.compile("L-[0-9]{6,18}");

  /**
   * A credit check.
   *
   * @param creditScore the bureau score, {@value Loan#MIN_SCORE} to {@value Loan#MAX_SCORE}
   * @param recordedBy the officer who recorded it
   * @param recordedOn the day it was recorded
   */
  public record CreditReport(int creditScore, String recordedBy, LocalDate recordedOn) {

    /** Validates the fields. */
    public CreditReport {
      checkScore(creditScore);
      Objects.requireNonNull(recordedBy, "recordedBy");
      Objects.requireNonNull(recordedOn, "recordedOn");
    }
  }

  /**
   * An appraisal of the property.
   *
   * @param appraisedValue the appraiser's value, in cents
   * @param recordedBy the officer who recorded it
   * @param recordedOn the day it was recorded
   */
  public record Appraisal(BigDecimal appraisedValue, String recordedBy, LocalDate recordedOn) {

    /** Validates the fields. */
    public Appraisal {
      appraisedValue = checkAppraisedValue(appraisedValue);
      Objects.requireNonNull(recordedBy, "recordedBy");
      Objects.requireNonNull(recordedOn, "recordedOn");
    }
  }

  /**
   * An underwriting decision.
   *
   * @param approved whether the loan was approved
   * @param reasons why it was declined, in {@link Underwriting} rule order; empty if approved
   * @param conditions what an approval requires before closing; empty if declined
   * @param debtToIncome the back-end DTI at the time of the decision, four decimals
   * @param loanToValue the LTV at the time of the decision, four decimals
   * @param underwriter who decided
   * @param decidedOn the day of the decision
   * @param note the underwriter's note, possibly empty
   */
  public record Decision(
      boolean approved,
      List<DeclineReason> reasons,
      List<Condition> conditions,
      BigDecimal debtToIncome,
      BigDecimal loanToValue,
      String underwriter,
      LocalDate decidedOn,
      String note) {

    /** Validates the fields and copies the lists. */
    public Decision {
      reasons = List.copyOf(reasons);
      conditions = List.copyOf(conditions);
      Objects.requireNonNull(debtToIncome, "debtToIncome");
      Objects.requireNonNull(loanToValue, "loanToValue");
      Objects.requireNonNull(underwriter, "underwriter");
      Objects.requireNonNull(decidedOn, "decidedOn");
      Objects.requireNonNull(note, "note");
      if (approved != reasons.isEmpty()) {
        throw new IllegalArgumentException(
            "decision must have decline reasons exactly when declined: approved="
                + approved
                + ", reasons="
                + reasons);
      }
      if (!approved && !conditions.isEmpty()) {
        throw new IllegalArgumentException(
            "declined decision must have no conditions: " + conditions);
      }
    }
  }

  /**
   * A closing appointment.
   *
   * @param closingDate the day of the closing
   * @param scheduledBy the closer who scheduled it
   * @param scheduledOn the day it was scheduled
   */
  public record Closing(LocalDate closingDate, String scheduledBy, LocalDate scheduledOn) {

    /** Validates the fields. */
    public Closing {
      Objects.requireNonNull(closingDate, "closingDate");
      Objects.requireNonNull(scheduledBy, "scheduledBy");
      Objects.requireNonNull(scheduledOn, "scheduledOn");
    }
  }

  /**
   * A disbursement.
   *
   * @param amount the amount disbursed: the loan amount
   * @param fundedBy the closer who funded it
   * @param fundedOn the day it was funded
   */
  public record Funding(BigDecimal amount, String fundedBy, LocalDate fundedOn) {

    /** Validates the fields. */
    public Funding {
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(fundedBy, "fundedBy");
      Objects.requireNonNull(fundedOn, "fundedOn");
    }
  }

  /**
   * A withdrawal at the borrower's request.
   *
   * @param fromStage the stage the loan was in
   * @param reason why, as told by the borrower
   * @param withdrawnBy the officer who withdrew it
   * @param withdrawnOn the day it was withdrawn
   */
  public record Withdrawal(
      LoanStage fromStage, String reason, String withdrawnBy, LocalDate withdrawnOn) {

    /** Validates the fields. */
    public Withdrawal {
      Objects.requireNonNull(fromStage, "fromStage");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(withdrawnBy, "withdrawnBy");
      Objects.requireNonNull(withdrawnOn, "withdrawnOn");
    }
  }

  /** Validates the fields and that the parts present match the stage. */
  public Loan {
    checkLoanId(loanId);
    Objects.requireNonNull(officer, "officer");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(monthlyPayment, "monthlyPayment");
    Objects.requireNonNull(submittedOn, "submittedOn");
    switch (stage) {
      case APPLIED, CREDIT_CHECKED, APPRAISED, APPROVED, CLOSING_SCHEDULED, FUNDED -> {
        int step = stage.ordinal();
        requirePart(
            loanId,
            stage,
            "creditReport",
            creditReport,
            step >= LoanStage.CREDIT_CHECKED.ordinal());
        requirePart(loanId, stage, "appraisal", appraisal, step >= LoanStage.APPRAISED.ordinal());
        requirePart(loanId, stage, "decision", decision, step >= LoanStage.APPROVED.ordinal());
        requirePart(
            loanId, stage, "closing", closing, step >= LoanStage.CLOSING_SCHEDULED.ordinal());
        requirePart(loanId, stage, "funding", funding, stage == LoanStage.FUNDED);
        requirePart(loanId, stage, "withdrawal", withdrawal, false);
        if (decision != null && !decision.approved()) {
          throw new IllegalArgumentException(
              "loan " + loanId + " in stage " + stage + " must not carry a declined decision");
        }
      }
      case DECLINED -> {
        if (decision == null || decision.approved()) {
          throw new IllegalArgumentException(
              "declined loan " + loanId + " must carry a declined decision");
        }
        requirePart(loanId, stage, "funding", funding, false);
        requirePart(loanId, stage, "withdrawal", withdrawal, false);
      }
      case WITHDRAWN -> {
        requirePart(loanId, stage, "withdrawal", withdrawal, true);
        requirePart(loanId, stage, "funding", funding, false);
        if (decision != null && !decision.approved()) {
          throw new IllegalArgumentException(
              "withdrawn loan " + loanId + " must not carry a declined decision");
        }
      }
    }
  }

  /**
   * Checks a loan id's form: {@code L-} followed by 6 to 18 digits.
   *
   * @return the id
   * @throws IllegalArgumentException naming the id if it has another form
   */
  public static String checkLoanId(String loanId) {
    if (loanId == null || !LOAN_ID.matcher(loanId).matches()) {
      throw new IllegalArgumentException("loanId must be L- and 6 to 18 digits: " + loanId);
    }
    return loanId;
  }

  static int checkScore(int creditScore) {
    if (creditScore < MIN_SCORE || creditScore > MAX_SCORE) {
      throw new IllegalArgumentException(
          "creditScore must be between " + MIN_SCORE + " and " + MAX_SCORE + ": " + creditScore);
    }
    return creditScore;
  }

  static BigDecimal checkAppraisedValue(BigDecimal value) {
    return Money.cents(
        "appraisedValue", value, new BigDecimal("0.01"), new BigDecimal("100000000.00"));
  }

  private static void requirePart(
      String loanId, LoanStage stage, String part, @Nullable Object value, boolean required) {
    if (required && value == null) {
      throw new IllegalArgumentException(
          "loan " + loanId + " in stage " + stage + " needs " + part);
    }
    if (!required && value != null) {
      throw new IllegalArgumentException(
          "loan " + loanId + " in stage " + stage + " must not have " + part);
    }
  }

  /** A newly submitted loan. */
  static Loan submitted(String loanId, String officer, LoanRequest request, LocalDate on) {
    BigDecimal payment =
        Amortization.monthlyPayment(
            request.loanAmount(), request.annualRatePercent(), request.termMonths());
    return new Loan(
        loanId,
        officer,
        LoanStage.APPLIED,
        request,
        payment,
        on,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Whether the stage may move to {@code next}; throws naming the action if not. */
  void requireMove(LoanStage next, String action) {
    if (!stage.canMoveTo(next)) {
      throw new IllegalLoanStateException(loanId, stage, action);
    }
  }

  /** Throws naming the action unless the loan is in {@code expected}. */
  void requireStage(LoanStage expected, String action) {
    if (stage != expected) {
      throw new IllegalLoanStateException(loanId, stage, action);
    }
  }

  Loan withCreditReport(CreditReport report) {
    return new Loan(
        loanId,
        officer,
        LoanStage.CREDIT_CHECKED,
        request,
        monthlyPayment,
        submittedOn,
        report,
        appraisal,
        decision,
        closing,
        funding,
        withdrawal);
  }

  Loan withAppraisal(Appraisal value) {
    return new Loan(
        loanId,
        officer,
        LoanStage.APPRAISED,
        request,
        monthlyPayment,
        submittedOn,
        creditReport,
        value,
        decision,
        closing,
        funding,
        withdrawal);
  }

  Loan withDecision(Decision made) {
    LoanStage next = made.approved() ? LoanStage.APPROVED : LoanStage.DECLINED;
    return new Loan(
        loanId,
        officer,
        next,
        request,
        monthlyPayment,
        submittedOn,
        creditReport,
        appraisal,
        made,
        closing,
        funding,
        withdrawal);
  }

  Loan withClosing(Closing appointment) {
    return new Loan(
        loanId,
        officer,
        LoanStage.CLOSING_SCHEDULED,
        request,
        monthlyPayment,
        submittedOn,
        creditReport,
        appraisal,
        decision,
        appointment,
        funding,
        withdrawal);
  }

  Loan withFunding(Funding disbursement) {
    return new Loan(
        loanId,
        officer,
        LoanStage.FUNDED,
        request,
        monthlyPayment,
        submittedOn,
        creditReport,
        appraisal,
        decision,
        closing,
        disbursement,
        withdrawal);
  }

  Loan withWithdrawal(Withdrawal withdrawn) {
    return new Loan(
        loanId,
        officer,
        LoanStage.WITHDRAWN,
        request,
        monthlyPayment,
        submittedOn,
        creditReport,
        appraisal,
        decision,
        closing,
        funding,
        withdrawn);
  }
}
