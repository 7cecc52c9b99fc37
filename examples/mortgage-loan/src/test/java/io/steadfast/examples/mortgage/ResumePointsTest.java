package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.CLOSER;
import static io.steadfast.examples.mortgage.Fixtures.OFFICER;
import static io.steadfast.examples.mortgage.Fixtures.UNDERWRITER;
import static io.steadfast.examples.mortgage.Fixtures.goodRequest;
import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.session.ResumePoint;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumePointsTest {

  private final Harness harness = new Harness();

  @Test
  void typing_accumulatesCanonicalFieldsOnTheIntakeScreen() {
    harness.apply(
        OFFICER, new LoanCommand.EnterIntakeField(IntakeField.BORROWER_NAME, "Ada Abara"));
    harness.apply(OFFICER, new LoanCommand.EnterIntakeField(IntakeField.MONTHLY_INCOME, "8000"));
    harness.apply(
        OFFICER, new LoanCommand.EnterIntakeField(IntakeField.ANNUAL_RATE_PERCENT, "6.5"));

    assertThat(harness.resumePoint("olivia"))
        .isEqualTo(
            ResumePoint.of(
                "screen", "intake",
                "typed.borrowerName", "Ada Abara",
                "typed.monthlyIncome", "8000.00",
                "typed.annualRatePercent", "6.500"));
  }

  @Test
  void typing_afterAnotherScreen_startsAFreshIntake() {
    String id = Fixtures.submitted(harness, goodRequest("Old"));

    harness.apply(OFFICER, new LoanCommand.EnterIntakeField(IntakeField.TERM_MONTHS, "180"));

    assertThat(harness.resumePoint("olivia"))
        .isEqualTo(ResumePoint.of("screen", "intake", "typed.termMonths", "180"));
    assertThat(id).isEqualTo("L-000001");
  }

  @Test
  void pipeline_eachStepMovesToTheNextScreen() {
    harness.apply(OFFICER, new LoanCommand.EnterIntakeField(IntakeField.BORROWER_NAME, "Ada"));
    String id = Fixtures.submitted(harness, goodRequest("Ada"));
    assertThat(harness.resumePoint("olivia")).isEqualTo(at(id, "credit"));

    harness.apply(OFFICER, new LoanCommand.RecordCreditReport(id, 700));
    assertThat(harness.resumePoint("olivia")).isEqualTo(at(id, "appraisal"));

    harness.apply(OFFICER, new LoanCommand.RecordAppraisal(id, money("300000")));
    assertThat(harness.resumePoint("olivia")).isEqualTo(at(id, "underwriting"));

    harness.apply(UNDERWRITER, new LoanCommand.Underwrite(id, Verdict.APPROVE, List.of(), ""));
    assertThat(harness.resumePoint("umar")).isEqualTo(at(id, "closing"));

    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(id, LocalDate.of(2024, 3, 20)));
    assertThat(harness.resumePoint("chloe"))
        .isEqualTo(at(id, "funding").with("closingDate", "2024-03-20"));

    harness.apply(CLOSER, new LoanCommand.RescheduleClosing(id, LocalDate.of(2024, 3, 27)));
    assertThat(harness.resumePoint("chloe"))
        .isEqualTo(at(id, "funding").with("closingDate", "2024-03-27"));

    harness.apply(CLOSER, new LoanCommand.FundLoan(id));
    assertThat(harness.resumePoint("chloe")).isEqualTo(done(id, "funded"));
    assertThat(harness.resumePoint("olivia")).isEqualTo(at(id, "underwriting"));
  }

  @Test
  void declinesAndWithdrawals_endOnTheDoneScreen() {
    String declined = Fixtures.appraised(harness, goodRequest("D"), 500, "300000");
    harness.apply(
        UNDERWRITER, new LoanCommand.Underwrite(declined, Verdict.APPROVE, List.of(), ""));
    assertThat(harness.resumePoint("umar")).isEqualTo(done(declined, "declined"));

    String judged = Fixtures.submitted(harness, goodRequest("J"));
    harness.apply(UNDERWRITER, new LoanCommand.DeclineApplication(judged, "fraud"));
    assertThat(harness.resumePoint("umar")).isEqualTo(done(judged, "declined"));

    String withdrawn = Fixtures.submitted(harness, goodRequest("W"));
    harness.apply(OFFICER, new LoanCommand.WithdrawApplication(withdrawn, "moved"));
    assertThat(harness.resumePoint("olivia")).isEqualTo(done(withdrawn, "withdrawn"));
  }

  @Test
  void after_query_keepsThePreviousPoint() {
    ResumePoint before = at("L-000007", "appraisal");

    ResumePoint after =
        ResumePoints.after(
            before,
            new LoanCommand.GetLoan("L-000007"),
            new LoanResult.CreditReportRecorded("L-000007", 700));

    assertThat(after).isSameAs(before);
  }

  @Test
  void after_resultThatDoesNotAnswerTheCommand_refused() {
    assertThatThrownBy(
            () ->
                ResumePoints.after(
                    ResumePoint.start(),
                    new LoanCommand.FundLoan("L-000001"),
                    new LoanResult.CreditReportRecorded("L-000001", 700)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CreditReportRecorded does not answer command FundLoan");
  }

  @Test
  void screenOf_readsTheScreenKey() {
    assertThat(ResumePoints.screenOf(at("L-000001", "closing")))
        .contains(ResumePoints.Screen.CLOSING);
    assertThat(ResumePoints.screenOf(ResumePoint.start())).isEmpty();
    assertThat(ResumePoints.screenOf(ResumePoint.of("screen", "lunch"))).isEmpty();
  }

  private static ResumePoint at(String loanId, String screen) {
    return ResumePoint.of("loan", loanId, "screen", screen);
  }

  private static ResumePoint done(String loanId, String outcome) {
    return ResumePoint.of("loan", loanId, "screen", "done", "outcome", outcome);
  }
}
