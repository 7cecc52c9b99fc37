package io.steadfast.examples.mortgage;

import io.steadfast.api.session.Principal;

/**
 * The roles of the loan pipeline, named in the {@code @RolesAllowed} annotations of {@link
 * LoanCommand}, and factories for principals that hold them.
 *
 * <p>Officers take applications through intake, credit check and appraisal and may withdraw them;
 * underwriters approve or decline; closers schedule closings and fund loans. Queries are open to
 * every authenticated user. Stateless and thread-safe.
 */
public final class LoanRoles {

  /** Takes applications from intake to appraisal, and withdraws them. */
  public static final String OFFICER = "officer";

  /** Approves or declines applications. */
  public static final String UNDERWRITER = "underwriter";

  /** Schedules closings and funds approved loans. */
  public static final String CLOSER = "closer";

  private LoanRoles() {}

  /** A loan officer called {@code user}. */
  public static Principal officer(String user) {
    return Principal.of(user, OFFICER);
  }

  /** An underwriter called {@code user}. */
  public static Principal underwriter(String user) {
    return Principal.of(user, UNDERWRITER);
  }

  /** A closer called {@code user}. */
  public static Principal closer(String user) {
    return Principal.of(user, CLOSER);
  }

  /** A supervisor called {@code user} who holds every role, for demos run by one person. */
  public static Principal supervisor(String user) {
    return Principal.of(user, OFFICER, UNDERWRITER, CLOSER);
  }
}
