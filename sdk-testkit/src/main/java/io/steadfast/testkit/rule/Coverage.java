package io.steadfast.testkit.rule;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Named counts of what a check exercised (entries replayed, rejections seen, payloads corrupted),
 * reported with its verdict so that a pass shows what it rests on.
 *
 * <p>Mutable and not thread-safe; one per check.
 */
public final class Coverage {

  private final SortedMap<String, Long> counts = new TreeMap<>();

  /** Adds {@code amount} to the count called {@code name} (creating it at 0). */
  public Coverage add(String name, long amount) {
    counts.merge(name, amount, Long::sum);
    return this;
  }

  /** Adds one to the count called {@code name}. */
  public Coverage increment(String name) {
    return add(name, 1);
  }

  /** Sets the count called {@code name}. */
  public Coverage set(String name, long value) {
    counts.put(name, value);
    return this;
  }

  /** The count called {@code name}; 0 if never touched. */
  public long get(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** A snapshot of every count, sorted by name. */
  public SortedMap<String, Long> snapshot() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(counts));
  }
}
