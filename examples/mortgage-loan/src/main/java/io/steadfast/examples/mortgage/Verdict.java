package io.steadfast.examples.mortgage;

/**
 * What an underwriter asks for in {@link LoanCommand.Underwrite}. An approval is granted only if
 * every {@linkplain Underwriting rule} passes. Immutable and thread-safe.
 */
public enum Verdict {
  /** Approve, if the rules allow it. */
  APPROVE,
  /** Decline, whatever the rules say. */
  DECLINE
}
