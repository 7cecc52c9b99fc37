package io.steadfast.api.session;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a session's user was working: for example {@code loan=4711, screen=underwriting,
 * typed.income=85000}. The application sets it in {@code apply} atomically with the command's
 * effect; after a failover the session reads it back from the new primary and the user continues at
 * precisely that place.
 *
 * <p>A sorted map of text keys to text values, so it always encodes the same and reads well in
 * reports. Immutable and thread-safe.
 */
public final class ResumePoint {

  private static final ResumePoint START = new ResumePoint(new TreeMap<>());

  private final SortedMap<String, String> fields;

  private ResumePoint(SortedMap<String, String> fields) {
    this.fields = Collections.unmodifiableSortedMap(fields);
  }

  /** The resume point of a session that has done nothing yet: no fields. */
  public static ResumePoint start() {
    return START;
  }

  /**
   * A resume point with the given fields.
   *
   * @throws IllegalArgumentException if a key is blank or a key or value is null
   */
  public static ResumePoint of(Map<String, String> fields) {
    fields.forEach(ResumePoint::check);
    // From a map sorted by the keys' natural order (another resume point's fields, a TreeMap) the
    // copy is built in one pass, without comparing keys.
    TreeMap<String, String> copy = new TreeMap<>(fields);
    return copy.isEmpty() ? START : new ResumePoint(copy);
  }

  /**
   * A resume point from alternating keys and values: {@code of("loan", "4711", "screen", "x")}.
   *
   * @throws IllegalArgumentException if the strings do not come in pairs, or a key is blank or a
   *     key or value is null
   */
  public static ResumePoint of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "resume point needs keys and values in pairs, got " + keysAndValues.length + " strings");
    }
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      check(keysAndValues[i], keysAndValues[i + 1]);
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map.isEmpty() ? START : new ResumePoint(map);
  }

  /**
   * A copy with {@code key} set to {@code value}.
   *
   * @throws IllegalArgumentException if {@code key} is blank or {@code key} or {@code value} is
   *     null
   */
  public ResumePoint with(String key, String value) {
    check(key, value);
    TreeMap<String, String> copy = new TreeMap<>(fields);
    copy.put(key, value);
    return new ResumePoint(copy);
  }

  private static void check(String key, String value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("resume point key must not be blank: '" + key + "'");
    }
    if (value == null) {
      throw new IllegalArgumentException("resume point value must not be null for key " + key);
    }
  }

  /** All fields, sorted by key. */
  public SortedMap<String, String> fields() {
    return fields;
  }

  /** The value of {@code key}, if set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /** Whether no field is set. */
  public boolean isStart() {
    return fields.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResumePoint other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.toString();
  }
}
