package io.steadfast.examples.collection;

import static io.steadfast.examples.collection.Harness.ALICE;
import static io.steadfast.examples.collection.Harness.DAY0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.collection.CollectionCommand.GetAccount;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumePointsTest {

  private static final ResumePoint PREVIOUS = ResumePoint.of("account", "ACC-0", "step", "paid");

  @Test
  void after_eachResult_givesTheDocumentedFields() {
    List<CollectionCommand> commands = Samples.commands();
    List<CollectionResult> results = Samples.results();

    assertThat(ResumePoints.after(PREVIOUS, commands.get(0), results.get(0)))
        .isEqualTo(ResumePoint.of("account", "ACC-000001", "step", "opened"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(1), results.get(1)))
        .isEqualTo(ResumePoint.of("business-date", "2025-03-14", "step", "aged"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(2), results.get(2)))
        .isEqualTo(
            ResumePoint.of("account", "ACC-000002", "bucket", "DPD_60_89", "step", "assigned"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(2), results.get(3)))
        .isEqualTo(ResumePoint.of("bucket", "DPD_1_29", "step", "queue-empty"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(3), results.get(4)))
        .isEqualTo(
            ResumePoint.of("account", "ACC-000002", "outcome", "SPOKE", "step", "contacted"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(4), results.get(5)))
        .isEqualTo(
            ResumePoint.of(
                "account", "ACC-000002", "promised-date", "2025-03-21", "step", "promised"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(5), results.get(6)))
        .isEqualTo(ResumePoint.of("account", "ACC-000002", "payment", "PAY-9", "step", "paid"));
    assertThat(ResumePoints.after(PREVIOUS, commands.get(6), results.get(7)))
        .isEqualTo(ResumePoint.of("account", "ACC-000001", "step", "charged-off"));
  }

  @Test
  void after_queries_keepThePreviousResumePoint() {
    List<CollectionCommand> commands = Samples.commands();
    List<CollectionResult> results = Samples.results();

    assertThat(ResumePoints.after(PREVIOUS, commands.get(7), results.get(8))).isSameAs(PREVIOUS);
    assertThat(ResumePoints.after(PREVIOUS, commands.get(8), results.get(9))).isSameAs(PREVIOUS);
  }

  @Test
  void after_resultThatDoesNotAnswerTheCommand_isRefused() {
    assertThatThrownBy(
            () ->
                ResumePoints.after(
                    PREVIOUS,
                    new LogContact("ACC-1", ContactOutcome.SPOKE),
                    new QueueEmpty(Bucket.DPD_1_29)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("QueueEmpty")
        .hasMessageContaining("LogContact");
  }

  @Test
  void apply_recordsExactlyWhatTheRulePredicts() {
    Harness harness = new Harness();
    harness.open("ACC-1", "9000.00", "300.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(12));
    ResumePoint expected = ResumePoint.start();

    List<CollectionCommand> session =
        List.of(
            new NextInQueue(Bucket.DPD_1_29),
            new LogContact("ACC-1", ContactOutcome.SPOKE),
            new RecordPromise("ACC-1", new BigDecimal("100.00"), DAY0.plusDays(14)),
            new PostPayment("P-1", "ACC-1", new BigDecimal("25.00")),
            new GetAccount("ACC-1"),
            new NextInQueue(Bucket.DPD_1_29));
    for (CollectionCommand command : session) {
      CollectionResult result = harness.submit(ALICE, command);
      expected = ResumePoints.after(expected, command, result);
      assertThat(harness.resumePoint(ALICE)).as(command.toString()).isEqualTo(expected);
    }
    assertThat(expected).isEqualTo(ResumePoint.of("bucket", "DPD_1_29", "step", "queue-empty"));
  }

  @Test
  void apply_queryCommand_leavesTheResumePointAsItWas() {
    Harness harness = new Harness();
    harness.open("ACC-1", "9000.00", "300.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(12));
    AccountAssigned assigned =
        harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29), AccountAssigned.class);
    ResumePoint before = harness.resumePoint(ALICE);

    harness.submit(ALICE, new GetAccount("ACC-1"));

    assertThat(harness.resumePoint(ALICE)).isEqualTo(before);
    assertThat(before.get("account")).contains(assigned.account().accountId());
  }

  @Test
  void apply_rejectedCommand_leavesTheResumePointAsItWas() {
    Harness harness = new Harness();
    harness.open("ACC-1", "9000.00", "300.00", DAY0, "100.00");
    harness.age(DAY0.plusDays(12));
    harness.submit(ALICE, new NextInQueue(Bucket.DPD_1_29));
    ResumePoint before = harness.resumePoint(ALICE);

    assertThatThrownBy(() -> harness.submit(ALICE, new LogContact("ACC-9", ContactOutcome.SPOKE)))
        .isInstanceOf(UnknownAccountException.class);

    assertThat(harness.resumePoint(ALICE)).isEqualTo(before);
  }

  @Test
  void query_mutation_isRefusedAsNotAQuery() {
    Harness harness = new Harness();

    assertThatThrownBy(
            () -> harness.query(new NextInQueue(Bucket.DPD_1_29), CollectionResult.class))
        .isInstanceOfSatisfying(
            CollectionRuleException.class,
            e ->
                assertThat(e.violation()).isEqualTo(CollectionRuleException.Violation.NOT_A_QUERY));
  }
}
