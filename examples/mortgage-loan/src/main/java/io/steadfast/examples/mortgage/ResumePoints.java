package io.steadfast.examples.mortgage;

import io.steadfast.api.session.ResumePoint;
import java.util.Locale;
import java.util.Optional;

/**
 * The rule that says where a user resumes after each command: which loan, which screen, and what
 * was typed so far.
 *
 * <p>{@link MortgageLoanApplication#apply} records {@link #after} as the session's resume point,
 * atomically with the command's effect. A client can compute the same function from the command it
 * sent and the result it was acknowledged with, and compare it with the resume point the new
 * primary reports after a failover: they must be equal.
 *
 * <p>Keys: {@value #SCREEN} (always; a {@link Screen} in lower case), {@value #LOAN} (once a loan
 * exists), {@value #OUTCOME} (on {@link Screen#DONE}: {@code funded}, {@code declined} or {@code
 * withdrawn}), {@value #CLOSING_DATE} (on {@link Screen#FUNDING}), and {@value #TYPED} followed by
 * an {@link IntakeField#key()} for each intake field typed since the last submission.
 *
 * <table>
 *   <caption>The rule</caption>
 *   <tr><th>acknowledged command</th><th>resume point</th></tr>
 *   <tr><td>{@code EnterIntakeField(f, v)}</td><td>the previous point with {@code typed.f=v} if it
 *       was on the intake screen; otherwise {@code screen=intake, typed.f=v}</td></tr>
 *   <tr><td>{@code SubmitApplication}</td><td>{@code loan, screen=credit}</td></tr>
 *   <tr><td>{@code RecordCreditReport}</td><td>{@code loan, screen=appraisal}</td></tr>
 *   <tr><td>{@code RecordAppraisal}</td><td>{@code loan, screen=underwriting}</td></tr>
 *   <tr><td>{@code Underwrite}, {@code DeclineApplication}</td><td>approved: {@code loan,
 *       screen=closing}; declined: {@code loan, screen=done, outcome=declined}</td></tr>
 *   <tr><td>{@code ScheduleClosing}, {@code RescheduleClosing}</td><td>{@code loan, screen=funding,
 *       closingDate} (the new date)</td></tr>
 *   <tr><td>{@code FundLoan}</td><td>{@code loan, screen=done, outcome=funded}</td></tr>
 *   <tr><td>{@code WithdrawApplication}</td><td>{@code loan, screen=done, outcome=withdrawn}</td></tr>
 *   <tr><td>any {@link LoanCommand.Query}</td><td>the previous point, unchanged</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe; every method is a pure function.
 */
public final class ResumePoints {

  /** The key of the screen. */
  public static final String SCREEN = "screen";

  /** The key of the loan id. */
  public static final String LOAN = "loan";

  /** The key of a finished loan's outcome. */
  public static final String OUTCOME = "outcome";

  /** The key of a scheduled closing date (ISO-8601). */
  public static final String CLOSING_DATE = "closingDate";

  /** The prefix of the keys of typed intake fields. */
  public static final String TYPED = "typed.";

  /** The screens of the loan pipeline, each handling one step. */
  public enum Screen {
    /** Typing a new application. */
    INTAKE,
    /** Entering the credit report. */
    CREDIT,
    /** Entering the appraisal. */
    APPRAISAL,
    /** Waiting for, or making, the underwriting decision. */
    UNDERWRITING,
    /** Scheduling the closing. */
    CLOSING,
    /** Funding. */
    FUNDING,
    /** Nothing more to do on this loan. */
    DONE;

    private final String key = name().toLowerCase(Locale.ROOT);

    /** The value stored under {@link #SCREEN}: the name in lower case. */
    public String key() {
      return key;
    }
  }

  private ResumePoints() {}

  /**
   * The resume point after an acknowledged command.
   *
   * @param before the session's resume point before the command
   * @param command the command
   * @param result the result it was acknowledged with
   * @throws IllegalArgumentException if the result does not answer the command
   */
  public static ResumePoint after(ResumePoint before, LoanCommand command, LoanResult result) {
    if (command instanceof LoanCommand.Query) {
      return before;
    }
    if (command instanceof LoanCommand.EnterIntakeField typed
        && result instanceof LoanResult.FieldAccepted accepted) {
      String key = TYPED + typed.field().key();
      return screenOf(before).equals(Optional.of(Screen.INTAKE))
          ? before.with(key, accepted.value())
          : ResumePoint.of(SCREEN, Screen.INTAKE.key(), key, accepted.value());
    }
    if (command instanceof LoanCommand.SubmitApplication
        && result instanceof LoanResult.ApplicationSubmitted submitted) {
      return at(submitted.loanId(), Screen.CREDIT);
    }
    if (command instanceof LoanCommand.RecordCreditReport
        && result instanceof LoanResult.CreditReportRecorded recorded) {
      return at(recorded.loanId(), Screen.APPRAISAL);
    }
    if (command instanceof LoanCommand.RecordAppraisal
        && result instanceof LoanResult.AppraisalRecorded recorded) {
      return at(recorded.loanId(), Screen.UNDERWRITING);
    }
    if ((command instanceof LoanCommand.Underwrite
            || command instanceof LoanCommand.DeclineApplication)
        && result instanceof LoanResult.Decided decided) {
      return decided.decision().approved()
          ? at(decided.loanId(), Screen.CLOSING)
          : done(decided.loanId(), "declined");
    }
    if (command instanceof LoanCommand.ScheduleClosing
        && result instanceof LoanResult.ClosingScheduled scheduled) {
      return at(scheduled.loanId(), Screen.FUNDING)
          .with(CLOSING_DATE, scheduled.closingDate().toString());
    }
    if (command instanceof LoanCommand.RescheduleClosing
        && result instanceof LoanResult.ClosingRescheduled rescheduled) {
      return at(rescheduled.loanId(), Screen.FUNDING)
          .with(CLOSING_DATE, rescheduled.closingDate().toString());
    }
    if (command instanceof LoanCommand.FundLoan && result instanceof LoanResult.LoanFunded funded) {
      return done(funded.loanId(), "funded");
    }
    if (command instanceof LoanCommand.WithdrawApplication
        && result instanceof LoanResult.ApplicationWithdrawn withdrawn) {
      return done(withdrawn.loanId(), "withdrawn");
    }
    throw new IllegalArgumentException(
        "result "
            + result.getClass().getSimpleName()
            + " does not answer command "
            + command.getClass().getSimpleName());
  }

  /** The screen a resume point names, if any. */
  public static Optional<Screen> screenOf(ResumePoint point) {
    return point.get(SCREEN).flatMap(ResumePoints::screenNamed);
  }

  private static Optional<Screen> screenNamed(String key) {
    for (Screen screen : Screen.values()) {
      if (screen.key().equals(key)) {
        return Optional.of(screen);
      }
    }
    return Optional.empty();
  }

  private static ResumePoint at(String loanId, Screen screen) {
    return ResumePoint.of(LOAN, loanId, SCREEN, screen.key());
  }

  private static ResumePoint done(String loanId, String outcome) {
    return ResumePoint.of(LOAN, loanId, SCREEN, Screen.DONE.key(), OUTCOME, outcome);
  }
}
