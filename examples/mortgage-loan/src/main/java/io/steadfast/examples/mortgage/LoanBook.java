package io.steadfast.examples.mortgage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The whole state of the pipeline: every loan by id, and the number of the last id assigned.
 *
 * <p>Loans live in pages of {@value #PAGE_SIZE} slots indexed by loan number, so iteration (and
 * therefore the checkpoint) is in id order whatever order they were added in. The pages are
 * copy-on-write: {@link #freeze} shares the current pages with an immutable {@link Snapshot} in
 * constant time per page, and the book copies a shared page the first time it changes it
 * afterwards. That is what lets the runtime write a checkpoint of a million loans in the background
 * while commands go on. A per-stage index of loan numbers is derived from the loans and rebuilt on
 * restore; it is never checkpointed. Not thread-safe: written only on the apply thread; a snapshot
 * may be read from any thread.
 */
final class LoanBook {

  static final int PAGE_SIZE = 1024;
  private static final int PAGE_SHIFT = 10;

  /** The largest loan number the book can hold. */
  static final long MAX_NUMBER = ((long) Integer.MAX_VALUE << PAGE_SHIFT) - 1;

  private Loan[][] pages = new Loan[0][];

  /** For each page, the generation in which this book made it its own. */
  private int[] pageGeneration = new int[0];

  /** Bumped by {@link #freeze}: a page from an older generation is shared with a snapshot. */
  private int generation;

  private int size;
  private long lastLoanNumber;
  private final EnumMap<LoanStage, TreeSet<Long>> byStage = new EnumMap<>(LoanStage.class);

  LoanBook() {
    for (LoanStage stage : LoanStage.values()) {
      byStage.put(stage, new TreeSet<>());
    }
  }

  /** The loan with this id. */
  Loan get(String loanId) {
    Loan loan = find(number(loanId));
    if (loan == null) {
      throw new UnknownLoanException(loanId);
    }
    return loan;
  }

  /** Whether a loan with this id is in the book. */
  boolean contains(String loanId) {
    return find(number(loanId)) != null;
  }

  /** The id the next submitted loan gets; does not reserve it. */
  String nextLoanId() {
    return loanId(lastLoanNumber + 1);
  }

  /** The number of the last loan id assigned; 0 before the first. */
  long lastLoanNumber() {
    return lastLoanNumber;
  }

  /** How many loans the book holds. */
  int size() {
    return size;
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
    long number = number(loan.loanId());
    if (number < 1) {
      throw new IllegalArgumentException("not a loan id this book can hold: " + loan.loanId());
    }
    Loan[] page = writablePage((int) (number >>> PAGE_SHIFT));
    int slot = (int) (number & (PAGE_SIZE - 1));
    Loan old = page[slot];
    page[slot] = loan;
    if (old == null) {
      size++;
    } else if (old.stage() == loan.stage()) {
      return; // indexed under that stage already
    } else {
      stage(old.stage()).remove(number);
    }
    stage(loan.stage()).add(number);
  }

  /** Sets the last loan number, while restoring. */
  void setLastLoanNumber(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("last loan number must not be negative: " + number);
    }
    lastLoanNumber = number;
  }

  /** The highest number of any loan in the book, or 0 when it is empty. */
  long highestNumber() {
    for (int p = pages.length - 1; p >= 0; p--) {
      Loan[] page = pages[p];
      for (int slot = page == null ? -1 : PAGE_SIZE - 1; slot >= 0; slot--) {
        if (page[slot] != null) {
          return ((long) p << PAGE_SHIFT) + slot;
        }
      }
    }
    return 0;
  }

  /** Up to {@code limit} loans in {@code stage}, oldest id first. */
  List<Loan> inStage(LoanStage stage, int limit) {
    List<Loan> found = new ArrayList<>(Math.min(limit, stage(stage).size()));
    for (long number : stage(stage)) {
      if (found.size() == limit) {
        break;
      }
      found.add(find(number));
    }
    return found;
  }

  /** The loan numbers in {@code stage}: every stage has an entry from construction on. */
  private java.util.Set<Long> stage(LoanStage stage) {
    return java.util.Objects.requireNonNull(byStage.get(stage), "stage index");
  }

  /** How many loans are in {@code stage}. */
  int countInStage(LoanStage stage) {
    return stage(stage).size();
  }

  /**
   * The book as it is now, for reading at once on the apply thread; it changes with the book. Costs
   * nothing.
   */
  Snapshot live() {
    return new Snapshot(pages, size, lastLoanNumber);
  }

  /**
   * The book as it is now, unaffected by later changes, readable from any thread. Costs one copy of
   * the page table; the first later change of each page copies that page.
   */
  Snapshot freeze() {
    generation++;
    return new Snapshot(pages.clone(), size, lastLoanNumber);
  }

  private Loan[] writablePage(int p) {
    if (p >= pages.length) {
      int length = Math.max(p + 1, pages.length + (pages.length >> 1) + 1);
      pages = Arrays.copyOf(pages, length);
      pageGeneration = Arrays.copyOf(pageGeneration, length);
    }
    Loan[] page = pages[p];
    if (page == null) {
      page = new Loan[PAGE_SIZE];
    } else if (pageGeneration[p] != generation) {
      page = page.clone();
    } else {
      return page;
    }
    pages[p] = page;
    pageGeneration[p] = generation;
    return page;
  }

  private @org.jspecify.annotations.Nullable Loan find(long number) {
    if (number < 1) {
      return null;
    }
    long p = number >>> PAGE_SHIFT;
    if (p >= pages.length || pages[(int) p] == null) {
      return null;
    }
    return pages[(int) p][(int) (number & (PAGE_SIZE - 1))];
  }

  /** The id for loan number {@code number}: {@code L-} and at least six digits. */
  static String loanId(long number) {
    String digits = Long.toString(number);
    return digits.length() >= 6
        ? "L-" + digits
        : "L-" + "000000".substring(digits.length()) + digits;
  }

  /**
   * The number in a loan id written by {@link #loanId}, or -1 if {@code loanId} is not one (other
   * prefix, not digits, a different number of leading zeros, out of range).
   */
  static long number(String loanId) {
    int length = loanId.length();
    if (length < 8 || length > 21 || !loanId.startsWith("L-")) {
      return -1;
    }
    long number = 0;
    for (int i = 2; i < length; i++) {
      char c = loanId.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      number = number * 10 + (c - '0');
      if (number > MAX_NUMBER) {
        return -1;
      }
    }
    // Only the canonical spelling names a loan: "L-0000001" is not "L-000001".
    return (length == 8 || loanId.charAt(2) != '0') ? number : -1;
  }

  /**
   * The loans of a book at one moment, in id order. Immutable when made by {@link #freeze}.
   *
   * @param pages the page table (shared pages are never written again)
   * @param size how many loans
   * @param lastLoanNumber the last loan number assigned
   */
  record Snapshot(Loan[][] pages, int size, long lastLoanNumber) implements Iterable<Loan> {
    @Override
    public Iterator<Loan> iterator() {
      return new Iterator<>() {
        private int page;
        private int slot = -1;
        private @org.jspecify.annotations.Nullable Loan next = advance();

        private @org.jspecify.annotations.Nullable Loan advance() {
          while (page < pages.length) {
            Loan[] current = pages[page];
            if (current != null) {
              while (++slot < PAGE_SIZE) {
                if (current[slot] != null) {
                  return current[slot];
                }
              }
            }
            page++;
            slot = -1;
          }
          return null;
        }

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public Loan next() {
          Loan result = next;
          if (result == null) {
            throw new NoSuchElementException();
          }
          next = advance();
          return result;
        }
      };
    }
  }
}
