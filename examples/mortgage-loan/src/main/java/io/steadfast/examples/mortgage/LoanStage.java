package io.steadfast.examples.mortgage;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a loan is in the pipeline, with the table of legal moves between stages.
 *
 * <p>The happy path is {@code APPLIED → CREDIT_CHECKED → APPRAISED → APPROVED → CLOSING_SCHEDULED →
 * FUNDED}. Every stage before {@code FUNDED} may also move to {@code DECLINED} or {@code
 * WITHDRAWN}. {@code FUNDED}, {@code DECLINED} and {@code WITHDRAWN} are final. The application
 * checks every change against {@link #canMoveTo}. Immutable and thread-safe.
 */
public enum LoanStage {
  /** Intake complete; waiting for the credit report. */
  APPLIED,
  /** Credit score recorded; waiting for the appraisal. */
  CREDIT_CHECKED,
  /** Appraised value recorded; waiting for underwriting. */
  APPRAISED,
  /** Approved by underwriting, possibly with conditions; waiting for a closing date. */
  APPROVED,
  /** Closing date set; waiting for funding. */
  CLOSING_SCHEDULED,
  /** Money disbursed. Final. */
  FUNDED,
  /** Declined by underwriting or by an underwriter. Final. */
  DECLINED,
  /** Withdrawn by the officer at the borrower's request. Final. */
  WITHDRAWN;

  /** Whether no further move is possible. */
  public boolean isFinal() {
    return this == FUNDED || this == DECLINED || this == WITHDRAWN;
  }

  /** The stages a loan in this stage may move to; empty for a final stage. */
  public Set<LoanStage> successors() {
    return switch (this) {
      case APPLIED -> EnumSet.of(CREDIT_CHECKED, DECLINED, WITHDRAWN);
      case CREDIT_CHECKED -> EnumSet.of(APPRAISED, DECLINED, WITHDRAWN);
      case APPRAISED -> EnumSet.of(APPROVED, DECLINED, WITHDRAWN);
      case APPROVED -> EnumSet.of(CLOSING_SCHEDULED, DECLINED, WITHDRAWN);
      case CLOSING_SCHEDULED -> EnumSet.of(FUNDED, DECLINED, WITHDRAWN);
      case FUNDED, DECLINED, WITHDRAWN -> EnumSet.noneOf(LoanStage.class);
    };
  }

  /** Whether a loan in this stage may move to {@code next}. */
  public boolean canMoveTo(LoanStage next) {
    return successors().contains(next);
  }
}
