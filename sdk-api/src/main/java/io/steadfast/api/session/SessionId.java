package io.steadfast.api.session;

import java.util.regex.Pattern;

/**
 * Identifies one user session across failovers: 1 to 128 letters, digits, {@code -}, {@code _},
 * {@code .} or {@code :}.
 *
 * <p>Immutable and thread-safe; ordered by value.
 *
 * @param value the identifier
 */
public record SessionId(String value) implements Comparable<SessionId> {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** Validates the identifier. */
  public SessionId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "session id must be 1 to 128 letters, digits, '-', '_', '.' or ':': " + value);
    }
  }

  /** The session called {@code value}. */
  public static SessionId of(String value) {
    return new SessionId(value);
  }

  @Override
  public int compareTo(SessionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
