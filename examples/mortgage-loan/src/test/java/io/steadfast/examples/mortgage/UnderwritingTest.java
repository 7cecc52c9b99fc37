package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rules at and around their thresholds. Every request here borrows 200,000 at 6% over 360
 * months, a payment of 1,199.10, unless it says otherwise.
 */
class UnderwritingTest {

  private static LoanRequest request(
      String income, String debts, String propertyValue, String amount) {
    return new LoanRequest(
        "Test Borrower",
        money(income),
        money(debts),
        money(propertyValue),
        money(amount),
        360,
        money("6"));
  }

  @ParameterizedTest(name = "score {0} approvable: {1}")
  @CsvSource({"619, false", "620, true", "621, true", "300, false", "850, true"})
  void assess_creditScoreAroundMinimum_declinesBelow620(int score, boolean approvable) {
    Underwriting.Assessment assessment =
        Underwriting.assess(request("10000", "0", "400000", "200000"), score, null);

    assertThat(assessment.approvable()).isEqualTo(approvable);
    if (!approvable) {
      assertThat(assessment.reasons()).containsExactly(DeclineReason.CREDIT_SCORE_TOO_LOW);
    }
  }

  @ParameterizedTest(name = "debts {0}: approvable {1}, DTI {2}")
  @CsvSource({
    // 0.43 × 10,000.00 = 4,300.00 = 3,100.90 + 1,199.10: exactly at the limit
    "3100.90, true, 0.4300",
    "3100.89, true, 0.4300",
    "3100.91, false, 0.4300",
    "3150.00, false, 0.4349",
    "0.00, true, 0.1199",
  })
  void assess_debtToIncomeAroundLimit_exactComparison(
      String debts, boolean approvable, String displayedRatio) {
    Underwriting.Assessment assessment =
        Underwriting.assess(request("10000", debts, "400000", "200000"), 700, null);

    assertThat(assessment.monthlyPayment()).isEqualTo(money("1199.10"));
    assertThat(assessment.debtToIncome()).isEqualTo(money(displayedRatio));
    assertThat(assessment.approvable()).isEqualTo(approvable);
    if (!approvable) {
      assertThat(assessment.reasons()).containsExactly(DeclineReason.DEBT_TO_INCOME_TOO_HIGH);
    }
  }

  @ParameterizedTest(name = "value {0}: approvable {1}, mortgage insurance {2}")
  @CsvSource({
    // 200,000 / 250,000 = exactly 80%
    "250000.00, true, false, 0.8000",
    "249999.99, true, true, 0.8000",
    // 200,000 / 210,526.32 = 94.99999...%; / 210,526.31 = 95.0000002...%
    "210526.32, true, true, 0.9500",
    "210526.31, false, false, 0.9500",
    "400000.00, true, false, 0.5000",
    "200000.00, false, false, 1.0000",
  })
  void assess_loanToValueAroundLimits_insuranceOrDecline(
      String value, boolean approvable, boolean insurance, String displayedRatio) {
    Underwriting.Assessment assessment =
        Underwriting.assess(request("20000", "0", value, "200000"), 700, null);

    assertThat(assessment.loanToValue()).isEqualTo(money(displayedRatio));
    assertThat(assessment.approvable()).isEqualTo(approvable);
    assertThat(assessment.conditions().contains(Condition.MORTGAGE_INSURANCE)).isEqualTo(insurance);
    if (!approvable) {
      assertThat(assessment.reasons()).containsExactly(DeclineReason.LOAN_TO_VALUE_TOO_HIGH);
    }
  }

  @Test
  void assess_ltvExactly95Percent_approvableWithInsurance() {
    Underwriting.Assessment assessment =
        Underwriting.assess(request("20000", "0", "200000", "190000"), 700, null);

    assertThat(assessment.approvable()).isTrue();
    assertThat(assessment.conditions()).containsExactly(Condition.MORTGAGE_INSURANCE);
    assertThat(assessment.loanToValue()).isEqualTo(money("0.9500"));
  }

  @Test
  void assess_lowerAppraisal_usedInsteadOfDeclaredValue() {
    LoanRequest request = request("20000", "0", "250000", "200000");

    assertThat(Underwriting.assess(request, 700, money("240000")).conditions())
        .containsExactly(Condition.MORTGAGE_INSURANCE);
    assertThat(Underwriting.assess(request, 700, money("300000")).conditions()).isEmpty();
    assertThat(Underwriting.assess(request, 700, money("200000")).reasons())
        .containsExactly(DeclineReason.LOAN_TO_VALUE_TOO_HIGH);
  }

  @Test
  void assess_everyRuleFails_reasonsInRuleOrder() {
    Underwriting.Assessment assessment =
        Underwriting.assess(request("3000", "1000", "200000", "200000"), 580, null);

    assertThat(assessment.reasons())
        .containsExactly(
            DeclineReason.CREDIT_SCORE_TOO_LOW,
            DeclineReason.DEBT_TO_INCOME_TOO_HIGH,
            DeclineReason.LOAN_TO_VALUE_TOO_HIGH);
    assertThat(assessment.conditions()).isEmpty();
  }

  @Test
  void thresholds_areThoseTheJavadocStates() {
    assertThat(Underwriting.MIN_CREDIT_SCORE).isEqualTo(620);
    assertThat(Underwriting.MAX_DEBT_TO_INCOME).isEqualByComparingTo(new BigDecimal("0.43"));
    assertThat(Underwriting.MAX_LOAN_TO_VALUE_WITHOUT_INSURANCE)
        .isEqualByComparingTo(new BigDecimal("0.80"));
    assertThat(Underwriting.MAX_LOAN_TO_VALUE).isEqualByComparingTo(new BigDecimal("0.95"));
  }
}
