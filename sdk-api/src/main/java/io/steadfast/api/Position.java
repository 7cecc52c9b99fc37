package io.steadfast.api;

/**
 * A place in the journal: the command's {@code index} (1 for the first command ever applied,
 * increasing by one per command) and the {@code epoch} (the primary's term) in which it was
 * journaled.
 *
 * <p>Immutable and thread-safe. Ordered by index; within one group two positions with the same
 * index always have the same epoch. Printed as {@code index@epoch}.
 *
 * @param index the command's index, 0 only for {@link #ZERO}
 * @param epoch the epoch it was journaled in, never negative
 */
public record Position(long index, long epoch) implements Comparable<Position> {

  /** Before the first command. */
  public static final Position ZERO = new Position(0, 0);

  /** Validates the fields. */
  public Position {
    if (index < 0) {
      throw new IllegalArgumentException("position index must not be negative: " + index);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("position epoch must not be negative: " + epoch);
    }
  }

  /** Parses {@code index@epoch}, as printed by {@link #toString()}. */
  public static Position parse(String text) {
    int at = text.indexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new IllegalArgumentException("position must look like index@epoch: " + text);
    }
    try {
      return new Position(
          Long.parseLong(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("position must look like index@epoch: " + text, e);
    }
  }

  /**
   * The seed of the random source the runtime hands to {@code apply} at this position ({@link
   * ApplyContext#random()}): a fixed function of index and epoch, so every replica, the testkit's
   * contexts and the benchmarks draw the same numbers for the same position.
   *
   * @return the seed
   */
  public long randomSeed() {
    return index * 0x9E3779B97F4A7C15L ^ epoch;
  }

  @Override
  public int compareTo(Position other) {
    int byIndex = Long.compare(index, other.index);
    return byIndex != 0 ? byIndex : Long.compare(epoch, other.epoch);
  }

  @Override
  public String toString() {
    return index + "@" + epoch;
  }
}
