package io.steadfast.api;

/**
 * The application's {@code apply} threw an {@link Error} (not an {@link Exception}) for this
 * command, such as an {@link AssertionError} or a {@link StackOverflowError}. The runtime recorded
 * the same fault for the command on every replica, so the cluster keeps running and the replicas
 * stay equal; the command took a position but, unlike a rejection, failure atomicity is not
 * assured: the state may hold partial effects of the command. Each fault is counted in the node's
 * status.
 *
 * <p>A retry of the same request returns this exception again; a new request is a new command. This
 * is an application defect to fix. Errors that are not the command's fault (out of memory and other
 * virtual machine errors) are not turned into this outcome: they stop the node, which recovers from
 * its checkpoint and the journal.
 */
public final class ApplicationFaultException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final Position position;
  private final String errorType;

  /**
   * @param position the command's position
   * @param errorType the simple class name of the error apply threw
   */
  public ApplicationFaultException(Position position, String errorType) {
    super(
        "apply failed with "
            + errorType
            + " at "
            + position
            + "; the state may hold partial effects of the command");
    this.position = position;
    this.errorType = errorType;
  }

  /** The command's position. */
  public Position position() {
    return position;
  }

  /** The simple class name of the error apply threw. */
  public String errorType() {
    return errorType;
  }
}
