package io.steadfast.api;

/**
 * The application rejected a command: its {@code apply} (or {@code query}) threw. The rejection is
 * deterministic, recorded in the journal as the command's outcome, and the same on every replica; a
 * retry of the same request returns the same rejection.
 *
 * <p>The application's exception itself does not travel between nodes; its type name and message
 * do.
 */
public final class CommandRejectedException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final String errorType;
  private final String reason;

  /**
   * @param errorType the simple name of the exception the application threw
   * @param reason its message, empty if it had none
   */
  public CommandRejectedException(String errorType, String reason) {
    super("command rejected: " + errorType + (reason.isEmpty() ? "" : ": " + reason));
    this.errorType = errorType;
    this.reason = reason;
  }

  /** The simple class name of the exception the application threw. */
  public String errorType() {
    return errorType;
  }

  /** The application's message. */
  public String reason() {
    return reason;
  }
}
