package io.steadfast.examples.collection;

import static io.steadfast.examples.collection.Harness.ALICE;
import static io.steadfast.examples.collection.Harness.BOB;
import static io.steadfast.examples.collection.Harness.DAY0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import io.steadfast.examples.collection.CollectionResult.QueueListing;
import io.steadfast.examples.collection.CollectionRuleException.Violation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QueueTest {

  private final Harness harness = new Harness();

  @Test
  void queueSnapshot_ordersByPriorityThenAccountId() {
    // all 40 days past due on Feb 10; past due amounts differ, B and A tie exactly
    harness.open("ACC-B", "9000.00", "300.00", DAY0, "300.00");
    harness.open("ACC-A", "9000.00", "300.00", DAY0, "300.00");
    harness.open("ACC-C", "9000.00", "900.00", DAY0, "900.00");
    harness.open("ACC-D", "9000.00", "100.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(40));

    QueueListing listing = harness.queue(Bucket.DPD_30_59);

    // C: 40 + 18 (1800.00 after Feb 1 billing) + 60; A, B: 40 + 6 + 60; D: 40 + 2 + 60
    assertThat(listing.entries())
        .extracting(QueueEntry::accountId)
        .containsExactly("ACC-C", "ACC-A", "ACC-B", "ACC-D");
    assertThat(listing.entries())
        .extracting(QueueEntry::priority)
        .containsExactly(118, 106, 106, 102);
    assertThat(listing.eligible()).isEqualTo(4);
  }

  @Test
  void queueSnapshot_limit_returnsTheHeadAndCountsAll() {
    for (int i = 1; i <= 5; i++) {
      harness.open("ACC-" + i, "9000.00", "100.00", DAY0, "100.00");
    }
    harness.age(DAY0.plusDays(3));

    QueueListing listing =
        harness.query(new CollectionCommand.QueueSnapshot(Bucket.DPD_1_29, 2), QueueListing.class);

    assertThat(listing.eligible()).isEqualTo(5);
    assertThat(listing.entries())
        .extracting(QueueEntry::accountId)
        .containsExactly("ACC-1", "ACC-2");
  }

  @Test
  void nextInQueue_assignsTheHeadAndTakesItOutOfTheQueue() {
    harness.open("ACC-1", "9000.00", "100.00", DAY0, "100.00");
    harness.open("ACC-2", "9000.00", "500.00", DAY0, "500.00");
    harness.age(DAY0.plusDays(5));
    QueueEntry head = harness.queue(Bucket.DPD_1_29).entries().get(0);

    AccountAssigned alice =
        harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29), AccountAssigned.class);
    AccountAssigned bob =
        harness.submit(BOB, new NextInQueue(Bucket.DPD_1_29), AccountAssigned.class);

    assertThat(alice.account().accountId()).isEqualTo(head.accountId()).isEqualTo("ACC-2");
    assertThat(alice.priority()).isEqualTo(head.priority());
    assertThat(alice.account().assignedTo()).isEqualTo("alice");
    assertThat(bob.account().accountId()).isEqualTo("ACC-1");
    assertThat(harness.queue(Bucket.DPD_1_29).entries()).isEmpty();
    assertThat(harness.submit(BOB, new NextInQueue(Bucket.DPD_1_29)))
        .isInstanceOf(QueueEmpty.class);
  }

  @Test
  void nextInQueue_releasesTheCollectorsPreviousAccount() {
    harness.open("ACC-1", "9000.00", "100.00", DAY0, "100.00");
    harness.open("ACC-2", "9000.00", "500.00", DAY0, "500.00");
    harness.age(DAY0.plusDays(5));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));

    AccountAssigned second =
        harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29), AccountAssigned.class);

    assertThat(second.account().accountId()).isEqualTo("ACC-1");
    assertThat(harness.account("ACC-2").assignedTo()).isEmpty();
    assertThat(harness.queueIds(Bucket.DPD_1_29)).containsExactly("ACC-2");
  }

  @Test
  void nextInQueue_skipsAccountsContactedTodayUntilTheNextBusinessDay() {
    harness.open("ACC-1", "9000.00", "100.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(5));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    harness.submit(ALICE, new LogContact("ACC-1", ContactOutcome.NO_ANSWER));

    assertThat(harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29)))
        .isInstanceOf(QueueEmpty.class);
    harness.age(DAY0.plusDays(6));

    QueueEntry entry = harness.queue(Bucket.DPD_1_29).entries().get(0);
    assertThat(entry.accountId()).isEqualTo("ACC-1");
    assertThat(entry.daysSinceContact()).isEqualTo(1);
    assertThat(entry.priority()).isEqualTo(6 + 1 + 2);
  }

  @Test
  void nextInQueue_skipsAccountsWithAnOpenPromise() {
    harness.open("ACC-1", "9000.00", "100.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(5));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    harness.submit(ALICE, new RecordPromise("ACC-1", new BigDecimal("100.00"), DAY0.plusDays(9)));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));

    harness.age(DAY0.plusDays(7));

    assertThat(harness.queueIds(Bucket.DPD_1_29)).isEmpty();
  }

  @Test
  void logContact_onAccountAssignedToSomeoneElse_isRejectedAndChangesNothing() {
    harness.open("ACC-1", "9000.00", "100.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(5));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    byte[] before = harness.checkpoint();

    assertThatThrownBy(() -> harness.submit(BOB, new LogContact("ACC-1", ContactOutcome.SPOKE)))
        .isInstanceOfSatisfying(
            CollectionRuleException.class,
            e -> {
              assertThat(e.violation()).isEqualTo(Violation.NOT_ASSIGNED);
              assertThat(e.getMessage()).contains("bob").contains("alice");
            });
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void recordPromise_outOfRangeOrTooLargeOrSecond_isRejectedAndChangesNothing() {
    harness.open("ACC-1", "100.00", "100.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(5));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    byte[] before = harness.checkpoint();

    assertRejected(
        new RecordPromise("ACC-1", new BigDecimal("50.00"), DAY0.plusDays(4)),
        Violation.PROMISE_DATE_OUT_OF_RANGE);
    assertRejected(
        new RecordPromise("ACC-1", new BigDecimal("50.00"), DAY0.plusDays(36)),
        Violation.PROMISE_DATE_OUT_OF_RANGE);
    assertRejected(
        new RecordPromise("ACC-1", new BigDecimal("200.01"), DAY0.plusDays(6)),
        Violation.AMOUNT_EXCEEDS_BALANCE);
    assertThat(harness.checkpoint()).isEqualTo(before);

    harness.submit(ALICE, new RecordPromise("ACC-1", new BigDecimal("50.00"), DAY0.plusDays(35)));
    assertRejected(
        new RecordPromise("ACC-1", new BigDecimal("50.00"), DAY0.plusDays(6)),
        Violation.PROMISE_OPEN);
  }

  private void assertRejected(CollectionCommand command, Violation violation) {
    assertThatThrownBy(() -> harness.submit(ALICE, command))
        .isInstanceOfSatisfying(
            CollectionRuleException.class, e -> assertThat(e.violation()).isEqualTo(violation));
  }
}
