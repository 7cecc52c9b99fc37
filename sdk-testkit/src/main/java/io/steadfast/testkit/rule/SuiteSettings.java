package io.steadfast.testkit.rule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a certification run is sized: its seed, trace length and sample counts, time limits and
 * report directory.
 *
 * <p>Immutable and thread-safe. Start from {@link #fromSystemProperties()} (what the suite uses by
 * default) or {@link #defaults()}, and adjust with the {@code with…} methods, which validate their
 * argument at once.
 *
 * <table>
 *   <caption>System properties read by {@link #fromSystemProperties()}</caption>
 *   <tr><th>property</th><th>effect</th></tr>
 *   <tr><td>{@code steadfast.seed}</td><td>the seed (a long); {@link #DEFAULT_SEED} if unset</td></tr>
 *   <tr><td>{@code steadfast.deep}</td><td>{@code true} for the longer, deeper run</td></tr>
 *   <tr><td>{@code steadfast.reportDir}</td><td>where the certificate is written</td></tr>
 *   <tr><td>{@code steadfast.fork}</td><td>{@code false} to skip forking a JVM (CP-3 is then UNKNOWN)</td></tr>
 *   <tr><td>{@code steadfast.cluster}</td><td>{@code false} to leave the cluster rules out (no
 *       ClusterProven or Advanced level can then be granted)</td></tr>
 * </table>
 */
public final class SuiteSettings {

  /** The seed used when {@code steadfast.seed} is not set. */
  public static final long DEFAULT_SEED = 20_240_611L;

  private final long seed;
  private final boolean deep;
  private final int traceLength;
  private final int roundTripHorizon;
  private final int replaySamples;
  private final double sensitivity;
  private final int minAcceptedCommands;
  private final Duration clockPause;
  private final Duration ruleTimeout;
  private final Path reportDirectory;
  private final boolean forkJvm;
  private final boolean clusterRules;

  private SuiteSettings(
      long seed,
      boolean deep,
      int traceLength,
      int roundTripHorizon,
      int replaySamples,
      double sensitivity,
      int minAcceptedCommands,
      Duration clockPause,
      Duration ruleTimeout,
      Path reportDirectory,
      boolean forkJvm,
      boolean clusterRules) {
    this.seed = seed;
    this.deep = deep;
    this.traceLength = traceLength;
    this.roundTripHorizon = roundTripHorizon;
    this.replaySamples = replaySamples;
    this.sensitivity = sensitivity;
    this.minAcceptedCommands = minAcceptedCommands;
    this.clockPause = clockPause;
    this.ruleTimeout = ruleTimeout;
    this.reportDirectory = reportDirectory;
    this.forkJvm = forkJvm;
    this.clusterRules = clusterRules;
  }

  /**
   * The default (shallow) settings: seed {@link #DEFAULT_SEED}, 200 trace entries, round trips
   * checked over the next 10 commands, replay from every position of a trace of up to 200 entries
   * (40 sampled positions beyond), half the accepted commands must change the fingerprint, 20 ms
   * between the two runs of JR-1, 2 minutes per rule, reports in {@code
   * target/steadfast-certification}, CP-3 in a forked JVM.
   */
  public static SuiteSettings defaults() {
    return new SuiteSettings(
        DEFAULT_SEED,
        false,
        200,
        10,
        40,
        0.5,
        20,
        Duration.ofMillis(20),
        Duration.ofMinutes(2),
        Path.of("target", "steadfast-certification"),
        true,
        true);
  }

  /**
   * The deep settings: 2,000 trace entries, round trips over the next 25 commands, 100 sampled
   * replay positions, 1.1 s between the two runs of JR-1 (so a second-granular clock read shows),
   * 10 minutes per rule.
   */
  public static SuiteSettings deep() {
    return defaults()
        .withDeep(true)
        .withTraceLength(2_000)
        .withRoundTripHorizon(25)
        .withReplaySamples(100)
        .withClockPause(Duration.ofMillis(1_100))
        .withRuleTimeout(Duration.ofMinutes(10));
  }

  /**
   * {@link #defaults()} or {@link #deep()}, adjusted by the {@code steadfast.*} system properties.
   */
  public static SuiteSettings fromSystemProperties() {
    SuiteSettings settings =
        Boolean.parseBoolean(System.getProperty("steadfast.deep", "false")) ? deep() : defaults();
    String seed = System.getProperty("steadfast.seed");
    if (seed != null && !seed.isBlank()) {
      try {
        settings = settings.withSeed(Long.parseLong(seed.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("steadfast.seed must be a long: " + seed, e);
      }
    }
    String dir = System.getProperty("steadfast.reportDir");
    if (dir != null && !dir.isBlank()) {
      settings = settings.withReportDirectory(Path.of(dir));
    }
    if ("false".equalsIgnoreCase(System.getProperty("steadfast.fork", "true"))) {
      settings = settings.withForkJvm(false);
    }
    if ("false".equalsIgnoreCase(System.getProperty("steadfast.cluster", "true"))) {
      settings = settings.withClusterRules(false);
    }
    return settings;
  }

  /** The seed every random choice of the run derives from. */
  public long seed() {
    return seed;
  }

  /** Whether this is the deep run. */
  public boolean isDeep() {
    return deep;
  }

  /** How many entries the generated trace has. */
  public int traceLength() {
    return traceLength;
  }

  /** K: after a restore, how many following commands must give identical results (CP-1, CP-3). */
  public int roundTripHorizon() {
    return roundTripHorizon;
  }

  /**
   * How many positions are sampled where a rule cannot check every one (JR-2 beyond 200 entries,
   * CP-1, CP-2).
   */
  public int replaySamples() {
    return replaySamples;
  }

  /** The share of accepted commands that must change the fingerprint (HV-2). */
  public double sensitivity() {
    return sensitivity;
  }

  /** How many accepted commands the trace must contain for the rules to be decidable. */
  public int minAcceptedCommands() {
    return minAcceptedCommands;
  }

  /** The pause between the two runs of JR-1, so that a wall-clock read gives another value. */
  public Duration clockPause() {
    return clockPause;
  }

  /** How long one rule's check may run before it is UNKNOWN. */
  public Duration ruleTimeout() {
    return ruleTimeout;
  }

  /** Where {@code certificate.json} and {@code report.md} are written. */
  public Path reportDirectory() {
    return reportDirectory;
  }

  /** Whether CP-3 may fork a JVM. */
  public boolean forkJvm() {
    return forkJvm;
  }

  /**
   * Whether the cluster rules (ClusterProven and Advanced) are part of the run. When they are not,
   * they are not registered, so those levels are never granted; meant for fast self-tests of the
   * pure rules.
   */
  public boolean clusterRules() {
    return clusterRules;
  }

  /** A copy with another seed. */
  public SuiteSettings withSeed(long value) {
    return new SuiteSettings(
        value,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy marked deep or not (sizes are not changed; see {@link #deep()}). */
  public SuiteSettings withDeep(boolean value) {
    return new SuiteSettings(
        seed,
        value,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another trace length, at least 1. */
  public SuiteSettings withTraceLength(int value) {
    return new SuiteSettings(
        seed,
        deep,
        positive("traceLength", value),
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another round-trip horizon K, at least 1. */
  public SuiteSettings withRoundTripHorizon(int value) {
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        positive("roundTripHorizon", value),
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another number of sampled positions, at least 1. */
  public SuiteSettings withReplaySamples(int value) {
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        positive("replaySamples", value),
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another sensitivity share, above 0 and at most 1. */
  public SuiteSettings withSensitivity(double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException("sensitivity must be in (0, 1]: " + value);
    }
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        value,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another minimum of accepted commands, at least 1. */
  public SuiteSettings withMinAcceptedCommands(int value) {
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        positive("minAcceptedCommands", value),
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another pause between the runs of JR-1, not negative. */
  public SuiteSettings withClockPause(Duration value) {
    Objects.requireNonNull(value, "clockPause");
    if (value.isNegative()) {
      throw new IllegalArgumentException("clockPause must not be negative: " + value);
    }
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        value,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy with another time limit per rule, positive. */
  public SuiteSettings withRuleTimeout(Duration value) {
    Objects.requireNonNull(value, "ruleTimeout");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("ruleTimeout must be positive: " + value);
    }
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        value,
        reportDirectory,
        forkJvm,
        clusterRules);
  }

  /** A copy writing reports to {@code value}. */
  public SuiteSettings withReportDirectory(Path value) {
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        Objects.requireNonNull(value, "reportDirectory"),
        forkJvm,
        clusterRules);
  }

  /** A copy that may or may not fork a JVM for CP-3. */
  public SuiteSettings withForkJvm(boolean value) {
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        value,
        clusterRules);
  }

  /** A copy with the cluster rules switched on or off. */
  public SuiteSettings withClusterRules(boolean value) {
    return new SuiteSettings(
        seed,
        deep,
        traceLength,
        roundTripHorizon,
        replaySamples,
        sensitivity,
        minAcceptedCommands,
        clockPause,
        ruleTimeout,
        reportDirectory,
        forkJvm,
        value);
  }

  private static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "SuiteSettings{seed="
        + seed
        + ", deep="
        + deep
        + ", traceLength="
        + traceLength
        + ", roundTripHorizon="
        + roundTripHorizon
        + ", replaySamples="
        + replaySamples
        + ", sensitivity="
        + sensitivity
        + ", minAcceptedCommands="
        + minAcceptedCommands
        + ", clockPause="
        + clockPause
        + ", ruleTimeout="
        + ruleTimeout
        + ", reportDirectory="
        + reportDirectory
        + ", forkJvm="
        + forkJvm
        + ", clusterRules="
        + clusterRules
        + "}";
  }
}
