package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmortizationTest {

  @ParameterizedTest(name = "{0} at {1}% for {2} months pays {3}")
  @CsvSource({
    "200000, 6, 360, 1199.10",
    "100000, 5, 360, 536.82",
    "300000, 4.5, 180, 2294.98",
    "250000, 7.25, 360, 1705.44",
    "150000, 3.875, 240, 899.12",
    "12000, 0, 12, 1000.00",
    "1000, 0, 360, 2.78",
  })
  void monthlyPayment_publishedExamples_matchToTheCent(
      String principal, String rate, int months, String expected) {
    assertThat(Amortization.monthlyPayment(money(principal), money(rate), months))
        .isEqualTo(money(expected));
  }

  @Test
  void schedule_200kAt6Percent_splitsFirstMonthAndEndsAtZero() {
    List<Amortization.Installment> schedule =
        Amortization.schedule(money("200000.00"), money("6"), 360);

    assertThat(schedule).hasSize(360);
    Amortization.Installment first = schedule.get(0);
    assertThat(first.interest()).isEqualTo(money("1000.00"));
    assertThat(first.principal()).isEqualTo(money("199.10"));
    assertThat(first.balance()).isEqualTo(money("199800.90"));
    Amortization.Installment last = schedule.get(359);
    assertThat(last.balance()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(schedule.subList(0, 359))
        .allSatisfy(i -> assertThat(i.payment()).isEqualTo(money("1199.10")));
    assertThat(last.payment()).isNotEqualTo(money("1199.10"));
  }

  @Test
  void schedule_zeroRate_lastPaymentTakesTheRemainder() {
    List<Amortization.Installment> schedule =
        Amortization.schedule(money("1000.00"), money("0"), 360);

    assertThat(schedule).hasSize(360);
    assertThat(schedule.get(0).payment()).isEqualTo(money("2.78"));
    assertThat(schedule.get(359).payment()).isEqualTo(money("1.98"));
    assertThat(schedule).allSatisfy(i -> assertThat(i.interest()).isEqualByComparingTo("0"));
  }

  @Test
  void schedule_manySeededLoans_principalsSumToAmountAndBalanceEndsAtZero() {
    SplittableRandom random = new SplittableRandom(20240301L);
    for (int n = 0; n < 300; n++) {
      BigDecimal principal =
          BigDecimal.valueOf(1000 + random.nextInt(2_000_000), 0)
              .add(BigDecimal.valueOf(random.nextInt(100), 2));
      BigDecimal rate = BigDecimal.valueOf(random.nextInt(25_001), 3);
      int months = 12 + random.nextInt(469);

      List<Amortization.Installment> schedule = Amortization.schedule(principal, rate, months);

      BigDecimal level = Amortization.monthlyPayment(principal, rate, months);
      BigDecimal monthlyRate = Amortization.monthlyRate(rate);
      BigDecimal balance = principal;
      BigDecimal principalSum = BigDecimal.ZERO;
      for (Amortization.Installment installment : schedule) {
        assertThat(installment.interest())
            .isEqualTo(balance.multiply(monthlyRate).setScale(2, RoundingMode.HALF_EVEN));
        principalSum = principalSum.add(installment.principal());
        balance = balance.subtract(installment.principal());
        assertThat(installment.balance()).isEqualTo(balance);
        if (installment.month() < schedule.size()) {
          assertThat(installment.payment()).isEqualTo(level);
        }
      }
      assertThat(principalSum).as("%s at %s for %d", principal, rate, months).isEqualTo(principal);
      assertThat(balance.signum()).isZero();
      assertThat(schedule).hasSize(months);
    }
  }

  @Test
  void monthlyPayment_invalidArguments_namedInMessage() {
    assertThatThrownBy(() -> Amortization.monthlyPayment(money("0"), money("5"), 360))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("principal");
    assertThatThrownBy(() -> Amortization.monthlyPayment(money("1000"), money("-1"), 360))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("annualRatePercent must not be negative: -1");
    assertThatThrownBy(() -> Amortization.monthlyPayment(money("1000"), money("5"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("termMonths");
  }

  @Test
  void installment_partsThatDoNotAddUp_refused() {
    assertThatThrownBy(
            () ->
                new Amortization.Installment(
                    1, money("10.00"), money("3.00"), money("6.00"), money("100.00")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payment 10.00");
  }
}
