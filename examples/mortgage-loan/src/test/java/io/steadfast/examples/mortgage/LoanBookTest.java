package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.OFFICER;
import static io.steadfast.examples.mortgage.Fixtures.goodRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoanBookTest {

  private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

  private static Loan loan(long number) {
    return Loan.submitted(LoanBook.loanId(number), "olivia", goodRequest("B" + number), DAY);
  }

  private static LoanBook bookOf(int loans) {
    LoanBook book = new LoanBook();
    for (int i = 1; i <= loans; i++) {
      book.add(loan(i));
    }
    return book;
  }

  private static List<String> ids(Iterable<Loan> loans) {
    List<String> ids = new ArrayList<>();
    loans.forEach(loan -> ids.add(loan.loanId()));
    return ids;
  }

  @Test
  void loanIds_haveAtLeastSixDigits_andOnlyTheCanonicalSpellingParses() {
    assertThat(LoanBook.loanId(7)).isEqualTo("L-000007");
    assertThat(LoanBook.loanId(1_234_567)).isEqualTo("L-1234567");
    assertThat(LoanBook.number("L-000007")).isEqualTo(7);
    assertThat(LoanBook.number("L-1234567")).isEqualTo(1_234_567);
    assertThat(LoanBook.number("L-0000007")).as("extra zero").isEqualTo(-1);
    assertThat(LoanBook.number("L-7")).isEqualTo(-1);
    assertThat(LoanBook.number("X-000007")).isEqualTo(-1);
    assertThat(LoanBook.number("L-00000x")).isEqualTo(-1);
    assertThat(LoanBook.number("L-99999999999999999999")).isEqualTo(-1);
  }

  @Test
  void get_ofAnIdThatIsNotALoan_isUnknownLoan() {
    LoanBook book = bookOf(3);
    assertThatThrownBy(() -> book.get("L-000004")).isInstanceOf(UnknownLoanException.class);
    assertThatThrownBy(() -> book.get("L-0000001")).isInstanceOf(UnknownLoanException.class);
    assertThatThrownBy(() -> book.get("nonsense")).isInstanceOf(UnknownLoanException.class);
    assertThat(book.get("L-000003").loanId()).isEqualTo("L-000003");
  }

  @Test
  void snapshots_iterateInIdOrderAcrossPages_skippingGaps() {
    LoanBook book = new LoanBook();
    for (long number : new long[] {5000, 3, 1025, 1024, 1, 2048}) {
      book.put(loan(number));
    }
    assertThat(ids(book.live()))
        .containsExactly("L-000001", "L-000003", "L-001024", "L-001025", "L-002048", "L-005000");
    assertThat(book.size()).isEqualTo(6);
    assertThat(book.highestNumber()).isEqualTo(5000);
  }

  @Test
  void stageIndex_followsEachLoan_whetherItsStageChangesOrNot() {
    LoanBook book = bookOf(3);
    LoanStage submitted = book.get("L-000001").stage();
    // Another stage: the loan moves from one index to the other.
    Loan checked = book.get("L-000001").withCreditReport(new Loan.CreditReport(700, "olivia", DAY));
    assertThat(checked.stage()).isNotEqualTo(submitted);
    book.put(checked);
    assertThat(book.countInStage(submitted)).isEqualTo(2);
    assertThat(book.countInStage(checked.stage())).isEqualTo(1);
    // The same stage, new content: still indexed once there, and listed with the new content.
    Loan rechecked = checked.withCreditReport(new Loan.CreditReport(640, "olivia", DAY));
    assertThat(rechecked.stage()).isEqualTo(checked.stage());
    book.put(rechecked);
    assertThat(book.countInStage(checked.stage())).isEqualTo(1);
    assertThat(book.inStage(checked.stage(), 10).get(0).creditReport())
        .isEqualTo(rechecked.creditReport());
    assertThat(book.size()).isEqualTo(3);
  }

  @Test
  void frozenSnapshot_isUnaffectedByLaterChanges_whileTheBookSeesThem() {
    LoanBook book = bookOf(3000);
    LoanBook.Snapshot frozen = book.freeze();
    List<String> before = ids(frozen);
    Loan changed = book.get("L-000010").withCreditReport(new Loan.CreditReport(700, "olivia", DAY));
    book.put(changed);
    book.add(loan(3001));
    LoanBook.Snapshot second = book.freeze();
    book.put(book.get("L-002500").withCreditReport(new Loan.CreditReport(650, "olivia", DAY)));

    assertThat(ids(frozen)).isEqualTo(before).hasSize(3000);
    assertThat(frozen.size()).isEqualTo(3000);
    assertThat(frozen.pages()[0][10].creditReport()).isNull();
    assertThat(second.pages()[0][10].creditReport()).isNotNull();
    assertThat(second.size()).isEqualTo(3001);
    assertThat(second.pages()[2][2500 - 2048].creditReport()).isNull();
    assertThat(book.get("L-000010").creditReport()).isNotNull();
    assertThat(book.get("L-002500").creditReport()).isNotNull();
  }

  @Test
  void freeze_writesTheBytesCheckpointWroteAtThatMoment_whateverIsAppliedAfter()
      throws IOException {
    Harness harness = new Harness();
    for (int i = 0; i < 40; i++) {
      Fixtures.submitted(harness, goodRequest("Early " + i));
    }
    byte[] atFreeze = harness.checkpoint();
    var frozen = harness.app().freeze();
    for (int i = 0; i < 1100; i++) {
      Fixtures.submitted(harness, goodRequest("Late " + i));
    }
    harness.apply(OFFICER, new LoanCommand.RecordCreditReport("L-000001", 640));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StreamCheckpointWriter writer = new StreamCheckpointWriter(bytes);
    frozen.writeTo(writer);
    writer.flush();
    assertThat(bytes.toByteArray()).isEqualTo(atFreeze);
    assertThat(harness.checkpoint()).isNotEqualTo(atFreeze);
  }
}
