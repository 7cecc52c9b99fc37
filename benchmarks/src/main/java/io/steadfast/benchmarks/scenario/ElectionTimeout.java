package io.steadfast.benchmarks.scenario;

import java.time.Duration;

/**
 * The randomized election timeout both systems of a run use, 150–300 ms unless the run says
 * otherwise ({@code --election-timeout MIN,MAX} in milliseconds). Set once, before any cluster
 * starts.
 */
final class ElectionTimeout {

  private static volatile Duration min = Duration.ofMillis(150);
  private static volatile Duration max = Duration.ofMillis(300);

  private ElectionTimeout() {}

  static void set(Duration low, Duration high) {
    if (low.isNegative() || low.isZero() || high.compareTo(low) <= 0) {
      throw new IllegalArgumentException(
          "election timeout needs 0 < MIN < MAX, got " + low.toMillis() + "," + high.toMillis());
    }
    min = low;
    max = high;
  }

  static Duration min() {
    return min;
  }

  static Duration max() {
    return max;
  }

  static String describe() {
    return min.toMillis() + "–" + max.toMillis() + " ms";
  }
}
