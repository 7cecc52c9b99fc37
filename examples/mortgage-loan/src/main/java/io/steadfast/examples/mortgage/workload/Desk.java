package io.steadfast.examples.mortgage.workload;

import io.steadfast.api.session.Principal;
import io.steadfast.examples.mortgage.LoanRoles;

/**
 * The three jobs of the pipeline, each simulated by a {@link LoanWorkflow} and each needing one
 * role. Immutable and thread-safe.
 */
public enum Desk {
  /**
   * Takes applications through intake, credit check and appraisal; role {@value LoanRoles#OFFICER}.
   */
  OFFICER,
  /** Approves or declines appraised applications; role {@value LoanRoles#UNDERWRITER}. */
  UNDERWRITER,
  /** Schedules closings and funds loans; role {@value LoanRoles#CLOSER}. */
  CLOSER;

  /** The principal a session for {@code user} at this desk is opened with. */
  public Principal principal(String user) {
    return switch (this) {
      case OFFICER -> LoanRoles.officer(user);
      case UNDERWRITER -> LoanRoles.underwriter(user);
      case CLOSER -> LoanRoles.closer(user);
    };
  }
}
