package io.steadfast.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.internal.journal.GroupCommitter;
import io.steadfast.runtime.internal.ratis.EngineSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How a node runs, apart from who it is and where its peers are: the application and codec,
 * timeouts, checkpointing, journal segments, group commit, the leader clock and health probing. The
 * one place these settings, their defaults and their checks live; {@link SteadfastNode.Builder} and
 * {@link EmbeddedCluster.Builder} both hold one.
 *
 * <p>Never changed once built (each {@code with} method returns a changed copy), so safe to share
 * between threads once published. Each {@code with} method validates its argument at once and names
 * the setting it rejects in a {@link ConfigurationException}.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
final class NodeOptions<C, R> {

  /** Group commit defaults: 256 requests or 1 MiB per entry, 2 entries in flight, 10,000 queued. */
  static final GroupCommitter.Limits GROUP_COMMIT =
      new GroupCommitter.Limits(256, 1 << 20, Duration.ZERO, 2, 10_000);

  private @Nullable Supplier<ResilientApplication<C, R>> applications;
  private @Nullable CommandCodec<C, R> codec;
  private Duration electionMin = Duration.ofMillis(150);
  private Duration electionMax = Duration.ofMillis(300);
  private Duration requestTimeout = Duration.ofSeconds(3);
  private Duration requestDeadline = Duration.ofSeconds(10);
  private long checkpointEvery = 20_000;
  private double checkpointJournalRatio = 1.0;
  private long segmentSize = 8L * 1024 * 1024;
  private GroupCommitter.Limits groupCommit = GROUP_COMMIT;
  private Clock clock = Clock.systemUTC();
  private Duration healthInterval = Duration.ofSeconds(1);
  private int probesBeforeHandOver = 3;
  private boolean permitUnannotated;
  private @Nullable MeterRegistry meters;
  private Duration repairWait = Duration.ofSeconds(30);
  private boolean acceptJournalLoss;
  private boolean deadPrimaryProbe = true;
  private Duration verifyStorageEvery = Duration.ofMinutes(10);
  private Duration auditEvery = Duration.ofMinutes(10);
  private boolean resyncDiffering;

  private NodeOptions() {}

  /**
   * The defaults: election timeout 150–300 ms, engine request timeout 3 s, request deadline 10 s, a
   * checkpoint every 20,000 commands, 8 MiB journal segments, {@link #GROUP_COMMIT}, the UTC system
   * clock, a health probe every second with a hand-over after 3 DOWN probes, no meter registry.
   */
  static <C, R> NodeOptions<C, R> defaults() {
    return new NodeOptions<>();
  }

  /**
   * A copy with one change applied; this instance is never changed once built, so options can be
   * shared between builders and nodes.
   */
  private NodeOptions<C, R> with(Consumer<NodeOptions<C, R>> change) {
    NodeOptions<C, R> next = new NodeOptions<>();
    next.applications = applications;
    next.codec = codec;
    next.electionMin = electionMin;
    next.electionMax = electionMax;
    next.requestTimeout = requestTimeout;
    next.requestDeadline = requestDeadline;
    next.checkpointEvery = checkpointEvery;
    next.checkpointJournalRatio = checkpointJournalRatio;
    next.segmentSize = segmentSize;
    next.groupCommit = groupCommit;
    next.clock = clock;
    next.healthInterval = healthInterval;
    next.probesBeforeHandOver = probesBeforeHandOver;
    next.permitUnannotated = permitUnannotated;
    next.meters = meters;
    next.repairWait = repairWait;
    next.acceptJournalLoss = acceptJournalLoss;
    next.deadPrimaryProbe = deadPrimaryProbe;
    next.verifyStorageEvery = verifyStorageEvery;
    next.auditEvery = auditEvery;
    next.resyncDiffering = resyncDiffering;
    change.accept(next);
    return next;
  }

  NodeOptions<C, R> withApplication(Supplier<ResilientApplication<C, R>> factory) {
    Objects.requireNonNull(factory, "application");
    return with(o -> o.applications = factory);
  }

  NodeOptions<C, R> withCodec(CommandCodec<C, R> value) {
    Objects.requireNonNull(value, "codec");
    return with(o -> o.codec = value);
  }

