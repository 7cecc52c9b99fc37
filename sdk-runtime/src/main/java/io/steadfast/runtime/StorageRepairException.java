package io.steadfast.runtime;

import io.steadfast.api.SteadfastException;
import java.nio.file.Path;
import java.util.List;

/**
 * A node found its storage damaged at start, repaired it as far as it could, and will not take part
 * in the cluster because what it had to cut may include acknowledged commands that no reachable
 * member is known to hold (no primary answered within the wait, or the node has no peers). Raised
 * by {@code start()}; the message says what was damaged, where the damaged files are kept, and what
 * the operator can do: start the other members so that a primary exists and start this one again,
 * or, if this node held the only copy, accept the loss explicitly ({@link
 * SteadfastNode.Builder#acceptJournalLoss()}).
 */
public final class StorageRepairException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final transient Path storage;
  private final List<String> repairs;

  StorageRepairException(Path storage, List<String> repairs, String message) {
    super(message);
    this.storage = storage;
    this.repairs = List.copyOf(repairs);
  }

  /** The node's storage folder. */
  public Path storage() {
    return storage;
  }

  /** One line per repair made before the node stopped, naming the file and the damage. */
  public List<String> repairs() {
    return repairs;
  }
}
