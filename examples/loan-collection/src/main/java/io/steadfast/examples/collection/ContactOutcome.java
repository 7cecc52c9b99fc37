package io.steadfast.examples.collection;

/**
 * What happened when a collector tried to reach a borrower.
 *
 * <p>Immutable and thread-safe.
 */
public enum ContactOutcome {
  /** Nobody answered. */
  NO_ANSWER,
  /** A voice message was left. */
  LEFT_MESSAGE,
  /** The collector spoke with the borrower. */
  SPOKE,
  /** The number did not reach the borrower. */
  WRONG_NUMBER
}
