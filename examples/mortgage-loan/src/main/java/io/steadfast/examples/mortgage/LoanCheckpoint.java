package io.steadfast.examples.mortgage;

import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads a {@link LoanBook} in checkpoint format version {@value #VERSION}.
 *
 * <p>The format, in order: the last loan number (long); the number of loans (int); each loan in id
 * order; the end marker {@value #END} (string). A loan is its id, officer, stage name, the request
 * (name, income, debts, property value, amount, term, rate), the payment and the submission day,
 * then each optional part (credit report, appraisal, decision, closing, funding, withdrawal) as a
 * presence flag followed, if present, by its fields in component order. Days are written as epoch
 * days, enums by name, decimals exactly, lists as a count and their elements. Equal books give
 * equal bytes. Arguments are read in Java's left-to-right evaluation order, which is the written
 * order. Stateless.
 */
final class LoanCheckpoint {

  /** The checkpoint format this class writes and reads. */
  static final int VERSION = 1;

  /** Written after the last loan, to catch a payload read with the wrong layout. */
  static final String END = "mlps-end";

  private LoanCheckpoint() {}

  static void write(LoanBook.Snapshot book, CheckpointWriter out) throws IOException {
    out.writeLong(book.lastLoanNumber());
    out.writeInt(book.size());
    for (Loan loan : book) {
      writeLoan(loan, out);
    }
    out.writeString(END);
  }

  /**
   * Reads a book written by {@link #write}.
   *
   * @throws IOException if the version is not {@value #VERSION}, the bytes end early, or what they
   *     hold is not a consistent book
   */
  static LoanBook read(CheckpointReader in) throws IOException {
    if (in.version() != VERSION) {
      throw new IOException(
          "unsupported mortgage checkpoint version "
              + in.version()
              + "; this application reads version "
              + VERSION);
    }
    try {
      LoanBook book = new LoanBook();
      long lastLoanNumber = in.readLong();
      int count = in.readInt();
      if (count < 0) {
        throw new IOException("negative loan count in checkpoint: " + count);
      }
      for (int i = 0; i < count; i++) {
        Loan loan = readLoan(in);
        if (book.contains(loan.loanId())) {
          throw new IOException("loan " + loan.loanId() + " appears twice in checkpoint");
        }
        book.put(loan);
      }
      book.setLastLoanNumber(lastLoanNumber);
      if (book.highestNumber() > lastLoanNumber) {
        throw new IOException(
            "checkpoint holds loan "
                + LoanBook.loanId(book.highestNumber())
                + " beyond the last assigned number "
                + lastLoanNumber);
      }
      String end = in.readString();
      if (!END.equals(end)) {
        throw new IOException("checkpoint does not end with the end marker: '" + end + "'");
      }
      return book;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException("inconsistent mortgage checkpoint: " + e.getMessage(), e);
    }
  }

  private static void writeLoan(Loan loan, CheckpointWriter out) throws IOException {
    out.writeString(loan.loanId());
    out.writeString(loan.officer());
    out.writeString(loan.stage().name());
    LoanRequest request = loan.request();
    out.writeString(request.borrowerName());
    out.writeDecimal(request.monthlyIncome());
    out.writeDecimal(request.monthlyDebts());
    out.writeDecimal(request.propertyValue());
    out.writeDecimal(request.loanAmount());
    out.writeInt(request.termMonths());
    out.writeDecimal(request.annualRatePercent());
    out.writeDecimal(loan.monthlyPayment());
    writeDay(loan.submittedOn(), out);

    Loan.CreditReport credit = loan.creditReport();
    out.writeBoolean(credit != null);
    if (credit != null) {
      out.writeInt(credit.creditScore());
      out.writeString(credit.recordedBy());
      writeDay(credit.recordedOn(), out);
    }
    Loan.Appraisal appraisal = loan.appraisal();
    out.writeBoolean(appraisal != null);
    if (appraisal != null) {
      out.writeDecimal(appraisal.appraisedValue());
      out.writeString(appraisal.recordedBy());
      writeDay(appraisal.recordedOn(), out);
    }
    Loan.Decision decision = loan.decision();
    out.writeBoolean(decision != null);
    if (decision != null) {
      out.writeBoolean(decision.approved());
      writeNames(decision.reasons(), out);
      writeNames(decision.conditions(), out);
      out.writeDecimal(decision.debtToIncome());
      out.writeDecimal(decision.loanToValue());
      out.writeString(decision.underwriter());
      writeDay(decision.decidedOn(), out);
      out.writeString(decision.note());
    }
    Loan.Closing closing = loan.closing();
    out.writeBoolean(closing != null);
    if (closing != null) {
      writeDay(closing.closingDate(), out);
      out.writeString(closing.scheduledBy());
      writeDay(closing.scheduledOn(), out);
    }
    Loan.Funding funding = loan.funding();
    out.writeBoolean(funding != null);
    if (funding != null) {
      out.writeDecimal(funding.amount());
      out.writeString(funding.fundedBy());
      writeDay(funding.fundedOn(), out);
    }
    Loan.Withdrawal withdrawal = loan.withdrawal();
    out.writeBoolean(withdrawal != null);
    if (withdrawal != null) {
      out.writeString(withdrawal.fromStage().name());
      out.writeString(withdrawal.reason());
      out.writeString(withdrawal.withdrawnBy());
      writeDay(withdrawal.withdrawnOn(), out);
    }
  }

  /** The largest scale any stored amount or ratio has (rates and ratios carry a few decimals). */
  private static final int MAX_SCALE = 12;

  /** More digits than any amount the pipeline stores. */
  private static final int MAX_PRECISION = 40;

  /**
   * Reads a decimal and refuses one no writer of this format produces: a corrupt scale would
   * otherwise make the next rescaling compute a power of ten with billions of digits.
   */
  private static BigDecimal readAmount(CheckpointReader in) throws IOException {
    BigDecimal value = in.readDecimal();
    if (value.scale() < 0 || value.scale() > MAX_SCALE || value.precision() > MAX_PRECISION) {
      throw new IOException(
          "implausible decimal in checkpoint: scale "
              + value.scale()
              + ", precision "
              + value.precision());
    }
    return value;
  }

  private static Loan readLoan(CheckpointReader in) throws IOException {
    String loanId = in.readString();
    String officer = in.readString();
    LoanStage stage = LoanStage.valueOf(in.readString());
    LoanRequest request =
        new LoanRequest(
            in.readString(),
            readAmount(in),
            readAmount(in),
            readAmount(in),
            readAmount(in),
            in.readInt(),
            readAmount(in));
    BigDecimal payment = readAmount(in);
    LocalDate submittedOn = readDay(in);

    Loan.CreditReport credit =
        in.readBoolean() ? new Loan.CreditReport(in.readInt(), in.readString(), readDay(in)) : null;
    Loan.Appraisal appraisal =
        in.readBoolean() ? new Loan.Appraisal(readAmount(in), in.readString(), readDay(in)) : null;
    Loan.Decision decision =
        in.readBoolean()
            ? new Loan.Decision(
                in.readBoolean(),
                readNames(DeclineReason.class, in),
                readNames(Condition.class, in),
                readAmount(in),
                readAmount(in),
                in.readString(),
                readDay(in),
                in.readString())
            : null;
    Loan.Closing closing =
        in.readBoolean() ? new Loan.Closing(readDay(in), in.readString(), readDay(in)) : null;
    Loan.Funding funding =
        in.readBoolean() ? new Loan.Funding(readAmount(in), in.readString(), readDay(in)) : null;
    Loan.Withdrawal withdrawal =
        in.readBoolean()
            ? new Loan.Withdrawal(
                LoanStage.valueOf(in.readString()), in.readString(), in.readString(), readDay(in))
            : null;
    return new Loan(
        loanId,
        officer,
        stage,
        request,
        payment,
        submittedOn,
        credit,
        appraisal,
        decision,
        closing,
        funding,
        withdrawal);
  }

  private static void writeDay(LocalDate day, CheckpointWriter out) throws IOException {
    out.writeLong(day.toEpochDay());
  }

  private static LocalDate readDay(CheckpointReader in) throws IOException {
    try {
      return LocalDate.ofEpochDay(in.readLong());
    } catch (DateTimeException e) {
      throw new IOException("day out of range in checkpoint", e);
    }
  }

  private static void writeNames(List<? extends Enum<?>> values, CheckpointWriter out)
      throws IOException {
    out.writeInt(values.size());
    for (Enum<?> value : values) {
      out.writeString(value.name());
    }
  }

  private static <E extends Enum<E>> List<E> readNames(Class<E> type, CheckpointReader in)
      throws IOException {
    int count = in.readInt();
    if (count < 0 || count > type.getEnumConstants().length) {
      throw new IOException("bad " + type.getSimpleName() + " count in checkpoint: " + count);
    }
    List<E> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(Enum.valueOf(type, in.readString()));
    }
    return values;
  }
}
