package io.steadfast.api.session;

/**
 * Identifies one user session across failovers: 1 to 128 letters, digits, {@code -}, {@code _},
 * {@code .} or {@code :}.
 *
 * <p>Immutable and thread-safe; ordered by value.
 *
 * @param value the identifier
 */
public record SessionId(String value) implements Comparable<SessionId> {

  /** Validates the identifier. */
  public SessionId {
    if (!valid(value)) {
      throw new IllegalArgumentException(
          "session id must be 1 to 128 letters, digits, '-', '_', '.' or ':': " + value);
    }
  }

  /** The session called {@code value}. */
  public static SessionId of(String value) {
    return new SessionId(value);
  }

  // A loop rather than a regular expression: every replica checks the id of every journaled
  // request, and this is several times cheaper.
  private static boolean valid(String value) {
    if (value == null || value.isEmpty() || value.length() > 128) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == ':'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
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
