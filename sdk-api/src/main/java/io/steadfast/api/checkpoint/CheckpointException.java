package io.steadfast.api.checkpoint;

import io.steadfast.api.SteadfastException;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint was refused: it is corrupt, truncated, not a Steadfast checkpoint, or written by a
 * newer application version. A refused checkpoint is never restored; the running state is left
 * unchanged and the node fetches a good checkpoint from the primary.
 */
public final class CheckpointException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  /** Why a checkpoint was refused. */
  public enum Problem {
    /** The checksum does not match the bytes. */
    CORRUPT,
    /** The file ends before its trailer. */
    TRUNCATED,
    /** The file does not start with the Steadfast magic. */
    FOREIGN,
    /** The runtime format or the application version is newer than this node understands. */
    UNSUPPORTED_VERSION,
    /** The application's restore failed on bytes that passed the checksum. */
    UNREADABLE
  }

  private final Problem problem;
  private final String checkpoint;

  /**
   * @param problem what is wrong
   * @param checkpoint the name of the checkpoint (a file name, or a description)
   * @param detail more about the problem
   * @param cause the underlying exception, if any
   */
  public CheckpointException(
      Problem problem, String checkpoint, String detail, @Nullable Throwable cause) {
    super(
        "checkpoint "
            + checkpoint
            + " refused ("
            + problem.name().toLowerCase(java.util.Locale.ROOT)
            + "): "
            + detail,
        cause);
    this.problem = problem;
    this.checkpoint = checkpoint;
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }

  /** The checkpoint's name. */
  public String checkpoint() {
    return checkpoint;
  }
}
