package io.steadfast.examples.collection;

/**
 * A command named an account the system does not hold; it changed nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnknownAccountException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String accountId;

  /** For the unknown {@code accountId}. */
  public UnknownAccountException(String accountId) {
    super("unknown account: " + accountId);
    this.accountId = accountId;
  }

  /** The account that is not held. */
  public String accountId() {
    return accountId;
  }
}
