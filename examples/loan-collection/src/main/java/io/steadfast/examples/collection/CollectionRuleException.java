package io.steadfast.examples.collection;

import java.util.Locale;

/**
 * A command broke a business rule of the collection system; it changed nothing.
 *
 * <p>The message starts with the {@link Violation} in lower case ({@code not_assigned: ...}), so a
 * client that receives only the message can still tell violations apart. Immutable and thread-safe.
 */
public final class CollectionRuleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Which rule was broken. */
  public enum Violation {
    /** An account with this id is already open. */
    ACCOUNT_EXISTS,
    /** The account is paid off or charged off and takes no such command. */
    ACCOUNT_CLOSED,
    /** The account is not assigned to the submitting collector. */
    NOT_ASSIGNED,
    /** The account already has an open promise to pay. */
    PROMISE_OPEN,
    /** The promised date is before the business date or beyond the promise horizon. */
    PROMISE_DATE_OUT_OF_RANGE,
    /** The amount is more than the account owes. */
    AMOUNT_EXCEEDS_BALANCE,
    /** The leader timestamp's date is before the business date. */
    BUSINESS_DATE_BACKWARDS,
    /** A command that changes state was sent as a read-only query. */
    NOT_A_QUERY
  }

  private final Violation violation;

  /** For {@code violation}, described by {@code detail}. */
  public CollectionRuleException(Violation violation, String detail) {
    super(violation.name().toLowerCase(Locale.ROOT) + ": " + detail);
    this.violation = violation;
  }

  /** Which rule was broken. */
  public Violation violation() {
    return violation;
  }
}
