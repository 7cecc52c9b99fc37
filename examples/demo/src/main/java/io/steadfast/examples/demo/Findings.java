package io.steadfast.examples.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an application's own checks found: acknowledged work missing from the state, work applied
 * twice, a few lines for the summary, and counts for the RESULT line.
 *
 * <p>Built by one thread, then only read; not thread-safe while being built.
 */
final class Findings {

  private long lost;
  private long duplicates;
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();

  /** Records {@code count} pieces of acknowledged work missing, and says which. */
  Findings lost(long count, String what) {
    lost += count;
    notes.add("LOST: " + what);
    return this;
  }

  /** Records {@code count} pieces of work applied twice, and says which. */
  Findings duplicated(long count, String what) {
    duplicates += count;
    notes.add("APPLIED TWICE: " + what);
    return this;
  }

  /** Adds a line to the summary. */
  Findings note(String line) {
    notes.add(line);
    return this;
  }

  /** Adds a count to the RESULT line under {@code key}. */
  Findings count(String key, long value) {
    counts.put(key, value);
    return this;
  }

  long lost() {
    return lost;
  }

  long duplicates() {
    return duplicates;
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  Map<String, Long> counts() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }
}
