package io.steadfast.runtime.internal.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The meters a node records while it runs, all tagged with the node's id: how many requests each
 * journal entry carries, how long a batch takes from hand-off to the journal until its outcomes are
 * back, how long each exit-point call takes, how long checkpoint writes take and how large they
 * are, and how often the primary changes or is handed over. Histograms are published with
 * Micrometer's percentile buckets, so a Prometheus server can compute any quantile across members.
 *
 * <p>Recording is measurement only: nothing recorded here is read on the apply path. Without a
 * registry the meters come from an empty composite registry and cost a few nanoseconds a call.
 *
 * <p>Thread-safe.
 */
public final class NodeMeters {

  /** Meters that record nowhere (tests and tools that build parts of a node on their own). */
  public static final NodeMeters NONE = new NodeMeters(new CompositeMeterRegistry(), "none");

  private final MeterRegistry registry;
  private final String node;

  /** The gauges this node registered (two), removed again by {@link #close()}. */
  private final List<Meter> gauges = new CopyOnWriteArrayList<>();

  private final DistributionSummary batchRequests;
  private final Timer commitLatency;
  private final Timer checkpointWrite;
  private final DistributionSummary checkpointBytes;
  private final Counter leaderChanges;

  /** Records into {@code registry}, every meter tagged {@code node=<node>}. */
  public NodeMeters(MeterRegistry registry, String node) {
    this.registry = registry;
    this.node = node;
    this.batchRequests =
        DistributionSummary.builder("steadfast.batch.requests")
            .description("requests carried by one journal entry (group commit)")
            .tag("node", node)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(registry);
    this.commitLatency =
        Timer.builder("steadfast.commit.latency")
            .description("from a batch handed to the journal until its outcomes are back (primary)")
            .tag("node", node)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    this.checkpointWrite =
        Timer.builder("steadfast.checkpoint.write")
            .description("writing one checkpoint file, from the frozen state to the file published")
            .tag("node", node)
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
    this.checkpointBytes =
        DistributionSummary.builder("steadfast.checkpoint.size")
            .description("size of each checkpoint file written")
            .baseUnit("bytes")
            .tag("node", node)
            .register(registry);
    this.leaderChanges =
        Counter.builder("steadfast.primary.changes")
            .description("times this member learned of a new primary, or of none (elections seen)")
            .tag("node", node)
            .register(registry);
  }

