package io.steadfast.runtime;

import java.time.Duration;

/** Checks shared by the node and cluster builders; each names the setting it rejects. */
final class BuilderChecks {

  private BuilderChecks() {}

  static void electionTimeout(Duration min, Duration max) {
    if (min == null || max == null || min.toMillis() < 10 || max.compareTo(min) <= 0) {
      throw new ConfigurationException("electionTimeout",
          "need 10 ms <= min < max, got min=" + min + ", max=" + max);
    }
  }

  static Duration positive(String setting, Duration value) {
    if (value == null || value.toMillis() < 1) {
      throw new ConfigurationException(setting, "must be positive: " + value);
    }
    return value;
  }

  static long positive(String setting, long value) {
    if (value < 1) {
      throw new ConfigurationException(setting, "must be positive: " + value);
    }
    return value;
  }

  static long segmentSize(long bytes) {
    if (bytes < 64 * 1024) {
      throw new ConfigurationException("segmentSize", "must be at least 64 KiB: " + bytes);
    }
    return bytes;
  }

  static void healthProbe(Duration interval, int probesBeforeHandOver) {
    if (interval == null || interval.toMillis() < 10) {
      throw new ConfigurationException("healthProbe", "interval must be at least 10 ms: " + interval);
    }
    if (probesBeforeHandOver < 1) {
      throw new ConfigurationException("healthProbe",
          "probes before hand-over must be positive: " + probesBeforeHandOver);
    }
  }
}
