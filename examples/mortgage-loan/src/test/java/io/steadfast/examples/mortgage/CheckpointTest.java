package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.CLOSER;
import static io.steadfast.examples.mortgage.Fixtures.OFFICER;
import static io.steadfast.examples.mortgage.Fixtures.UNDERWRITER;
import static io.steadfast.examples.mortgage.Fixtures.goodRequest;
import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

  /** A pipeline with a loan in every stage. */
  private static Harness everyStage() {
    Harness harness = new Harness();
    Fixtures.submitted(harness, goodRequest("Applied"));
    String checked = Fixtures.submitted(harness, goodRequest("Checked"));
    harness.apply(OFFICER, new LoanCommand.RecordCreditReport(checked, 650));
    Fixtures.appraised(harness, goodRequest("Appraised"), 700, "299999.99");
    Fixtures.approved(harness, goodRequest("Approved"));
    String scheduled = Fixtures.approved(harness, goodRequest("Scheduled"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(scheduled, LocalDate.of(2024, 4, 2)));
    String funded = Fixtures.approved(harness, goodRequest("Funded"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(funded, LocalDate.of(2024, 4, 3)));
    harness.apply(CLOSER, new LoanCommand.FundLoan(funded));
    String declined = Fixtures.appraised(harness, goodRequest("Declined"), 500, "300000");
    harness.apply(
        UNDERWRITER, new LoanCommand.Underwrite(declined, Verdict.APPROVE, List.of(), "x"));
    String withdrawn = Fixtures.approved(harness, goodRequest("Withdrawn – Zoë"));
    harness.apply(OFFICER, new LoanCommand.WithdrawApplication(withdrawn, "found a cheaper rate"));
    return harness;
  }

  @Test
  void restore_ofCheckpoint_givesIdenticalBytesAndLoans() throws IOException {
    Harness original = everyStage();
    byte[] bytes = original.checkpoint();

    MortgageLoanApplication copy = new MortgageLoanApplication();
    Harness.restore(copy, bytes, 1);

    assertThat(Harness.checkpointOf(copy)).isEqualTo(bytes);
    Harness restored = new Harness(copy);
    for (LoanStage stage : LoanStage.values()) {
      assertThat(restored.query(OFFICER, new LoanCommand.ListPipeline(stage, 100)))
          .isEqualTo(original.query(OFFICER, new LoanCommand.ListPipeline(stage, 100)));
      assertThat(
              ((LoanResult.Pipeline)
                      restored.query(OFFICER, new LoanCommand.ListPipeline(stage, 100)))
                  .total())
          .as(stage.name())
          .isEqualTo(1);
    }
  }

  @Test
  void restore_thenContinue_assignsTheNextIdAsTheOriginalWould() throws IOException {
    Harness original = everyStage();
    MortgageLoanApplication copy = new MortgageLoanApplication();
    Harness.restore(copy, original.checkpoint(), 1);

    LoanResult fromOriginal =
        original.apply(OFFICER, new LoanCommand.SubmitApplication(goodRequest("Next")));
    LoanResult fromCopy =
        new Harness(copy).apply(OFFICER, new LoanCommand.SubmitApplication(goodRequest("Next")));

    assertThat(((LoanResult.ApplicationSubmitted) fromCopy).loanId())
        .isEqualTo(((LoanResult.ApplicationSubmitted) fromOriginal).loanId());
  }

  @Test
  void checkpoint_sameCommandsOnTwoInstances_sameBytes() {
    assertThat(everyStage().checkpoint()).isEqualTo(everyStage().checkpoint());
  }

  @Test
  void checkpoint_sameStateReachedInAnotherOrder_sameBytes() {
    Harness stepByStep = new Harness();
    String a = Fixtures.submitted(stepByStep, goodRequest("A"));
    stepByStep.apply(OFFICER, new LoanCommand.RecordCreditReport(a, 700));
    String b = Fixtures.submitted(stepByStep, goodRequest("B"));
    stepByStep.apply(OFFICER, new LoanCommand.RecordCreditReport(b, 710));
    stepByStep.apply(OFFICER, new LoanCommand.RecordAppraisal(b, money("310000")));
    stepByStep.apply(OFFICER, new LoanCommand.RecordAppraisal(a, money("300000")));

    Harness interleaved = new Harness();
    Fixtures.submitted(interleaved, goodRequest("A"));
    Fixtures.submitted(interleaved, goodRequest("B"));
    interleaved.apply(OFFICER, new LoanCommand.RecordCreditReport("L-000002", 710));
    interleaved.apply(OFFICER, new LoanCommand.RecordCreditReport("L-000001", 700));
    interleaved.apply(OFFICER, new LoanCommand.RecordAppraisal("L-000001", money("300000.0")));
    interleaved.apply(OFFICER, new LoanCommand.RecordAppraisal("L-000002", money("310000.000")));

    assertThat(interleaved.checkpoint()).isEqualTo(stepByStep.checkpoint());
  }

  @Test
  void checkpoint_doesNotChangeState() {
    Harness harness = everyStage();
    byte[] first = harness.checkpoint();

    assertThat(harness.checkpoint()).isEqualTo(first);
  }

  @Test
  void restore_unknownVersion_refusedWithIoExceptionAndStateKept() {
    Harness harness = new Harness();
    Fixtures.submitted(harness, goodRequest("Keep Me"));
    byte[] before = harness.checkpoint();
    byte[] other = everyStage().checkpoint();

    for (int version : new int[] {0, 2, 99}) {
      assertThatThrownBy(() -> Harness.restore(harness.app(), other, version))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("unsupported mortgage checkpoint version " + version);
    }
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void restore_truncatedOrDamagedPayload_refusedAndStateKept() {
    Harness harness = new Harness();
    Fixtures.submitted(harness, goodRequest("Keep Me"));
    byte[] before = harness.checkpoint();
    byte[] good = everyStage().checkpoint();

    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> Harness.restore(harness.app(), truncated, 1))
        .isInstanceOf(IOException.class);
    byte[] lastLoanNumberTooSmall = good.clone();
    lastLoanNumberTooSmall[7] = 1;
    assertThatThrownBy(() -> Harness.restore(harness.app(), lastLoanNumberTooSmall, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("beyond the last assigned number 1");
    assertThat(harness.checkpoint()).isEqualTo(before);
  }

  @Test
  void restore_emptyPipeline_roundTrips() throws IOException {
    byte[] empty = new Harness().checkpoint();
    MortgageLoanApplication app = new MortgageLoanApplication();

    Harness.restore(app, empty, 1);

    assertThat(Harness.checkpointOf(app)).isEqualTo(empty);
  }
}
