package io.steadfast.benchmarks.scenario;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A growing list of durations in nanoseconds, summarized as count, p50, p99, max and mean in
 * milliseconds. Percentiles are nearest-rank on the sorted samples.
 *
 * <p>Thread-safe (synchronized); add from any thread.
 */
public final class Latencies {

  private long[] samples = new long[1024];
  private int size;

  /** Adds one sample. */
  public synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  /** Adds every sample of {@code other}. */
  public void addAll(Latencies other) {
    long[] theirs;
    int count;
    synchronized (other) {
      theirs = other.samples;
      count = other.size;
    }
    for (int i = 0; i < count; i++) {
      add(theirs[i]);
    }
  }

  /** The number of samples. */
  public synchronized int count() {
    return size;
  }

  /** The {@code p}-th percentile (0 to 100) in milliseconds, or NaN without samples. */
  public synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
  }

  /** The largest sample in milliseconds, or NaN. */
  public double maxMillis() {
    return percentileMillis(100);
  }

  /** The mean in milliseconds, or NaN. */
  public synchronized double meanMillis() {
    if (size == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += samples[i];
    }
    return sum / size / 1e6;
  }

  /** count, p50, p99, max and mean (ms), for the results file. */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", count());
    out.put("p50Ms", Report.round(percentileMillis(50)));
    out.put("p99Ms", Report.round(percentileMillis(99)));
    out.put("maxMs", Report.round(maxMillis()));
    out.put("meanMs", Report.round(meanMillis()));
    return out;
  }

  /** Every sample in milliseconds, in the order added. */
  public synchronized double[] millis() {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = Report.round(samples[i] / 1e6);
    }
    return out;
  }
}
