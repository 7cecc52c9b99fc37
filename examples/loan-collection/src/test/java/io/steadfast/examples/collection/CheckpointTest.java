package io.steadfast.examples.collection;

import static io.steadfast.examples.collection.Harness.ALICE;
import static io.steadfast.examples.collection.Harness.BOB;
import static io.steadfast.examples.collection.Harness.DAY0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

  @Test
  void checkpointVersion_isOne() {
    assertThat(new LoanCollectionApplication().checkpointVersion()).isEqualTo(1);
  }

  @Test
  void restore_ofABusyState_writesIdenticalBytesAndAnswersQueriesAlike() throws IOException {
    WorkloadRun run = WorkloadRun.run(11, 60, List.of("carol", "dev", "erin"), 4, 20);
    byte[] bytes = run.checkpoint();
    Harness restored = new Harness();

    Harness.restore(restored.app, bytes, 1);

    assertThat(restored.checkpoint()).isEqualTo(bytes);
    for (int i = 1; i <= 60; i++) {
      String id = String.format(java.util.Locale.ROOT, "ACC-%06d", i);
      assertThat(restored.account(id)).isEqualTo(run.harness.account(id));
    }
    for (Bucket bucket : Bucket.values()) {
      if (bucket.delinquent()) {
        assertThat(restored.queue(bucket)).isEqualTo(run.harness.queue(bucket));
      }
    }
  }

  @Test
  void restore_thenTheSameCommands_behavesExactlyLikeTheOriginal() throws IOException {
    Harness original = new Harness();
    original.open("ACC-1", "9000.00", "600.00", DAY0, "300.00");
    original.age(DAY0.plusDays(35));
    original.submit(ALICE, new NextInQueue(Bucket.DPD_30_59));
    Harness copy = new Harness();
    Harness.restore(copy.app, original.checkpoint(), 1);
    copy.on(DAY0.plusDays(35));

    for (Harness harness : List.of(original, copy)) {
      harness.submit(ALICE, new LogContact("ACC-1", ContactOutcome.SPOKE));
      harness.submit(
          ALICE, new RecordPromise("ACC-1", new BigDecimal("300.00"), DAY0.plusDays(40)));
      harness.submit(BOB, new PostPayment("P-1", "ACC-1", new BigDecimal("120.00")));
      harness.age(DAY0.plusDays(70));
    }

    assertThat(copy.checkpoint()).isEqualTo(original.checkpoint());
    assertThat(copy.account("ACC-1")).isEqualTo(original.account("ACC-1"));
    assertThat(copy.account("ACC-1").promisesBroken()).isEqualTo(1);
  }

  @Test
  void checkpoint_isCanonicalWhateverTheInsertionOrder() {
    Harness forward = new Harness();
    Harness backward = new Harness();
    List<String> ids = List.of("ACC-1", "ACC-2", "ACC-3");
    for (String id : ids) {
      forward.open(id, "9000.00", "300.00", DAY0, "100.00");
    }
    for (String id : List.of("ACC-3", "ACC-1", "ACC-2")) {
      backward.open(id, "9000.00", "300.00", DAY0, "100.00");
    }
    forward.age(DAY0.plusDays(10));
    backward.age(DAY0.plusDays(10));
    forward.submit(ALICE, new PostPayment("P-a", "ACC-1", new BigDecimal("50")));
    forward.submit(ALICE, new PostPayment("P-b", "ACC-3", new BigDecimal("70.00")));
    backward.submit(BOB, new PostPayment("P-b", "ACC-3", new BigDecimal("70.0")));
    backward.submit(BOB, new PostPayment("P-a", "ACC-1", new BigDecimal("50.00")));

    assertThat(backward.checkpoint()).isEqualTo(forward.checkpoint());
  }

  @Test
  void checkpoint_doesNotChangeTheState() {
    WorkloadRun run = WorkloadRun.run(3, 20, List.of("carol"), 2, 10);

    byte[] first = run.checkpoint();
    byte[] second = run.checkpoint();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void checkpoint_ofAnEmptySystem_roundTrips() throws IOException {
    LoanCollectionApplication app = new LoanCollectionApplication();
    byte[] empty = Harness.checkpointOf(app);
    LoanCollectionApplication restored = new LoanCollectionApplication();

    Harness.restore(restored, empty, 1);

    assertThat(Harness.checkpointOf(restored)).isEqualTo(empty);
  }

  @Test
  void restore_unknownVersion_isRefusedAndKeepsTheState() {
    Harness harness = new Harness();
    harness.open("ACC-1", "9000.00", "300.00", DAY0, "100.00");
    byte[] before = harness.checkpoint();

    for (int version : new int[] {0, 2, 99}) {
      assertThatThrownBy(() -> Harness.restore(harness.app, before, version))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("version " + version);
    }
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void restore_truncatedPayload_isRefusedAndKeepsTheState() {
    Harness harness = new Harness();
    harness.open("ACC-1", "9000.00", "300.00", DAY0, "100.00");
    byte[] before = harness.checkpoint();
    byte[] truncated = Arrays.copyOf(before, before.length - 5);

    assertThatThrownBy(() -> Harness.restore(harness.app, truncated, 1))
        .isInstanceOf(IOException.class);
    assertThat(harness.checkpoint()).isEqualTo(before);
  }
}
