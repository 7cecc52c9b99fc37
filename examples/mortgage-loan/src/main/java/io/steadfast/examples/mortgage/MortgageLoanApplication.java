package io.steadfast.examples.mortgage;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.Health;
import io.steadfast.api.QueryContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.codec.jackson.JacksonCodec;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The Mortgage Loan Production System as a Steadfast application: the loan pipeline, replicated.
 *
 * <p><b>Created by the runtime</b>, one instance per node, through the factory given to the node
 * builder ({@code MortgageLoanApplication::new}); encode its commands with {@link #codec()}.
 *
 * <p><b>Determinism.</b> {@code apply} reads no clock: dates are the UTC day of {@link
 * ApplyContext#timestamp()}, loan ids come from a counter in the state ({@code L-000001}, {@code
 * L-000002}, …), state is kept in sorted maps and money is exact {@link java.math.BigDecimal}
 * arithmetic.
 *
 * <p><b>Failure atomicity.</b> {@code apply} first checks everything and builds the new loan value,
 * and only then stores it. A command that does not fit throws, and the state is exactly as before:
 * {@link UnknownLoanException} for an unknown id, {@link IllegalLoanStateException} for a command
 * the loan's stage does not allow, {@link IllegalArgumentException} for a closing date outside the
 * approval's validity or a reschedule to the same day.
 *
 * <p><b>Releases.</b> This is release 2: it adds {@link LoanCommand.RescheduleClosing}, marked
 * {@link io.steadfast.api.Since} 2, and changes nothing release 1 did, so a cluster can be upgraded
 * member by member while it serves and the new command enabled by finalizing version 2 (see {@link
 * #supportedVersion()} and {@link #asRelease1()}).
 *
 * <p><b>Resume points.</b> Every {@code apply} sets the session's resume point to {@link
 * ResumePoints#after}{@code (previous, command, result)}.
 *
 * <p><b>Threads.</b> As {@link ResilientApplication} says: {@code apply}, {@code checkpoint} and
 * {@code restore} on the apply thread, one at a time; {@code query} on request threads, possibly
 * several at once but never during those three, and it only reads; {@code health} reads no state.
 */
public final class MortgageLoanApplication
    implements ResilientApplication<LoanCommand, LoanResult> {

  /** How many days after approval a closing may be scheduled; the approval expires after that. */
  public static final int APPROVAL_VALID_DAYS = 90;

  /** The release this code is: 2, which added {@link LoanCommand.RescheduleClosing}. */
  public static final int RELEASE = 2;

  private final int release;
  private LoanBook book = new LoanBook();

  /** An empty pipeline; the runtime restores the state from a checkpoint when there is one. */
  public MortgageLoanApplication() {
    this(RELEASE);
  }

  private MortgageLoanApplication(int release) {
    this.release = release;
  }

  /**
   * An empty pipeline that behaves as release 1 shipped: it supports application version 1 only and
   * does not know {@link LoanCommand.RescheduleClosing}. Release 2 changed nothing else, so this is
   * release 1's behaviour exactly; it stands in for the release 1 artifact where a test or a trial
   * needs the previous release beside this one (the certification suite's upgrade rules, a rolling
   * upgrade rehearsal). Not for production: run the release you ship.
   */
  public static MortgageLoanApplication asRelease1() {
    return new MortgageLoanApplication(1);
  }

  /**
   * The codec for this application's commands and results: JSON, each record tagged with its simple
   * name. One shared, thread-safe instance.
   */
  public static JacksonCodec<LoanCommand, LoanResult> codec() {
    return CodecHolder.CODEC;
  }

  @Override
  public LoanResult apply(LoanCommand command, ApplyContext context) {
    Objects.requireNonNull(command, "command");
    ResumePoint before = context.resumePoint();
    if (command instanceof LoanCommand.Query query) {
      LoanResult answer = answer(query);
      context.setResumePoint(before);
      return answer;
    }
    Change change = decide(command, context);
    ResumePoint after = ResumePoints.after(before, command, change.result());
    if (change.loan() != null) {
      if (change.isNew()) {
        book.add(change.loan());
      } else {
        book.put(change.loan());
      }
    }
    context.setResumePoint(after);
    return change.result();
  }

  /**
   * Answers a {@link LoanCommand.Query}.
   *
   * @throws IllegalArgumentException if {@code request} is not a query
   * @throws UnknownLoanException if it names an unknown loan
   */
  @Override
  public LoanResult query(LoanCommand request, QueryContext context) {
    if (request instanceof LoanCommand.Query query) {
      return answer(query);
    }
    throw new IllegalArgumentException(
        "not a query, submit it as a command: " + request.getClass().getSimpleName());
  }

  /** Writes every loan in id order; see the format in the package's {@code LoanCheckpoint}. */
  @Override
  public void checkpoint(CheckpointWriter out) throws IOException {
    LoanCheckpoint.write(book.live(), out);
  }

  /**
   * Shares the book's pages with the checkpoint instead of writing them now: the runtime writes
   * them on its checkpoint thread while commands go on, and the book copies a page before it next
   * changes it. Costs a copy of the page table (about a thousand references per million loans).
   */
  @Override
  public FrozenState freeze() {
    LoanBook.Snapshot frozen = book.freeze();
    return out -> LoanCheckpoint.write(frozen, out);
  }

  /**
   * Replaces the state with the checkpoint's; the state is untouched if this throws.
   *
   * @throws IOException if the checkpoint's version is not {@link #checkpointVersion()} or its
   *     content is truncated or inconsistent
   */
  @Override
  public void restore(CheckpointReader in) throws IOException {
    book = LoanCheckpoint.read(in);
  }

  /** Version 1, unchanged since release 1, so that both releases can run side by side. */
  @Override
  public int checkpointVersion() {
    return LoanCheckpoint.VERSION;
  }

  /**
   * 2 ({@link #RELEASE}); 1 for {@link #asRelease1()}. Until an operator finalizes version 2 the
   * cluster refuses {@link LoanCommand.RescheduleClosing} at the door, and everything else behaves
   * as in release 1.
   */
  @Override
  public int supportedVersion() {
    return release;
  }

  /** Always up: the pipeline has no external dependency that could fail. */
  @Override
  public Health health() {
    return Health.up();
  }

  /** A new loan value to store (or none) and the result, computed without changing anything. */
  private record Change(@Nullable Loan loan, boolean isNew, LoanResult result) {}

  private Change decide(LoanCommand command, ApplyContext context) {
    String user = context.principal().user();
    LocalDate today = LocalDate.ofInstant(context.timestamp(), ZoneOffset.UTC);
    String action = command.getClass().getSimpleName();

    if (command instanceof LoanCommand.EnterIntakeField typed) {
      return new Change(null, false, new LoanResult.FieldAccepted(typed.field(), typed.value()));
    }
    if (command instanceof LoanCommand.SubmitApplication submit) {
      Loan loan = Loan.submitted(book.nextLoanId(), user, submit.request(), today);
      return new Change(
          loan,
          true,
          new LoanResult.ApplicationSubmitted(loan.loanId(), loan.monthlyPayment(), today));
    }
    if (command instanceof LoanCommand.RecordCreditReport credit) {
      Loan loan = book.get(credit.loanId());
      loan.requireStage(LoanStage.APPLIED, action);
      Loan updated =
          loan.withCreditReport(new Loan.CreditReport(credit.creditScore(), user, today));
      return new Change(
          updated, false, new LoanResult.CreditReportRecorded(loan.loanId(), credit.creditScore()));
    }
    if (command instanceof LoanCommand.RecordAppraisal appraisal) {
      Loan loan = book.get(appraisal.loanId());
      loan.requireStage(LoanStage.CREDIT_CHECKED, action);
      Loan updated =
          loan.withAppraisal(new Loan.Appraisal(appraisal.appraisedValue(), user, today));
      return new Change(
          updated,
          false,
          new LoanResult.AppraisalRecorded(
              loan.loanId(),
              appraisal.appraisedValue(),
              Underwriting.loanToValue(loan.request(), appraisal.appraisedValue())));
    }
    if (command instanceof LoanCommand.Underwrite underwrite) {
      Loan loan = book.get(underwrite.loanId());
      loan.requireStage(LoanStage.APPRAISED, action);
      Loan.Decision decision = underwrite(loan, underwrite, user, today);
      return new Change(
          loan.withDecision(decision), false, new LoanResult.Decided(loan.loanId(), decision));
    }
    if (command instanceof LoanCommand.DeclineApplication decline) {
      Loan loan = book.get(decline.loanId());
      loan.requireMove(LoanStage.DECLINED, action);
      Loan.Appraisal appraisal = loan.appraisal();
      Loan.Decision decision =
          new Loan.Decision(
              false,
              List.of(DeclineReason.UNDERWRITER_DECLINED),
              List.of(),
              Underwriting.debtToIncome(loan.request()),
              Underwriting.loanToValue(
                  loan.request(), appraisal == null ? null : appraisal.appraisedValue()),
              user,
              today,
              decline.note());
      return new Change(
          loan.withDecision(decision), false, new LoanResult.Decided(loan.loanId(), decision));
    }
    if (command instanceof LoanCommand.ScheduleClosing schedule) {
      Loan loan = book.get(schedule.loanId());
      loan.requireStage(LoanStage.APPROVED, action);
      checkClosingDate(loan, schedule.closingDate());
      Loan updated = loan.withClosing(new Loan.Closing(schedule.closingDate(), user, today));
      return new Change(
          updated, false, new LoanResult.ClosingScheduled(loan.loanId(), schedule.closingDate()));
    }
    if (command instanceof LoanCommand.RescheduleClosing reschedule && release >= 2) {
      Loan loan = book.get(reschedule.loanId());
      loan.requireStage(LoanStage.CLOSING_SCHEDULED, action);
      LocalDate previous = Objects.requireNonNull(loan.closing(), "closing").closingDate();
      if (reschedule.closingDate().equals(previous)) {
        throw new IllegalArgumentException(
            "closingDate for loan " + loan.loanId() + " is already " + previous);
      }
      checkClosingDate(loan, reschedule.closingDate());
      Loan updated = loan.withClosing(new Loan.Closing(reschedule.closingDate(), user, today));
      return new Change(
          updated,
          false,
          new LoanResult.ClosingRescheduled(loan.loanId(), previous, reschedule.closingDate()));
    }
    if (command instanceof LoanCommand.FundLoan fund) {
      Loan loan = book.get(fund.loanId());
      loan.requireStage(LoanStage.CLOSING_SCHEDULED, action);
      Loan.Funding funding = new Loan.Funding(loan.request().loanAmount(), user, today);
      return new Change(
          loan.withFunding(funding),
          false,
          new LoanResult.LoanFunded(loan.loanId(), funding.amount(), today));
    }
    if (command instanceof LoanCommand.WithdrawApplication withdraw) {
      Loan loan = book.get(withdraw.loanId());
      loan.requireMove(LoanStage.WITHDRAWN, action);
      Loan.Withdrawal withdrawal =
          new Loan.Withdrawal(loan.stage(), withdraw.reason(), user, today);
      return new Change(
          loan.withWithdrawal(withdrawal),
          false,
          new LoanResult.ApplicationWithdrawn(loan.loanId(), loan.stage()));
    }
    throw new IllegalArgumentException("unknown loan command: " + action);
  }

  /** A closing must fall from the day of approval to the day the approval expires. */
  private static void checkClosingDate(Loan loan, LocalDate closingDate) {
    LocalDate approvedOn = Objects.requireNonNull(loan.decision(), "decision").decidedOn();
    LocalDate expires = approvedOn.plusDays(APPROVAL_VALID_DAYS);
    if (closingDate.isBefore(approvedOn) || closingDate.isAfter(expires)) {
      throw new IllegalArgumentException(
          "closingDate for loan "
              + loan.loanId()
              + " must be from "
              + approvedOn
              + " to "
              + expires
              + ": "
              + closingDate);
    }
  }

  private static Loan.Decision underwrite(
      Loan loan, LoanCommand.Underwrite command, String underwriter, LocalDate today) {
    Loan.CreditReport credit = Objects.requireNonNull(loan.creditReport(), "creditReport");
    Loan.Appraisal appraisal = Objects.requireNonNull(loan.appraisal(), "appraisal");
    Underwriting.Assessment assessment =
        Underwriting.assess(loan.request(), credit.creditScore(), appraisal.appraisedValue());
    if (command.verdict() == Verdict.APPROVE && assessment.approvable()) {
      TreeSet<Condition> conditions = new TreeSet<>(assessment.conditions());
      conditions.addAll(command.conditions());
      return new Loan.Decision(
          true,
          List.of(),
          List.copyOf(conditions),
          assessment.debtToIncome(),
          assessment.loanToValue(),
          underwriter,
          today,
          command.note());
    }
    List<DeclineReason> reasons = new ArrayList<>();
    if (command.verdict() == Verdict.DECLINE) {
      reasons.add(DeclineReason.UNDERWRITER_DECLINED);
    }
    reasons.addAll(assessment.reasons());
    return new Loan.Decision(
        false,
        reasons,
        List.of(),
        assessment.debtToIncome(),
        assessment.loanToValue(),
        underwriter,
        today,
        command.note());
  }

  private LoanResult answer(LoanCommand.Query query) {
    if (query instanceof LoanCommand.GetLoan get) {
      return new LoanResult.LoanDetails(book.get(get.loanId()));
    }
    if (query instanceof LoanCommand.ListPipeline list) {
      return new LoanResult.Pipeline(
          list.stage(), book.inStage(list.stage(), list.limit()), book.countInStage(list.stage()));
    }
    if (query instanceof LoanCommand.GetSchedule get) {
      LoanRequest request = book.get(get.loanId()).request();
      return new LoanResult.Schedule(
          get.loanId(),
          Amortization.schedule(
              request.loanAmount(), request.annualRatePercent(), request.termMonths()));
    }
    throw new IllegalArgumentException("unknown loan query: " + query.getClass().getSimpleName());
  }

  /** Builds the codec on first use, so that merely loading the class does not start Jackson. */
  private static final class CodecHolder {
    static final JacksonCodec<LoanCommand, LoanResult> CODEC =
        JacksonCodec.of(LoanCommand.class, LoanResult.class);
  }
}
