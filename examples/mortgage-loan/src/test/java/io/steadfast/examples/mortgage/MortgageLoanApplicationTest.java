package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.CLOSER;
import static io.steadfast.examples.mortgage.Fixtures.OFFICER;
import static io.steadfast.examples.mortgage.Fixtures.UNDERWRITER;
import static io.steadfast.examples.mortgage.Fixtures.goodRequest;
import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.Health;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class MortgageLoanApplicationTest {

  private static final LocalDate DAY_ONE = LocalDate.of(2024, 3, 1);

  private final Harness harness = new Harness();

  @Test
  void apply_happyPath_fundsLoanAndRecordsEveryStep() {
    String id = Fixtures.approved(harness, goodRequest("Ada Abara"));
    LoanResult scheduled =
        harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.plusDays(30)));
    LoanResult funded = harness.apply(CLOSER, new LoanCommand.FundLoan(id));

    assertThat(scheduled).isEqualTo(new LoanResult.ClosingScheduled(id, DAY_ONE.plusDays(30)));
    assertThat(funded).isEqualTo(new LoanResult.LoanFunded(id, money("200000.00"), DAY_ONE));
    Loan loan = Fixtures.loan(harness, id);
    assertThat(loan.stage()).isEqualTo(LoanStage.FUNDED);
    assertThat(loan.officer()).isEqualTo("olivia");
    assertThat(loan.monthlyPayment()).isEqualTo(money("1199.10"));
    assertThat(loan.creditReport()).isEqualTo(new Loan.CreditReport(740, "olivia", DAY_ONE));
    assertThat(loan.decision().underwriter()).isEqualTo("umar");
    assertThat(loan.decision().debtToIncome()).isEqualTo(money("0.2124"));
    assertThat(loan.decision().loanToValue()).isEqualTo(money("0.6667"));
    assertThat(loan.closing().scheduledBy()).isEqualTo("chloe");
    assertThat(loan.funding()).isEqualTo(new Loan.Funding(money("200000.00"), "chloe", DAY_ONE));
  }

  @Test
  void apply_submissions_getSequentialIdsAndTheLeaderDay() {
    LoanResult first =
        harness.apply(OFFICER, new LoanCommand.SubmitApplication(goodRequest("A B")));
    LoanResult second =
        harness.apply(OFFICER, new LoanCommand.SubmitApplication(goodRequest("C D")));

    assertThat(first)
        .isEqualTo(new LoanResult.ApplicationSubmitted("L-000001", money("1199.10"), DAY_ONE));
    assertThat(((LoanResult.ApplicationSubmitted) second).loanId()).isEqualTo("L-000002");
  }

  @Test
  void apply_illegalTransitions_rejectedAndStateUnchanged() {
    String applied = Fixtures.submitted(harness, goodRequest("Applied"));
    String approved = Fixtures.approved(harness, goodRequest("Approved"));
    String withdrawn = Fixtures.submitted(harness, goodRequest("Withdrawn"));
    harness.apply(OFFICER, new LoanCommand.WithdrawApplication(withdrawn, "changed mind"));
    String funded = Fixtures.approved(harness, goodRequest("Funded"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(funded, DAY_ONE.plusDays(5)));
    harness.apply(CLOSER, new LoanCommand.FundLoan(funded));
    byte[] before = harness.checkpoint();

    List<LoanCommand> illegal =
        List.of(
            new LoanCommand.RecordAppraisal(applied, money("300000")),
            new LoanCommand.Underwrite(applied, Verdict.APPROVE, List.of(), ""),
            new LoanCommand.ScheduleClosing(applied, DAY_ONE),
            new LoanCommand.FundLoan(applied),
            new LoanCommand.FundLoan(approved),
            new LoanCommand.RecordCreditReport(approved, 700),
            new LoanCommand.Underwrite(approved, Verdict.APPROVE, List.of(), ""),
            new LoanCommand.WithdrawApplication(withdrawn, "again"),
            new LoanCommand.DeclineApplication(withdrawn, "too late"),
            new LoanCommand.RecordCreditReport(withdrawn, 700),
            new LoanCommand.WithdrawApplication(funded, "too late"),
            new LoanCommand.DeclineApplication(funded, "too late"),
            new LoanCommand.FundLoan(funded));
    for (LoanCommand command : illegal) {
      assertThatThrownBy(() -> harness.apply(OFFICER, command))
          .as(command.toString())
          .isInstanceOf(IllegalLoanStateException.class)
          .hasMessageContaining("cannot take " + command.getClass().getSimpleName());
      assertThat(harness.checkpoint()).as(command.toString()).isEqualTo(before);
    }
  }

  @Test
  void apply_rejection_carriesLoanStageAndAction() {
    String id = Fixtures.submitted(harness, goodRequest("Ada"));

    assertThatThrownBy(() -> harness.apply(CLOSER, new LoanCommand.FundLoan(id)))
        .isInstanceOfSatisfying(
            IllegalLoanStateException.class,
            e -> {
              assertThat(e.loanId()).isEqualTo(id);
              assertThat(e.stage()).isEqualTo(LoanStage.APPLIED);
              assertThat(e.action()).isEqualTo("FundLoan");
            });
  }

  @Test
  void apply_rejection_keepsThePreviousResumePoint() {
    String id = Fixtures.submitted(harness, goodRequest("Ada"));
    var before = harness.resumePoint(OFFICER.user());

    assertThatThrownBy(
            () -> harness.apply(OFFICER, new LoanCommand.RecordAppraisal(id, money("1"))))
        .isInstanceOf(IllegalLoanStateException.class);
    assertThat(harness.resumePoint(OFFICER.user())).isEqualTo(before);
  }

  @Test
  void apply_unknownLoan_rejectedAndStateUnchanged() {
    Fixtures.submitted(harness, goodRequest("Ada"));
    byte[] before = harness.checkpoint();

    assertThatThrownBy(
            () -> harness.apply(OFFICER, new LoanCommand.RecordCreditReport("L-000009", 700)))
        .isInstanceOf(UnknownLoanException.class)
        .hasMessage("unknown loan: L-000009");
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void apply_approveAgainstTheRules_declinesWithTheRulesReasons() {
    String id = Fixtures.appraised(harness, goodRequest("Low Score"), 600, "300000");

    LoanResult.Decided decided =
        (LoanResult.Decided)
            harness.apply(
                UNDERWRITER,
                new LoanCommand.Underwrite(
                    id, Verdict.APPROVE, List.of(Condition.PROOF_OF_INCOME), ""));

    assertThat(decided.decision().approved()).isFalse();
    assertThat(decided.decision().reasons()).containsExactly(DeclineReason.CREDIT_SCORE_TOO_LOW);
    assertThat(decided.decision().conditions()).isEmpty();
    assertThat(Fixtures.loan(harness, id).stage()).isEqualTo(LoanStage.DECLINED);
  }

  @Test
  void apply_approvalAbove80PercentLtv_addsInsuranceToUnderwriterConditions() {
    String id = Fixtures.appraised(harness, goodRequest("High Ltv"), 700, "220000");

    LoanResult.Decided decided =
        (LoanResult.Decided)
            harness.apply(
                UNDERWRITER,
                new LoanCommand.Underwrite(
                    id,
                    Verdict.APPROVE,
                    List.of(
                        Condition.PROOF_OF_INCOME,
                        Condition.CLEAR_TITLE,
                        Condition.PROOF_OF_INCOME),
                    "ok"));

    assertThat(decided.decision().approved()).isTrue();
    assertThat(decided.decision().conditions())
        .containsExactly(
            Condition.MORTGAGE_INSURANCE, Condition.PROOF_OF_INCOME, Condition.CLEAR_TITLE);
    assertThat(decided.decision().loanToValue()).isEqualTo(money("0.9091"));
  }

  @Test
  void apply_declineVerdict_declinesEvenWhenRulesPass() {
    String id = Fixtures.appraised(harness, goodRequest("Fine"), 800, "300000");

    LoanResult.Decided decided =
        (LoanResult.Decided)
            harness.apply(
                UNDERWRITER,
                new LoanCommand.Underwrite(
                    id, Verdict.DECLINE, List.of(), "employment not verified"));

    assertThat(decided.decision().reasons()).containsExactly(DeclineReason.UNDERWRITER_DECLINED);
    assertThat(decided.decision().note()).isEqualTo("employment not verified");
  }

  @Test
  void apply_declineApplicationAfterApproval_declinesBeforeFunding() {
    String id = Fixtures.approved(harness, goodRequest("Ada"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.plusDays(10)));

    harness.apply(UNDERWRITER, new LoanCommand.DeclineApplication(id, "fraud suspected"));

    Loan loan = Fixtures.loan(harness, id);
    assertThat(loan.stage()).isEqualTo(LoanStage.DECLINED);
    assertThat(loan.decision().reasons()).containsExactly(DeclineReason.UNDERWRITER_DECLINED);
    assertThat(loan.closing()).isNotNull();
  }

  @Test
  void apply_withdrawFromEveryOpenStage_recordsTheStage() {
    String applied = Fixtures.submitted(harness, goodRequest("A"));
    String appraised = Fixtures.appraised(harness, goodRequest("B"), 700, "300000");
    String approved = Fixtures.approved(harness, goodRequest("C"));

    for (String id : List.of(applied, appraised, approved)) {
      LoanStage stage = Fixtures.loan(harness, id).stage();
      LoanResult result = harness.apply(OFFICER, new LoanCommand.WithdrawApplication(id, "moved"));
      assertThat(result).isEqualTo(new LoanResult.ApplicationWithdrawn(id, stage));
      assertThat(Fixtures.loan(harness, id).withdrawal().fromStage()).isEqualTo(stage);
    }
  }

  @Test
  void apply_closingDateOutsideApprovalWindow_rejected() {
    String id = Fixtures.approved(harness, goodRequest("Ada"));
    byte[] before = harness.checkpoint();

    assertThatThrownBy(
            () -> harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.minusDays(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "closingDate for loan " + id + " must be from 2024-03-01 to 2024-05-30");
    assertThatThrownBy(
            () -> harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.plusDays(91))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(harness.checkpoint()).isEqualTo(before);
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.plusDays(90)));
    assertThat(Fixtures.loan(harness, id).stage()).isEqualTo(LoanStage.CLOSING_SCHEDULED);
  }

  @Test
  void apply_rescheduleClosing_movesTheDayAndTheResumePoint() {
    String id = Fixtures.approved(harness, goodRequest("Ada"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.plusDays(30)));

    LoanResult result =
        harness.apply(
            Fixtures.closer("carla"), new LoanCommand.RescheduleClosing(id, DAY_ONE.plusDays(40)));

    assertThat(result)
        .isEqualTo(
            new LoanResult.ClosingRescheduled(id, DAY_ONE.plusDays(30), DAY_ONE.plusDays(40)));
    Loan loan = Fixtures.loan(harness, id);
    assertThat(loan.stage()).isEqualTo(LoanStage.CLOSING_SCHEDULED);
    assertThat(loan.closing()).isEqualTo(new Loan.Closing(DAY_ONE.plusDays(40), "carla", DAY_ONE));
    assertThat(harness.resumePoint("carla").get(ResumePoints.CLOSING_DATE))
        .contains(DAY_ONE.plusDays(40).toString());
  }

  @Test
  void apply_rescheduleClosing_refusedOffTheWindowOnTheSameDayOrBeforeScheduling() {
    String approved = Fixtures.approved(harness, goodRequest("Approved"));
    String scheduled = Fixtures.approved(harness, goodRequest("Scheduled"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(scheduled, DAY_ONE.plusDays(30)));
    byte[] before = harness.checkpoint();

    assertThatThrownBy(
            () ->
                harness.apply(
                    CLOSER, new LoanCommand.RescheduleClosing(approved, DAY_ONE.plusDays(30))))
        .isInstanceOf(IllegalLoanStateException.class);
    assertThatThrownBy(
            () ->
                harness.apply(
                    CLOSER, new LoanCommand.RescheduleClosing(scheduled, DAY_ONE.plusDays(30))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is already 2024-03-31");
    assertThatThrownBy(
            () ->
                harness.apply(
                    CLOSER, new LoanCommand.RescheduleClosing(scheduled, DAY_ONE.plusDays(91))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be from 2024-03-01 to 2024-05-30");
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void releaseOne_supportsVersionOne_andDoesNotKnowRescheduleClosing() {
    Harness release1 = new Harness(MortgageLoanApplication.asRelease1());
    String id = Fixtures.approved(release1, goodRequest("Ada"));
    release1.apply(CLOSER, new LoanCommand.ScheduleClosing(id, DAY_ONE.plusDays(30)));
    byte[] before = release1.checkpoint();

    assertThat(release1.app().supportedVersion()).isEqualTo(1);
    assertThat(harness.app().supportedVersion()).isEqualTo(MortgageLoanApplication.RELEASE);
    assertThatThrownBy(
            () ->
                release1.apply(CLOSER, new LoanCommand.RescheduleClosing(id, DAY_ONE.plusDays(31))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown loan command: RescheduleClosing");
    assertThat(release1.checkpoint()).isEqualTo(before);
  }

  @Test
  void rescheduleClosing_isMarkedAsAddedByVersionTwo_andOnlyIt() {
    for (Class<?> type : LoanCommand.class.getPermittedSubclasses()) {
      if (type.isInterface()) {
        continue;
      }
      assertThat(io.steadfast.api.Since.Lookup.versionOf(type))
          .as(type.getSimpleName())
          .isEqualTo(type == LoanCommand.RescheduleClosing.class ? 2 : 1);
    }
  }

  @Test
  void query_listPipeline_oldestFirstWithLimitAndTotal() {
    for (String name : List.of("A", "B", "C", "D")) {
      Fixtures.submitted(harness, goodRequest(name));
    }
    harness.apply(OFFICER, new LoanCommand.RecordCreditReport("L-000002", 700));

    LoanResult.Pipeline pipeline =
        (LoanResult.Pipeline)
            harness.query(UNDERWRITER, new LoanCommand.ListPipeline(LoanStage.APPLIED, 2));

    assertThat(pipeline.loans()).extracting(Loan::loanId).containsExactly("L-000001", "L-000003");
    assertThat(pipeline.total()).isEqualTo(3);
  }

  @Test
  void query_schedule_isTheAmortizationOfTheRequest() {
    String id = Fixtures.submitted(harness, goodRequest("Ada"));

    LoanResult.Schedule schedule =
        (LoanResult.Schedule) harness.query(OFFICER, new LoanCommand.GetSchedule(id));

    assertThat(schedule.installments())
        .isEqualTo(Amortization.schedule(money("200000.00"), money("6.000"), 360));
  }

  @Test
  void query_commandThatChangesState_refused() {
    assertThatThrownBy(
            () -> harness.query(OFFICER, new LoanCommand.SubmitApplication(goodRequest("Ada"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a query")
        .hasMessageContaining("SubmitApplication");
    assertThat(harness.checkpoint()).isEqualTo(new Harness().checkpoint());
  }

  @Test
  void apply_query_answersWithoutChangingStateOrResumePoint() {
    String id = Fixtures.submitted(harness, goodRequest("Ada"));
    byte[] before = harness.checkpoint();
    var resume = harness.resumePoint(OFFICER.user());

    LoanResult result = harness.apply(OFFICER, new LoanCommand.GetLoan(id));

    assertThat(result).isEqualTo(harness.query(OFFICER, new LoanCommand.GetLoan(id)));
    assertThat(harness.checkpoint()).isEqualTo(before);
    assertThat(harness.resumePoint(OFFICER.user())).isEqualTo(resume);
  }

  @Test
  void healthAndVersion_upAndOne() {
    assertThat(harness.app().health()).isEqualTo(Health.up());
    assertThat(harness.app().checkpointVersion()).isEqualTo(1);
  }
}
