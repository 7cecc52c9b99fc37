package io.steadfast.api;

import java.util.regex.Pattern;

/**
 * The name of one node of a cluster, such as {@code n1}: 1 to 64 letters, digits, {@code -} or
 * {@code _}.
 *
 * <p>Immutable and thread-safe; ordered by name.
 *
 * @param value the name
 */
public record NodeId(String value) implements Comparable<NodeId> {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Validates the name. */
  public NodeId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "node id must be 1 to 64 letters, digits, '-' or '_': " + value);
    }
  }

  /** The node named {@code value}. */
  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
