package io.steadfast.examples.mortgage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole state of the pipeline: every loan by id, and the number of the last id assigned.
 *
 * <p>Loans are kept in a {@link TreeMap} ordered by id number, so iteration (and therefore the
 * checkpoint) is in id order whatever order they were added in. A per-stage index of ids is derived from the loans and
 * rebuilt on restore; it is never checkpointed. Not thread-safe: written only on the apply thread.
 */
final class LoanBook {

  /** Orders ids numerically: a shorter id is a smaller number ({@code L-999999 < L-1000000}). */
  static final Comparator<String> BY_NUMBER =
      Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

  private final TreeMap<String, Loan> loans = new TreeMap<>(BY_NUMBER);
  private final EnumMap<LoanStage, TreeSet<String>> byStage = new EnumMap<>(LoanStage.class);
  private long lastLoanNumber;

  LoanBook() {
    for (LoanStage stage : LoanStage.values()) {
      byStage.put(stage, new TreeSet<>(BY_NUMBER));
    }
  }

  /** The loan with this id. */
  Loan get(String loanId) {
    Loan loan = loans.get(loanId);
    if (loan == null) {
      throw new UnknownLoanException(loanId);
    }
    return loan;
  }

  /** The id the next submitted loan gets; does not reserve it. */
  String nextLoanId() {
    return loanId(lastLoanNumber + 1);
  }

  /** The number of the last loan id assigned; 0 before the first. */
  long lastLoanNumber() {
    return lastLoanNumber;
  }

  /** Adds a loan with the id {@link #nextLoanId()} and counts the id as used. */
  void add(Loan loan) {
    if (!loan.loanId().equals(nextLoanId())) {
      throw new IllegalStateException(
          "new loan " + loan.loanId() + " does not have the next id " + nextLoanId());
    }
    lastLoanNumber++;
    put(loan);
  }

  /** Replaces a loan (or, while restoring, adds one), keeping the stage index current. */
  void put(Loan loan) {
    Loan old = loans.put(loan.loanId(), loan);
    if (old != null) {
      byStage.get(old.stage()).remove(old.loanId());
    }
    byStage.get(loan.stage()).add(loan.loanId());
  }

  /** Sets the last loan number, while restoring. */
  void setLastLoanNumber(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("last loan number must not be negative: " + number);
    }
    lastLoanNumber = number;
  }

  /** Every loan, in id order. Unmodifiable view. */
  NavigableMap<String, Loan> loans() {
    return Collections.unmodifiableNavigableMap(loans);
  }

  /** Up to {@code limit} loans in {@code stage}, oldest id first. */
  List<Loan> inStage(LoanStage stage, int limit) {
    List<Loan> found = new ArrayList<>(Math.min(limit, byStage.get(stage).size()));
    for (String id : byStage.get(stage)) {
      if (found.size() == limit) {
        break;
      }
      found.add(loans.get(id));
    }
    return found;
  }

  /** How many loans are in {@code stage}. */
  int countInStage(LoanStage stage) {
    return byStage.get(stage).size();
  }

  /** The id for loan number {@code number}: {@code L-} and at least six digits. */
  static String loanId(long number) {
    return String.format(Locale.ROOT, "L-%06d", number);
  }
}