  NodeOptions<C, R> withElectionTimeout(Duration min, Duration max) {
    if (min == null || max == null || min.toMillis() < 10 || max.compareTo(min) <= 0) {
      throw new ConfigurationException(
          "electionTimeout", "need 10 ms <= min < max, got min=" + min + ", max=" + max);
    }
    return with(
        o -> {
          o.electionMin = min;
          o.electionMax = max;
        });
  }

  NodeOptions<C, R> withRequestDeadline(Duration deadline) {
    Duration checked = positive("requestDeadline", deadline);
    return with(o -> o.requestDeadline = checked);
  }

  NodeOptions<C, R> withCheckpointEvery(long commands) {
    if (commands < 1) {
      throw new ConfigurationException("checkpointEvery", "must be positive: " + commands);
    }
    return with(o -> o.checkpointEvery = commands);
  }

  NodeOptions<C, R> withCheckpointJournalRatio(double ratio) {
    if (!(ratio >= 0 && ratio <= 1000)) {
      throw new ConfigurationException(
          "checkpointJournalRatio", "must be between 0 and 1000: " + ratio);
    }
    return with(o -> o.checkpointJournalRatio = ratio);
  }

  NodeOptions<C, R> withSegmentSize(long bytes) {
    if (bytes < 64 * 1024) {
      throw new ConfigurationException("segmentSize", "must be at least 64 KiB: " + bytes);
    }
    return with(o -> o.segmentSize = bytes);
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
    return with(o -> o.groupCommit = limits);
  }

  NodeOptions<C, R> withClock(Clock value) {
    Objects.requireNonNull(value, "clock");
    return with(o -> o.clock = value);
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
    return with(
        o -> {
          o.healthInterval = interval;
          o.probesBeforeHandOver = probes;
        });
  }

  NodeOptions<C, R> withUnannotatedCommandsPermitted() {
    return with(o -> o.permitUnannotated = true);
  }

  NodeOptions<C, R> withRepairWait(Duration wait) {
    if (wait == null || wait.isNegative()) {
      throw new ConfigurationException("repairWait", "must not be negative: " + wait);
    }
    return with(o -> o.repairWait = wait);
  }

  NodeOptions<C, R> withAuditEvery(Duration interval) {
    if (interval == null
        || interval.isNegative()
        || (!interval.isZero() && interval.toMillis() < 100)) {
      throw new ConfigurationException(
          "auditEvery", "must be zero (off) or at least 100 ms: " + interval);
    }
    return with(o -> o.auditEvery = interval);
  }

  Duration auditEvery() {
    return auditEvery;
  }

  NodeOptions<C, R> withResyncDiffering(boolean resync) {
    return with(o -> o.resyncDiffering = resync);
  }

  boolean resyncDiffering() {
    return resyncDiffering;
  }

  NodeOptions<C, R> withStorageVerifiedEvery(Duration interval) {
    if (interval == null
        || interval.isNegative()
        || (!interval.isZero() && interval.toMillis() < 100)) {
      throw new ConfigurationException(
          "verifyStorageEvery", "must be zero (off) or at least 100 ms: " + interval);
    }
    return with(o -> o.verifyStorageEvery = interval);
  }

  NodeOptions<C, R> withDeadPrimaryProbe(boolean enabled) {
    return with(o -> o.deadPrimaryProbe = enabled);
  }

  NodeOptions<C, R> withJournalLossAccepted() {
    return with(o -> o.acceptJournalLoss = true);
  }

  NodeOptions<C, R> withMeterRegistry(MeterRegistry registry) {
    Objects.requireNonNull(registry, "meterRegistry");
    return with(o -> o.meters = registry);
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

  /** How long a node that cut its journal at start waits for a primary to answer. */
  Duration repairWait() {
    return repairWait;
  }

  /** How often a running node re-reads its stored journal and checkpoints; zero for never. */
  Duration verifyStorageEvery() {
    return verifyStorageEvery;
  }

  /** Whether a node may start from a cut journal although no primary answered. */
  boolean deadPrimaryProbe() {
    return deadPrimaryProbe;
  }

  boolean acceptJournalLoss() {
    return acceptJournalLoss;
  }

  /** Where the node records its meters, or null for nowhere. */
  @Nullable MeterRegistry meterRegistry() {
    return meters;
  }

  /** The engine's share of these options. */
  EngineSettings engine() {
    return new EngineSettings(
        electionMin,
        electionMax,
        requestTimeout,
        checkpointEvery,
        segmentSize,
        checkpointJournalRatio);
  }
}
