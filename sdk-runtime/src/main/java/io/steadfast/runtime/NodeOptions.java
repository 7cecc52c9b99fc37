package io.steadfast.runtime;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.internal.journal.GroupCommitter;
import io.steadfast.runtime.internal.ratis.EngineSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How a node runs, apart from who it is and where its peers are: the application and codec,
 * timeouts, checkpointing, journal segments, group commit, the leader clock and health probing. The
 * one place these settings, their defaults and their checks live; {@link SteadfastNode.Builder} and
 * {@link EmbeddedCluster.Builder} both hold one.
 *
 * <p>Immutable and thread-safe. Each {@code with} method validates its argument at once and names
 * the setting it rejects in a {@link ConfigurationException}.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
final class NodeOptions<C, R> {

  /** Group commit defaults: 256 requests or 1 MiB per entry, 2 entries in flight, 10,000 queued. */
  static final GroupCommitter.Limits GROUP_COMMIT =
      new GroupCommitter.Limits(256, 1 << 20, Duration.ZERO, 2, 10_000);

  private final @Nullable Supplier<ResilientApplication<C, R>> applications;
  private final @Nullable CommandCodec<C, R> codec;
  private final Duration electionMin;
  private final Duration electionMax;
  private final Duration requestTimeout;
  private final Duration requestDeadline;
  private final long checkpointEvery;
  private final long segmentSize;
  private final GroupCommitter.Limits groupCommit;
  private final Clock clock;
  private final Duration healthInterval;
  private final int probesBeforeHandOver;
  private final boolean permitUnannotated;

  private NodeOptions(
      @Nullable Supplier<ResilientApplication<C, R>> applications,
      @Nullable CommandCodec<C, R> codec,
      Duration electionMin,
      Duration electionMax,
      Duration requestTimeout,
      Duration requestDeadline,
      long checkpointEvery,
      long segmentSize,
      GroupCommitter.Limits groupCommit,
      Clock clock,
      Duration healthInterval,
      int probesBeforeHandOver,
      boolean permitUnannotated) {
    this.applications = applications;
    this.codec = codec;
    this.electionMin = electionMin;
    this.electionMax = electionMax;
    this.requestTimeout = requestTimeout;
    this.requestDeadline = requestDeadline;
    this.checkpointEvery = checkpointEvery;
    this.segmentSize = segmentSize;
    this.groupCommit = groupCommit;
    this.clock = clock;
    this.healthInterval = healthInterval;
    this.probesBeforeHandOver = probesBeforeHandOver;
    this.permitUnannotated = permitUnannotated;
  }

  /**
   * The defaults: election timeout 150–300 ms, engine request timeout 3 s, request deadline 10 s, a
   * checkpoint every 20,000 commands, 8 MiB journal segments, {@link #GROUP_COMMIT}, the UTC system
   * clock, a health probe every second with a hand-over after 3 DOWN probes.
   */
  static <C, R> NodeOptions<C, R> defaults() {
    return new NodeOptions<>(
        null,
        null,
        Duration.ofMillis(150),
        Duration.ofMillis(300),
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        20_000,
        8L * 1024 * 1024,
        GROUP_COMMIT,
        Clock.systemUTC(),
        Duration.ofSeconds(1),
        3,
        false);
  }

  NodeOptions<C, R> withApplication(Supplier<ResilientApplication<C, R>> factory) {
    return new NodeOptions<>(
        Objects.requireNonNull(factory, "application"),
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withCodec(CommandCodec<C, R> value) {
    return new NodeOptions<>(
        applications,
        Objects.requireNonNull(value, "codec"),
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withElectionTimeout(Duration min, Duration max) {
    if (min == null || max == null || min.toMillis() < 10 || max.compareTo(min) <= 0) {
      throw new ConfigurationException(
          "electionTimeout", "need 10 ms <= min < max, got min=" + min + ", max=" + max);
    }
    return new NodeOptions<>(
        applications,
        codec,
        min,
        max,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withRequestDeadline(Duration deadline) {
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        positive("requestDeadline", deadline),
        checkpointEvery,
        segmentSize,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withCheckpointEvery(long commands) {
    if (commands < 1) {
      throw new ConfigurationException("checkpointEvery", "must be positive: " + commands);
    }
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        commands,
        segmentSize,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withSegmentSize(long bytes) {
    if (bytes < 64 * 1024) {
      throw new ConfigurationException("segmentSize", "must be at least 64 KiB: " + bytes);
    }
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        bytes,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withGroupCommit(int maxRequests, int maxBytes, int inFlight) {
    GroupCommitter.Limits limits;
    try {
      limits =
          new GroupCommitter.Limits(
              maxRequests, maxBytes, Duration.ZERO, inFlight, groupCommit.queue());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("groupCommit", String.valueOf(e.getMessage()));
    }
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        limits,
        clock,
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withClock(Clock value) {
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        groupCommit,
        Objects.requireNonNull(value, "clock"),
        healthInterval,
        probesBeforeHandOver,
        permitUnannotated);
  }

  NodeOptions<C, R> withHealthProbe(Duration interval, int probes) {
    if (interval == null || interval.toMillis() < 10) {
      throw new ConfigurationException(
          "healthProbe", "interval must be at least 10 ms: " + interval);
    }
    if (probes < 1) {
      throw new ConfigurationException(
          "healthProbe", "probes before hand-over must be positive: " + probes);
    }
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        groupCommit,
        clock,
        interval,
        probes,
        permitUnannotated);
  }

  NodeOptions<C, R> withUnannotatedCommandsPermitted() {
    return new NodeOptions<>(
        applications,
        codec,
        electionMin,
        electionMax,
        requestTimeout,
        requestDeadline,
        checkpointEvery,
        segmentSize,
        groupCommit,
        clock,
        healthInterval,
        probesBeforeHandOver,
        true);
  }

  /**
   * Checks that the required settings were given.
   *
   * @throws ConfigurationException naming the first missing one
   */
  NodeOptions<C, R> requireComplete() {
    if (applications == null) {
      throw new ConfigurationException("application", "missing");
    }
    if (codec == null) {
      throw new ConfigurationException("codec", "missing");
    }
    return this;
  }

  private static Duration positive(String setting, Duration value) {
    if (value == null || value.toMillis() < 1) {
      throw new ConfigurationException(setting, "must be positive: " + value);
    }
    return value;
  }

  Supplier<ResilientApplication<C, R>> applications() {
    return Objects.requireNonNull(applications, "application");
  }

  CommandCodec<C, R> codec() {
    return Objects.requireNonNull(codec, "codec");
  }

  Duration electionMin() {
    return electionMin;
  }

  Duration electionMax() {
    return electionMax;
  }

  Duration requestDeadline() {
    return requestDeadline;
  }

  long checkpointEvery() {
    return checkpointEvery;
  }

  long segmentSize() {
    return segmentSize;
  }

  GroupCommitter.Limits groupCommit() {
    return groupCommit;
  }

  Clock clock() {
    return clock;
  }

  Duration healthInterval() {
    return healthInterval;
  }

  int probesBeforeHandOver() {
    return probesBeforeHandOver;
  }

  /** Whether a command type without a security annotation is permitted to every role. */
  boolean permitUnannotated() {
    return permitUnannotated;
  }

  /** The engine's share of these options. */
  EngineSettings engine() {
    return new EngineSettings(
        electionMin, electionMax, requestTimeout, checkpointEvery, segmentSize);
  }
}
