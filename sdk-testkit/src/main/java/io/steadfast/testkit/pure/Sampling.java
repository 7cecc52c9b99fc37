package io.steadfast.testkit.pure;

import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Chooses the positions a rule checks: all of them when few, else a seeded sample. */
final class Sampling {

  private Sampling() {}

  /**
   * Numbers in {@code [0, bound)}: all if {@code bound <= limit}; else {@code limit} of them drawn
   * from {@code seed}, always including the first and the last. Sorted.
   */
  static NavigableSet<Integer> upTo(int bound, int limit, long seed) {
    TreeSet<Integer> chosen = new TreeSet<>();
    if (bound <= 0) {
      return chosen;
    }
    if (bound <= limit) {
      for (int i = 0; i < bound; i++) {
        chosen.add(i);
      }
      return chosen;
    }
    SplittableRandom random = new SplittableRandom(seed);
    chosen.add(0);
    chosen.add(bound - 1);
    while (chosen.size() < limit) {
      chosen.add(random.nextInt(bound));
    }
    return chosen;
  }
}
