package io.steadfast.examples.mortgage;

import java.util.NoSuchElementException;

/**
 * A command or query names a loan id that was never assigned. The state is unchanged.
 *
 * <p>Immutable once thrown.
 */
public final class UnknownLoanException extends NoSuchElementException {

  private static final long serialVersionUID = 1L;

  private final String loanId;

  /** For the unknown {@code loanId}. */
  public UnknownLoanException(String loanId) {
    super("unknown loan: " + loanId);
    this.loanId = loanId;
  }

  /** The id that is not known. */
  public String loanId() {
    return loanId;
  }
}
