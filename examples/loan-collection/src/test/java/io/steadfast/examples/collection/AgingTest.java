package io.steadfast.examples.collection;

import static io.steadfast.examples.collection.Harness.ALICE;
import static io.steadfast.examples.collection.Harness.DAY0;
import static io.steadfast.examples.collection.Harness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import io.steadfast.examples.collection.CollectionResult.AgingCompleted;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgingTest {

  private final Harness harness = new Harness();

  @ParameterizedTest(name = "aged {0} days after the oldest due date -> {1}")
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
    "179, DPD_120_PLUS"
  })
  void runDailyAging_movesTheAccountIntoTheBucketOfItsDaysPastDue(int days, Bucket expected) {
    harness.open("ACC-1", "20000.00", "400.00", DAY0, "400.00");

    harness.age(DAY0.plusDays(days));

    AccountView account = harness.account("ACC-1");
    assertThat(account.daysPastDue()).isEqualTo(days);
    assertThat(account.bucket()).isEqualTo(expected);
    assertThat(account.status()).isEqualTo(AccountStatus.ACTIVE);
  }

  @Test
  void runDailyAging_billsEachInstallmentTheDayAfterItFallsDue() {
    harness.open("ACC-1", "1000.00", "0.00", DAY0, "400.00");

    harness.age(DAY0);
    assertThat(harness.account("ACC-1").amountPastDue()).isEqualByComparingTo("0");
    harness.age(DAY0.plusDays(1));
    AccountView afterFirst = harness.account("ACC-1");
    harness.age(LocalDate.of(2025, 3, 2));
    AccountView afterThird = harness.account("ACC-1");

    assertThat(afterFirst.amountPastDue()).isEqualTo(new BigDecimal("400.00"));
    assertThat(afterFirst.principalBalance()).isEqualTo(new BigDecimal("600.00"));
    assertThat(afterFirst.daysPastDue()).isEqualTo(1);
    assertThat(afterThird.amountPastDue()).isEqualTo(new BigDecimal("1000.00"));
    assertThat(afterThird.principalBalance()).isEqualTo(new BigDecimal("0.00"));
    assertThat(afterThird.nextDueDate()).isNull();
    assertThat(afterThird.oldestUnpaidDueDate()).isEqualTo(DAY0);
  }

  @Test
  void runDailyAging_assessesTheLateFeeOncePerInstallmentWhenItCrossesThirtyDays() {
    harness.open("ACC-1", "20000.00", "1000.00", DAY0, "1000.00");

    for (int day = 1; day <= 29; day++) {
      harness.age(DAY0.plusDays(day));
    }
    assertThat(harness.account("ACC-1").feesDue()).isEqualTo(new BigDecimal("0.00"));

    AgingCompleted crossing = harness.age(DAY0.plusDays(30));
    byte[] afterCrossing = harness.checkpoint();
    AgingCompleted again = harness.age(DAY0.plusDays(30));

    assertThat(crossing.lateFeesAssessed()).isEqualTo(1);
    assertThat(again.lateFeesAssessed()).isZero();
    assertThat(harness.checkpoint()).isEqualTo(afterCrossing);
    for (int day = 31; day <= 60; day++) {
      harness.age(DAY0.plusDays(day));
    }
    AccountView beforeSecond = harness.account("ACC-1");
    assertThat(beforeSecond.lateFeesAssessed()).isEqualTo(1);
    assertThat(beforeSecond.feesDue()).isEqualTo(new BigDecimal("50.00"));

    // the second installment fell due on Feb 1 and crosses 30 days on Mar 3 (day 61)
    harness.age(LocalDate.of(2025, 3, 3));
    AccountView afterSecond = harness.account("ACC-1");
    assertThat(afterSecond.lateFeesAssessed()).isEqualTo(2);
    assertThat(afterSecond.feesDue()).isEqualTo(new BigDecimal("100.00"));
  }

  @Test
  void runDailyAging_jumpingManyDays_assessesEachCrossedInstallmentOnce() {
    harness.open("ACC-1", "20000.00", "200.00", DAY0, "200.00");

    AgingCompleted jump = harness.age(LocalDate.of(2025, 3, 30));
    AgingCompleted next = harness.age(LocalDate.of(2025, 3, 31));

    // installments due Jan 1 and Feb 1 crossed 30 days by Mar 30; the one due Mar 1 crosses Mar 31
    assertThat(jump.lateFeesAssessed()).isEqualTo(2);
    assertThat(next.lateFeesAssessed()).isEqualTo(1);
    assertThat(harness.account("ACC-1").lateFeesAssessed()).isEqualTo(3);
    assertThat(harness.account("ACC-1").feesDue()).isEqualTo(new BigDecimal("45.00"));
  }

  @Test
  void runDailyAging_installmentPaidBeforeThirtyDays_drawsNoFeeLater() {
    harness.open("ACC-1", "20000.00", "300.00", DAY0, "300.00");
    harness.age(DAY0.plusDays(20));
    harness.submit(ALICE, new PostPayment("P-1", "ACC-1", new BigDecimal("300.00")));

    harness.age(DAY0.plusDays(40));

    AccountView account = harness.account("ACC-1");
    assertThat(account.lateFeesAssessed()).isZero();
    assertThat(account.oldestUnpaidDueDate()).isEqualTo(LocalDate.of(2025, 2, 1));
    assertThat(account.daysPastDue()).isEqualTo(9);
  }

  @Test
  void runDailyAging_at180DaysPastDue_chargesTheWholeBalanceOff() {
    harness.open("ACC-1", "5000.00", "250.00", DAY0, "250.00");

    AgingCompleted day179 = harness.age(DAY0.plusDays(179));
    AccountView before = harness.account("ACC-1");
    AgingCompleted day180 = harness.age(DAY0.plusDays(180));
    AccountView after = harness.account("ACC-1");

    assertThat(day179.chargedOff()).isEmpty();
    assertThat(before.status()).isEqualTo(AccountStatus.ACTIVE);
    assertThat(day180.chargedOff()).containsExactly("ACC-1");
    assertThat(after.status()).isEqualTo(AccountStatus.CHARGED_OFF);
    BigDecimal fees =
        CollectionRules.lateFee(new BigDecimal("250.00"))
            .multiply(BigDecimal.valueOf(after.lateFeesAssessed()));
    assertThat(after.chargedOffBalance()).isEqualTo(new BigDecimal("5250.00").add(fees));
    assertThat(after.totalOwed()).isEqualTo(after.chargedOffBalance());
    assertThat(after.principalBalance()).isEqualTo(new BigDecimal("0.00"));
    assertThat(after.amountPastDue()).isEqualTo(new BigDecimal("0.00"));
    assertThat(after.feesDue()).isEqualTo(new BigDecimal("0.00"));
    assertThat(after.chargeOffReason()).contains("180 days");
    assertThat(harness.queueIds(Bucket.DPD_120_PLUS)).doesNotContain("ACC-1");
  }

  @Test
  void runDailyAging_chargedOffAccount_isNoLongerAged() {
    harness.open("ACC-1", "5000.00", "250.00", DAY0, "250.00");
    harness.age(DAY0.plusDays(180));
    byte[] chargedOff = harness.checkpoint();

    AgingCompleted later = harness.age(DAY0.plusDays(300));

    assertThat(later.accountsAged()).isZero();
    assertThat(harness.account("ACC-1").chargedOffBalance())
        .isEqualTo(
            new BigDecimal("5250.00")
                .add(
                    new BigDecimal("15.00")
                        .multiply(
                            BigDecimal.valueOf(harness.account("ACC-1").lateFeesAssessed()))));
    assertThat(harness.checkpoint()).isNotEqualTo(chargedOff); // only the business date moved
  }

  @Test
  void runDailyAging_promiseStillUnpaidAfterItsDate_isBrokenAndTheAccountIsQueuedAgain() {
    harness.open("ACC-1", "20000.00", "500.00", DAY0, "500.00");
    harness.age(DAY0.plusDays(10));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    harness.submit(ALICE, new LogContact("ACC-1", ContactOutcome.SPOKE));
    LocalDate promised = DAY0.plusDays(15);
    harness.submit(ALICE, new RecordPromise("ACC-1", new BigDecimal("500.00"), promised));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    harness.submit(ALICE, new PostPayment("P-1", "ACC-1", new BigDecimal("100.00")));

    AgingCompleted onTheDate = harness.age(promised);
    assertThat(onTheDate.brokenPromises()).isEmpty();
    assertThat(harness.queueIds(Bucket.DPD_1_29)).doesNotContain("ACC-1");

    AgingCompleted dayAfter = harness.age(promised.plusDays(1));

    AccountView account = harness.account("ACC-1");
    assertThat(dayAfter.brokenPromises()).containsExactly("ACC-1");
    assertThat(account.promise()).isNull();
    assertThat(account.promisesBroken()).isEqualTo(1);
    assertThat(account.promisesKept()).isZero();
    assertThat(harness.queueIds(Bucket.DPD_1_29)).containsExactly("ACC-1");
  }

  @Test
  void postPayment_reachingThePromisedAmount_keepsThePromise() {
    harness.open("ACC-1", "20000.00", "500.00", DAY0, "500.00");
    harness.age(DAY0.plusDays(10));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    harness.submit(ALICE, new LogContact("ACC-1", ContactOutcome.SPOKE));
    harness.submit(ALICE, new RecordPromise("ACC-1", new BigDecimal("300.00"), DAY0.plusDays(12)));

    PaymentPosted first =
        harness.submit(
            ALICE, new PostPayment("P-1", "ACC-1", new BigDecimal("200.00")), PaymentPosted.class);
    PaymentPosted second =
        harness.submit(
            ALICE, new PostPayment("P-2", "ACC-1", new BigDecimal("100.00")), PaymentPosted.class);
    AgingCompleted later = harness.age(DAY0.plusDays(20));

    assertThat(first.promiseKept()).isFalse();
    assertThat(first.account().promise().paidSoFar()).isEqualTo(new BigDecimal("200.00"));
    assertThat(second.promiseKept()).isTrue();
    assertThat(second.account().promise()).isNull();
    assertThat(second.account().promisesKept()).isEqualTo(1);
    assertThat(later.brokenPromises()).isEmpty();
  }

  @Test
  void runDailyAging_leaderDateBeforeTheBusinessDate_isRejectedAndChangesNothing() {
    harness.open("ACC-1", "20000.00", "500.00", DAY0, "500.00");
    harness.age(DAY0.plusDays(10));
    byte[] before = harness.checkpoint();

    harness.on(DAY0.plusDays(9));
    assertThatThrownBy(() -> harness.submit(SUPERVISOR, new RunDailyAging("eod-late")))
        .isInstanceOfSatisfying(
            CollectionRuleException.class,
            e ->
                assertThat(e.violation())
                    .isEqualTo(CollectionRuleException.Violation.BUSINESS_DATE_BACKWARDS));
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void businessDate_isSetByTheFirstCommandAndMovedOnlyByAging() {
    harness.on(DAY0.plusDays(3));
    harness.open("ACC-1", "20000.00", "500.00", DAY0, "500.00");
    harness.on(DAY0.plusDays(8));
    harness.open("ACC-2", "20000.00", "500.00", DAY0, "500.00");

    assertThat(harness.account("ACC-2").asOf()).isEqualTo(DAY0.plusDays(3));
    assertThat(harness.account("ACC-2").daysPastDue()).isEqualTo(3);
    harness.age(DAY0.plusDays(8));
    assertThat(harness.account("ACC-2").asOf()).isEqualTo(DAY0.plusDays(8));
  }

  @Test
  void runDailyAging_lateEveningUtc_usesTheUtcDate() {
    harness.open("ACC-1", "20000.00", "500.00", DAY0, "500.00");
    harness.at(java.time.Instant.parse("2025-01-30T23:59:59Z"));

    AgingCompleted result =
        harness.submit(SUPERVISOR, new RunDailyAging("eod"), AgingCompleted.class);

    assertThat(result.businessDate()).isEqualTo(LocalDate.of(2025, 1, 30));
    assertThat(harness.account("ACC-1").bucket()).isEqualTo(Bucket.DPD_1_29);
  }
}
