package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Records refuse bad fields when built, naming the field and the value. */
class ValidationTest {

  private static LoanRequest request(
      String name,
      String income,
      String debts,
      String value,
      String amount,
      int term,
      String rate) {
    return new LoanRequest(
        name, money(income), money(debts), money(value), money(amount), term, money(rate));
  }

  @Test
  void loanRequest_badField_namesFieldAndValue() {
    Map<String, ThrowingCallable> cases =
        Map.of(
            "borrowerName must be 1 to 100 characters and not blank: '  '",
            () -> request("  ", "1", "0", "1", "1000", 360, "6"),
            "monthlyIncome must be between 0.01 and 10000000.00: 0",
            () -> request("A", "0", "0", "1", "1000", 360, "6"),
            "monthlyDebts must be a whole number of cents: 10.005",
            () -> request("A", "1", "10.005", "1", "1000", 360, "6"),
            "loanAmount must be between 1000.00 and 10000000.00: 999.99",
            () -> request("A", "1", "0", "1", "999.99", 360, "6"),
            "termMonths must be between 12 and 480: 481",
            () -> request("A", "1", "0", "1", "1000", 481, "6"),
            "annualRatePercent must have at most 3 decimals: 6.0625",
            () -> request("A", "1", "0", "1", "1000", 360, "6.0625"),
            "annualRatePercent must be between 0 and 25: 25.001",
            () -> request("A", "1", "0", "1", "1000", 360, "25.001"));

    cases.forEach(
        (message, call) ->
            assertThatThrownBy(call)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message));
  }

  @Test
  void loanRequest_equalAmountsWithOtherScales_areEqual() {
    assertThat(request("A", "8000", "0", "300000.0", "200000", 360, "6"))
        .isEqualTo(request("A", "8000.00", "0.000", "300000", "200000.00", 360, "6.000"));
  }

  @Test
  void commands_badFields_refused() {
    Map<String, ThrowingCallable> cases =
        Map.of(
            "loanId must be L- and 6 to 18 digits: L-12",
            () -> new LoanCommand.FundLoan("L-12"),
            "creditScore must be between 300 and 850: 299",
            () -> new LoanCommand.RecordCreditReport("L-000001", 299),
            "limit must be between 1 and 1000: 0",
            () -> new LoanCommand.ListPipeline(LoanStage.APPLIED, 0),
            "reason must be 1 to 500 characters and not blank: ' '",
            () -> new LoanCommand.WithdrawApplication("L-000001", " "),
            "termMonths must be between 12 and 480: 6",
            () -> new LoanCommand.EnterIntakeField(IntakeField.TERM_MONTHS, "6"),
            "monthlyIncome must be a number: 'lots'",
            () -> new LoanCommand.EnterIntakeField(IntakeField.MONTHLY_INCOME, "lots"));

    cases.forEach(
        (message, call) ->
            assertThatThrownBy(call)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message));
  }

  @Test
  void underwrite_conditions_sortedWithoutDuplicates() {
    LoanCommand.Underwrite command =
        new LoanCommand.Underwrite(
            "L-000001",
            Verdict.APPROVE,
            List.of(Condition.CLEAR_TITLE, Condition.PROOF_OF_INCOME, Condition.CLEAR_TITLE),
            "");

    assertThat(command.conditions())
        .containsExactly(Condition.PROOF_OF_INCOME, Condition.CLEAR_TITLE);
  }

  @Test
  void intakeField_canonicalFormMatchesTheRequestComponent() {
    LoanRequest request = request("Ada", "8000", "450.5", "300000", "200000", 360, "6.25");

    for (IntakeField field : IntakeField.values()) {
      assertThat(field.canonical(field.textOf(request))).isEqualTo(field.textOf(request));
      assertThat(IntakeField.ofKey(field.key())).isEqualTo(field);
    }
    assertThat(IntakeField.MONTHLY_DEBTS.textOf(request)).isEqualTo("450.50");
    assertThat(IntakeField.ANNUAL_RATE_PERCENT.canonical(" 6.25 ")).isEqualTo("6.250");
  }

  @Test
  void loan_partsThatDoNotMatchTheStage_refused() {
    LoanRequest request = Fixtures.goodRequest("Ada");
    LocalDate day = LocalDate.of(2024, 3, 1);

    assertThatThrownBy(
            () ->
                new Loan(
                    "L-000001",
                    "olivia",
                    LoanStage.APPRAISED,
                    request,
                    money("1199.10"),
                    day,
                    new Loan.CreditReport(700, "olivia", day),
                    null,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loan L-000001 in stage APPRAISED needs appraisal");
    assertThatThrownBy(
            () ->
                new Loan(
                    "L-000001",
                    "olivia",
                    LoanStage.APPLIED,
                    request,
                    money("1199.10"),
                    day,
                    new Loan.CreditReport(700, "olivia", day),
                    null,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loan L-000001 in stage APPLIED must not have creditReport");
  }
}
