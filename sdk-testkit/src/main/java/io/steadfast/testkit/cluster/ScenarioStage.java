package io.steadfast.testkit.cluster;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.StateDigest;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.workload.Workload;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What the parts of one certification run share: the vendor's context, the history being recorded,
 * the running cluster, and the waits and bookkeeping every fault uses (restarts with incarnation
 * counts, progress of the load, replicas caught up, fingerprints).
 *
 * <p>Used from the scenario's thread, except {@link #incarnation}, which the sampler calls.
 */
final class ScenarioStage<C, R> {

  static final Duration PROGRESS = Duration.ofSeconds(60);
  static final Duration CONVERGENCE = Duration.ofSeconds(30);

  final CheckContext<C, R> context;
  final CommandCodec<C, R> codec;
  final Workload<C, R> workload;
  final History<C, R> history = new History<>();
  private final Map<String, Integer> incarnations = new ConcurrentHashMap<>();
  private final IdentityHashMap<SteadfastNode<C, R>, Integer> incarnationOf =
      new IdentityHashMap<>();
  volatile @Nullable EmbeddedCluster<C, R> cluster;

  ScenarioStage(CheckContext<C, R> context) {
    this.context = context;
    this.codec = context.codec();
    this.workload = context.workload();
  }

  /** How many times {@code node}'s id was restarted before this instance started. */
  int incarnation(SteadfastNode<C, R> node) {
    synchronized (incarnationOf) {
      return incarnationOf.computeIfAbsent(node, n -> incarnations.getOrDefault(n.id().value(), 0));
    }
  }

  EmbeddedCluster<C, R> cluster() {
    EmbeddedCluster<C, R> running = cluster;
    if (running == null) {
      throw new IllegalStateException("no cluster");
    }
    return running;
  }

  /**
   * Ends a run, whatever state it broke off in: stops the load, closes the exit-point timings and
   * the cluster; a cluster that fails to close is recorded in the history, never thrown.
   */
  void tearDown(ExitTimings timings) throws InterruptedException {
    if (history.load != null) {
      history.load.stop();
    }
    timings.close();
    EmbeddedCluster<C, R> running = cluster;
    if (running != null) {
      try {
        running.close();
      } catch (RuntimeException e) {
        history.event("closing the cluster failed: " + e);
      }
    }
  }

  void finish(History.FaultRecord record, long start) {
    record.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    record.generation = history.load().faultInjected();
    history.faults.add(record);
    history.event(record.toString());
  }

  void restart(NodeId id, Position before) {
    incarnations.merge(id.value(), 1, Integer::sum);
    cluster().restart(id);
    history.restarts.add(new History.Restart(id.value(), before));
    history.event("restarted " + id + " (it had applied " + before + ")");
  }

  void restartStopped() {
    for (SteadfastNode<C, R> node : cluster().nodes()) {
      if (node.stopped()) {
        restart(node.id(), node.appliedPosition());
      }
    }
  }

  boolean awaitAcks(int more) {
    LoadDriver<C, R> load = history.load();
    long target = load.acknowledged() + more;
    return poll(PROGRESS, () -> load.acknowledged() >= target);
  }

  static boolean poll(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  boolean caughtUp() {
    List<NodeStatus> statuses = cluster().status();
    long commit = statuses.stream().mapToLong(NodeStatus::commitIndex).max().orElse(-1);
    return statuses.size() == cluster().ids().size()
        && statuses.stream().allMatch(s -> s.appliedIndex() == commit);
  }

  Map<String, StateDigest> digests() {
    Map<String, StateDigest> digests = new TreeMap<>();
    for (SteadfastNode<C, R> node : cluster().nodes()) {
      if (!node.stopped()) {
        digests.put(node.id().value(), node.audit().digest());
      }
    }
    return digests;
  }

  /** Whether the primary's journal now starts after {@code index} (older entries were purged). */
  boolean purgedPast(long index) {
    try {
      return cluster().primary().status().journalStartIndex() > index + 1;
    } catch (SteadfastException e) {
      return false;
    }
  }
}
