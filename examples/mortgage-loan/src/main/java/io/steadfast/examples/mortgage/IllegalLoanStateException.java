package io.steadfast.examples.mortgage;

/**
 * A command does not fit the loan's current stage, such as funding a loan that was never approved.
 * Thrown by {@link MortgageLoanApplication#apply}, which leaves the state unchanged; callers
 * receive it as a {@code CommandRejectedException} with this class's simple name.
 *
 * <p>Immutable once thrown.
 */
public final class IllegalLoanStateException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String loanId;
  private final LoanStage stage;
  private final String action;

  /**
   * @param loanId the loan
   * @param stage the loan's stage when the command arrived
   * @param action the simple name of the command that does not fit
   */
  public IllegalLoanStateException(String loanId, LoanStage stage, String action) {
    super("loan " + loanId + " in stage " + stage + " cannot take " + action);
    this.loanId = loanId;
    this.stage = stage;
    this.action = action;
  }

  /** The loan. */
  public String loanId() {
    return loanId;
  }

  /** The loan's stage when the command arrived. */
  public LoanStage stage() {
    return stage;
  }

  /** The simple name of the refused command. */
  public String action() {
    return action;
  }
}