  /**
   * The timer of the exit point {@code name} (apply, checkpoint, restore, onRoleChange, health).
   */
  public Timer exitPoint(String name) {
    return Timer.builder("steadfast.exitpoint.duration")
        .description("duration of each call of an application exit point")
        .tag("node", node)
        .tag("exitpoint", name)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(1_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** One journal entry of {@code requests} requests was handed to the journal. */
  public void batch(int requests) {
    batchRequests.record(requests);
  }

  /** A batch's outcomes came back {@code nanos} after it was handed to the journal. */
  public void committed(long nanos) {
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A checkpoint of {@code bytes} bytes was written in {@code nanos}. */
  public void checkpointWritten(long nanos, long bytes) {
    checkpointWrite.record(nanos, TimeUnit.NANOSECONDS);
    checkpointBytes.record((double) bytes);
  }

  /** This member learned that the primary changed. */
  public void primaryChanged() {
    leaderChanges.increment();
  }

  /**
   * This backup found the primary's process gone (its journal port refused a connection) and asked
   * its engine to start an election; {@code started} says whether the engine did, {@code noticed}
   * what led it to probe ({@code silence}, {@code connection_ended} or {@code peer_asked}).
   */
  public void deadPrimaryFound(boolean started, String noticed) {
    Counter.builder("steadfast.primary.found.dead")
        .description("times this backup found the primary's process gone and stood for election")
        .tag("node", node)
        .tag("election", started ? "started" : "declined")
        .tag("noticed", noticed)
        .register(registry)
        .increment();
  }

  /**
   * The engine's channel to {@code peer} was built anew because the member answered again after a
   * question to it failed (it had been down or out of reach).
   */
  public void peerReconnected(String peer) {
    Counter.builder("steadfast.peer.reconnects")
        .description(
            "engine channels to a member built anew because it answered again after being out of"
                + " reach")
        .tag("node", node)
        .tag("peer", peer)
        .register(registry)
        .increment();
  }

  /**
   * The engine broke its deadlock in the promotion of this listener to a follower (a joining member
   * or a replica made a member; docs/operations.md, "Changing the members").
   */
  public void promotionDeadlockBroken() {
    Counter.builder("steadfast.engine.promotion.deadlocks")
        .description(
            "deadlocks in the engine's promotion of this listener to a follower, found and broken")
        .tag("node", node)
        .register(registry)
        .increment();
  }

  /**
   * Registers the gauge of the journal bytes this member applied since its last checkpoint began,
   * read from {@code bytes} when scraped: an automatic checkpoint waits for at least the last
   * checkpoint's size times the journal ratio.
   */
  public void journalSinceCheckpoint(LongSupplier bytes) {
    String name = "steadfast.checkpoint.journal.since";
    gauge(
        name,
        Gauge.builder(name, () -> (double) bytes.getAsLong())
            .description("journal bytes applied since the last checkpoint began")
            .baseUnit("bytes"));
  }

  /**
   * Registers the gauge of how far this member's replicas are behind, read from {@code entries}
   * when scraped: on the primary, the most committed entries any replica has not confirmed; 0
   * elsewhere and with no replica.
   */
  public void replicaLag(LongSupplier entries) {
    String name = "steadfast.replica.lag";
    gauge(
        name,
        Gauge.builder(name, () -> (double) entries.getAsLong())
            .description(
                "on the primary: committed entries the furthest-behind disaster-recovery replica"
                    + " lacks"));
  }

  /**
   * Registers a gauge of this node. A registry keeps the first gauge of a name and tags and ignores
   * later ones, so a node started again with the same registry (a restart in the same JVM) would
   * have gone on reporting, and holding on to, the stopped node's values: the earlier gauge is
   * replaced instead. {@link #NONE} registers nothing, as it records nowhere.
   */
  private void gauge(String name, Gauge.Builder<?> builder) {
    if (this == NONE) {
      return;
    }
    Meter earlier = registry.find(name).tag("node", node).meter();
    if (earlier != null) {
      registry.remove(earlier);
    }
    gauges.add(builder.tag("node", node).register(registry));
  }

  /** Removes this node's gauges from the registry: a stopped node reports no current values. */
  public void close() {
    for (Meter gauge : gauges) {
      registry.remove(gauge);
    }
    gauges.clear();
  }

  /**
   * As primary, this member found a follower whose journal stopped advancing while it answered, and
   * handed over ({@code handedOver}) or only reported it.
   */
  public void replicationStalled(boolean handedOver) {
    Counter.builder("steadfast.replication.stalls")
        .description(
            "followers found answering but not advancing while this member was primary, by action")
        .tag("node", node)
        .tag("action", handedOver ? "handed-over" : "reported")
        .register(registry)
        .increment();
  }

  /** This member was re-synchronised ({@code done}) or could not be. */
  public void resynced(boolean done) {
    Counter.builder("steadfast.resyncs")
        .description("re-syncs of this member's state after an audit found it different")
        .tag("node", node)
        .tag("outcome", done ? "done" : "failed")
        .register(registry)
        .increment();
  }

  /** This primary audited {@code member} and found {@code verdict}. */
  public void audited(String member, String verdict) {
    Counter.builder("steadfast.audit.verdicts")
        .description("replica audits this member ran as primary, by member and verdict")
        .tag("node", node)
        .tag("member", member)
        .tag("verdict", verdict)
        .register(registry)
        .increment();
  }

  /** This primary asked for a membership change (add, remove or replace a member). */
  public void membershipChange() {
    Counter.builder("steadfast.membership.changes")
        .description("membership changes this member asked for as primary")
        .tag("node", node)
        .register(registry)
        .increment();
  }

  /** A hand-over to another member was journaled by this primary, for {@code reason}. */
  public void handedOver(String reason) {
    Counter.builder("steadfast.handovers")
        .description("hand-overs this member journaled as primary, by reason")
        .tag("node", node)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
