package io.steadfast.examples.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.examples.collection.CollectionCommand.ChargeOff;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.QueueSnapshot;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CommandValidationTest {

  private static final LocalDate DAY = LocalDate.of(2025, 1, 1);
  private static final BigDecimal TEN = new BigDecimal("10.00");

  private static void refused(ThrowingCallable construction, String field, String value) {
    assertThatThrownBy(construction)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field)
        .hasMessageContaining(value);
  }

  @Test
  void postPayment_badFields_areRefusedNamingFieldAndValue() {
    refused(() -> new PostPayment("P-1", "ACC-1", new BigDecimal("10.001")), "amount", "10.001");
    refused(() -> new PostPayment("P-1", "ACC-1", new BigDecimal("-5.00")), "amount", "-5.00");
    refused(() -> new PostPayment("P-1", "ACC-1", BigDecimal.ZERO), "amount", "0.00");
    refused(() -> new PostPayment("P 1", "ACC-1", TEN), "paymentReference", "'P 1'");
    refused(() -> new PostPayment("P-1", "", TEN), "accountId", "''");
    refused(() -> new PostPayment("P-1", "ACC-1", null), "amount", "null");
  }

  @Test
  void amounts_areHeldInCents() {
    assertThat(new PostPayment("P-1", "ACC-1", new BigDecimal("7")).amount())
        .isEqualTo(new BigDecimal("7.00"));
    assertThat(new PostPayment("P-1", "ACC-1", new BigDecimal("7.100")).amount())
        .isEqualTo(new BigDecimal("7.10"));
  }

  @Test
  void openDelinquentAccount_badFields_areRefusedNamingFieldAndValue() {
    refused(() -> new OpenDelinquentAccount("ACC-1", " ", TEN, TEN, DAY, TEN), "borrower", "' '");
    refused(
        () -> new OpenDelinquentAccount("ACC-1", "B", new BigDecimal("-1"), TEN, DAY, TEN),
        "principalBalance",
        "-1");
    refused(
        () -> new OpenDelinquentAccount("ACC-1", "B", TEN, TEN, null, TEN),
        "oldestUnpaidDueDate",
        "null");
    refused(
        () -> new OpenDelinquentAccount("ACC-1", "B", TEN, TEN, DAY, BigDecimal.ZERO),
        "installmentAmount",
        "0.00");
    refused(
        () -> new OpenDelinquentAccount("ACC-1", "B", TEN, new BigDecimal("1210.00"), DAY, TEN),
        "amountPastDue",
        "1210.00");
    refused(
        () -> new OpenDelinquentAccount("ACC-1", "B", BigDecimal.ZERO, BigDecimal.ZERO, DAY, TEN),
        "principalBalance and amountPastDue",
        "ACC-1");
  }

  @Test
  void otherCommands_badFields_areRefusedNamingFieldAndValue() {
    refused(() -> new NextInQueue(Bucket.CURRENT), "bucket", "CURRENT");
    refused(() -> new QueueSnapshot(Bucket.DPD_1_29, 0), "limit", "0");
    refused(() -> new QueueSnapshot(Bucket.DPD_1_29, 1001), "limit", "1001");
    refused(() -> new LogContact("ACC-1", null), "outcome", "null");
    refused(() -> new RecordPromise("ACC-1", TEN, null), "promisedDate", "null");
    refused(() -> new ChargeOff("ACC-1", ""), "reason", "''");
    refused(() -> new RunDailyAging("end of day"), "batch", "'end of day'");
  }
}
