package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketTest {

  @ParameterizedTest(name = "{0} days past due -> {1}")
  @CsvSource({
    "0, CURRENT",
    "1, DPD_1_29",
    "29, DPD_1_29",
    "30, DPD_30_59",
    "59, DPD_30_59",
    "60, DPD_60_89",
    "89, DPD_60_89",
    "90, DPD_90_119",
    "119, DPD_90_119",
    "120, DPD_120_PLUS",
    "179, DPD_120_PLUS",
    "2147483647, DPD_120_PLUS"
  })
  void of_boundaryDays_fallsInTheStatedBucket(int days, Bucket expected) {
    assertThat(Bucket.of(days)).isEqualTo(expected);
  }

  @Test
  void of_negativeDays_isRefusedNamingTheValue() {
    assertThatThrownBy(() -> Bucket.of(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("daysPastDue")
        .hasMessageContaining("-1");
  }

  @Test
  void ranges_coverEveryDayOnceInOrder() {
    int expectedMin = 0;
    for (Bucket bucket : Bucket.values()) {
      assertThat(bucket.minDays()).isEqualTo(expectedMin);
      assertThat(bucket.maxDays()).isGreaterThanOrEqualTo(bucket.minDays());
      expectedMin = bucket.maxDays() + 1;
    }
    assertThat(Bucket.DPD_120_PLUS.maxDays()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void delinquent_isFalseOnlyForCurrent() {
    assertThat(Bucket.CURRENT.delinquent()).isFalse();
    assertThat(Bucket.DPD_1_29.delinquent()).isTrue();
    assertThat(Bucket.DPD_120_PLUS.delinquent()).isTrue();
  }
}
