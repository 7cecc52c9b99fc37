package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectionRulesTest {

  @ParameterizedTest(name = "installment {0} -> fee {1}")
  @CsvSource({
    "1000.00, 50.00",
    "200.00, 15.00",
    "300.00, 15.00",
    "300.20, 15.01",
    "500.50, 25.02",
    "500.70, 25.04",
    "333.33, 16.67"
  })
  void lateFee_isFivePercentHalfEvenWithAMinimum(String installment, String fee) {
    assertThat(CollectionRules.lateFee(new BigDecimal(installment))).isEqualTo(new BigDecimal(fee));
  }

  @Test
  void priority_sumsDaysAmountHundredsAndTwiceContactGap() {
    assertThat(CollectionRules.priority(45, new BigDecimal("1234.56"), 30)).isEqualTo(45 + 12 + 60);
    assertThat(CollectionRules.priority(1, new BigDecimal("99.99"), 0)).isEqualTo(1);
  }

  @Test
  void priority_capsAmountAndContactGap() {
    assertThat(CollectionRules.priority(10, new BigDecimal("25000.00"), 400))
        .isEqualTo(
            10 + CollectionRules.PAST_DUE_POINTS_CAP + 2 * CollectionRules.CONTACT_GAP_CAP_DAYS);
  }

  @Test
  void priority_negativeInputs_areRefused() {
    assertThatThrownBy(() -> CollectionRules.priority(-1, BigDecimal.ONE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("daysPastDue");
    assertThatThrownBy(() -> CollectionRules.priority(1, new BigDecimal("-1"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amountPastDue");
  }

  @Test
  void daysSinceContact_neverContacted_countsAsTheCap() {
    assertThat(CollectionRules.daysSinceContact(null, LocalDate.of(2025, 1, 1)))
        .isEqualTo(CollectionRules.CONTACT_GAP_CAP_DAYS);
  }

  @Test
  void daysSinceContact_isClampedBetweenZeroAndTheCap() {
    LocalDate day = LocalDate.of(2025, 3, 10);
    assertThat(CollectionRules.daysSinceContact(day.minusDays(3), day)).isEqualTo(3);
    assertThat(CollectionRules.daysSinceContact(day.minusDays(90), day)).isEqualTo(30);
    assertThat(CollectionRules.daysSinceContact(day.plusDays(2), day)).isZero();
  }

  @Test
  void businessDate_isTheUtcDateWhateverTheDefaultZone() {
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      assertThat(CollectionRules.businessDate(Instant.parse("2025-06-30T23:59:59Z")))
          .isEqualTo(LocalDate.of(2025, 6, 30));
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Pago_Pago"));
      assertThat(CollectionRules.businessDate(Instant.parse("2025-07-01T00:00:00Z")))
          .isEqualTo(LocalDate.of(2025, 7, 1));
    } finally {
      TimeZone.setDefault(saved);
    }
  }
}
