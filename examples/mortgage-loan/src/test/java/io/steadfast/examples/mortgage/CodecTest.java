package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.goodRequest;
import static io.steadfast.examples.mortgage.Fixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.MalformedCommandException;
import io.steadfast.codec.binary.BinaryCodec;
import io.steadfast.codec.jackson.JacksonCodec;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CodecTest {

  private static final JacksonCodec<LoanCommand, LoanResult> CODEC =
      MortgageLoanApplication.codec();
  private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

  private static List<LoanCommand> everyCommand() {
    return List.of(
        new LoanCommand.EnterIntakeField(IntakeField.MONTHLY_INCOME, "8000"),
        new LoanCommand.SubmitApplication(goodRequest("Zoë Ünal")),
        new LoanCommand.RecordCreditReport("L-000001", 742),
        new LoanCommand.RecordAppraisal("L-000001", money("312500.5")),
        new LoanCommand.Underwrite(
            "L-000001",
            Verdict.APPROVE,
            List.of(Condition.CLEAR_TITLE, Condition.PROOF_OF_INCOME),
            "fine"),
        new LoanCommand.DeclineApplication("L-000001", "fraud"),
        new LoanCommand.ScheduleClosing("L-000001", DAY.plusDays(30)),
        new LoanCommand.RescheduleClosing("L-000001", DAY.plusDays(45)),
        new LoanCommand.FundLoan("L-000001"),
        new LoanCommand.WithdrawApplication("L-000001", "moved"),
        new LoanCommand.GetLoan("L-000001"),
        new LoanCommand.ListPipeline(LoanStage.APPRAISED, 20),
        new LoanCommand.GetSchedule("L-1234567"));
  }

  private static List<LoanResult> everyResult() {
    Harness harness = new Harness();
    String id = Fixtures.approved(harness, goodRequest("Ada"));
    Loan loan = Fixtures.loan(harness, id);
    Loan.Decision declined =
        new Loan.Decision(
            false,
            List.of(DeclineReason.CREDIT_SCORE_TOO_LOW, DeclineReason.LOAN_TO_VALUE_TOO_HIGH),
            List.of(),
            money("0.4301"),
            money("0.9600"),
            "umar",
            DAY,
            "");
    return List.of(
        new LoanResult.FieldAccepted(IntakeField.BORROWER_NAME, "Ada"),
        new LoanResult.ApplicationSubmitted(id, money("1199.10"), DAY),
        new LoanResult.CreditReportRecorded(id, 700),
        new LoanResult.AppraisalRecorded(id, money("300000.00"), money("0.6667")),
        new LoanResult.Decided(id, loan.decision()),
        new LoanResult.Decided(id, declined),
        new LoanResult.ClosingScheduled(id, DAY),
        new LoanResult.ClosingRescheduled(id, DAY, DAY.plusDays(3)),
        new LoanResult.LoanFunded(id, money("200000.00"), DAY),
        new LoanResult.ApplicationWithdrawn(id, LoanStage.APPROVED),
        new LoanResult.LoanDetails(loan),
        new LoanResult.Pipeline(LoanStage.APPROVED, List.of(loan), 3),
        new LoanResult.Schedule(
            id, Amortization.schedule(money("200000.00"), money("6.000"), 360).subList(0, 3)));
  }

  /** The example's types are all within what the compact codec supports, and survive it. */
  @Test
  void binaryCodec_roundTripsEveryCommandAndResult_inFewerBytes() {
    BinaryCodec<LoanCommand, LoanResult> binary =
        BinaryCodec.of(LoanCommand.class, LoanResult.class);
    for (LoanCommand command : everyCommand()) {
      byte[] bytes = binary.encodeCommand(command);
      assertThat(binary.decodeCommand(bytes)).isEqualTo(command);
      assertThat(bytes.length).as("%s", command).isLessThan(CODEC.encodeCommand(command).length);
    }
    for (LoanResult result : everyResult()) {
      byte[] bytes = binary.encodeResult(result);
      assertThat(binary.decodeResult(bytes)).isEqualTo(result);
      assertThat(bytes.length).as("%s", result).isLessThan(CODEC.encodeResult(result).length);
    }
  }

  @Test
  void samples_coverEveryCommandAndResultType() {
    assertThat(typesOf(everyCommand())).isEqualTo(concreteSubtypes(LoanCommand.class));
    assertThat(typesOf(everyResult())).isEqualTo(concreteSubtypes(LoanResult.class));
  }

  @Test
  void encodeDecode_everyCommand_equalValueAndStableBytes() {
    for (LoanCommand command : everyCommand()) {
      byte[] bytes = CODEC.encodeCommand(command);
      LoanCommand decoded = CODEC.decodeCommand(bytes);

      assertThat(decoded).as(command.toString()).isEqualTo(command);
      assertThat(CODEC.encodeCommand(decoded)).isEqualTo(bytes);
      assertThat(new String(bytes, StandardCharsets.UTF_8))
          .contains("\"@type\":\"" + command.getClass().getSimpleName() + "\"");
    }
  }

  @Test
  void encodeDecode_everyResult_equalValueAndStableBytes() {
    for (LoanResult result : everyResult()) {
      byte[] bytes = CODEC.encodeResult(result);
      LoanResult decoded = CODEC.decodeResult(bytes);

      assertThat(decoded).as(result.getClass().getSimpleName()).isEqualTo(result);
      assertThat(CODEC.encodeResult(decoded)).isEqualTo(bytes);
    }
  }

  @Test
  void decode_fieldThatFailsValidation_malformed() {
    byte[] bytes =
        "{\"@type\":\"RecordCreditReport\",\"creditScore\":900,\"loanId\":\"L-000001\"}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CODEC.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("creditScore must be between 300 and 850: 900");
  }

  @Test
  void decode_unknownType_malformed() {
    byte[] bytes =
        "{\"@type\":\"ForgiveLoan\",\"loanId\":\"L-000001\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CODEC.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("ForgiveLoan");
  }

  @Test
  void decode_subCentAmount_malformed() {
    byte[] bytes =
        "{\"@type\":\"RecordAppraisal\",\"appraisedValue\":300000.001,\"loanId\":\"L-000001\"}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CODEC.decodeCommand(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("appraisedValue must be a whole number of cents: 300000.001");
  }

  private static Set<Class<?>> typesOf(List<?> values) {
    return values.stream().map(Object::getClass).collect(Collectors.toSet());
  }

  private static Set<Class<?>> concreteSubtypes(Class<?> root) {
    Set<Class<?>> found = new HashSet<>();
    Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      Class<?> type = pending.pop();
      if (type.isSealed()) {
        pending.addAll(List.of(type.getPermittedSubclasses()));
      } else {
        found.add(type);
      }
    }
    return found;
  }

  @Test
  void simpleNames_uniqueAcrossBothHierarchies() {
    List<String> names =
        Stream.concat(
                concreteSubtypes(LoanCommand.class).stream(),
                concreteSubtypes(LoanResult.class).stream())
            .map(Class::getSimpleName)
            .toList();

    assertThat(names).doesNotHaveDuplicates();
  }
}
