package io.steadfast.benchmarks.scenario;

import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.runtime.StateDigest;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The SDK under test: an {@link EmbeddedCluster} of three nodes with the runtime's defaults (150–300
 * ms election timeout, group commit on), running the mortgage application or, to isolate the
 * runtime's own cost, the {@link CounterApplication}.
 */
final class SdkTarget<C, R> implements Target {

  private final EmbeddedCluster<C, R> cluster;
  private final List<NodeId> ids;
  private final SteadfastClient<C, R> client;
  private final BiFunction<SteadfastClient<C, R>, Integer, Worker> workers;

  private SdkTarget(EmbeddedCluster<C, R> cluster,
      BiFunction<SteadfastClient<C, R>, Integer, Worker> workers) {
    this.cluster = cluster;
    this.ids = List.copyOf(cluster.ids());
    this.client = cluster.client();
    this.workers = workers;
  }

  /** The mortgage application, with the runtime's default checkpoint interval. */
  static SdkTarget<LoanCommand, LoanResult> start() {
    return start(MortgageLoanApplication::new, 10_000);
  }

  /** The mortgage application, instances from {@code applications}. */
  static SdkTarget<LoanCommand, LoanResult> start(
      Supplier<ResilientApplication<LoanCommand, LoanResult>> applications, long checkpointEvery) {
    return new SdkTarget<>(cluster(applications, MortgageLoanApplication.codec(), checkpointEvery),
        (client, n) -> new SdkWorker(client, "officer-" + n, 1000L + n));
  }

  /** The counter application. */
  static SdkTarget<byte[], Long> counter() {
    return new SdkTarget<>(cluster(CounterApplication::new, CounterApplication.CODEC, 10_000),
        CounterWorker::new);
  }

  private static <C, R> EmbeddedCluster<C, R> cluster(
      Supplier<ResilientApplication<C, R>> applications,
      io.steadfast.api.codec.CommandCodec<C, R> codec, long checkpointEvery) {
    return EmbeddedCluster.<C, R>builder()
        .nodes(3)
        .application(applications)
        .codec(codec)
        .electionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
        .checkpointEvery(checkpointEvery)
        .requestDeadline(Duration.ofSeconds(10))
        .start();
  }

  @Override
  public Side side() {
    return Side.SDK;
  }

  @Override
  public Worker newWorker(int n) {
    return workers.apply(client, n);
  }

  SteadfastNode<C, R> node(int member) {
    return cluster.node(ids.get(member));
  }

  @Override
  public int primary() {
    return ids.indexOf(cluster.primary().id());
  }

  @Override
  public int readyPrimary() {
    for (int i = 0; i < ids.size(); i++) {
      if (node(i).isPrimary()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads the primary's group-commit counters. {@code GroupCommitter.batches()} and {@code
   * requests()} are public but the node keeps its committer private, so this reaches it by
   * reflection; if the runtime changes shape, the figures are reported as unknown.
   */
  @Override
  public long[] journaled(int member) {
    try {
      java.lang.reflect.Field field = SteadfastNode.class.getDeclaredField("committer");
      field.setAccessible(true);
      Object committer = field.get(node(member));
      if (committer instanceof io.steadfast.runtime.internal.journal.GroupCommitter c) {
        return new long[] {c.batches(), c.requests()};
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // unknown
    }
    return new long[] {-1, -1};
  }

  @Override
  public Thread beginCrash(int member) {
    SteadfastNode<C, R> node = node(member);
    Thread killer = new Thread(() -> cluster.crash(ids.get(member)), "kill-sdk-" + member);
    killer.start();
    Polling.await("sdk node stopped", Duration.ofSeconds(10), 0, node::stopped);
    return killer;
  }

  @Override
  public void restart(int member) {
    cluster.restart(ids.get(member));
  }

  @Override
  public void switchoverTo(int member) {
    cluster.switchover(ids.get(member));
  }

  @Override
  public boolean running(int member) {
    return !node(member).stopped();
  }

  private NodeStatus status(int member) {
    return node(member).status();
  }

  @Override
  public long appliedIndex(int member) {
    return running(member) ? status(member).appliedIndex() : -1;
  }

  @Override
  public long commitIndex(int member) {
    return running(member) ? status(member).commitIndex() : -1;
  }

  @Override
  public long term(int member) {
    return running(member) ? status(member).epoch() : -1;
  }

  /** The newest checkpoint's journal index on {@code member}, or -1. */
  long lastCheckpointIndex(int member) {
    return status(member).lastCheckpointIndex();
  }

  @Override
  public String digest(int member) {
    StateDigest digest = node(member).digest();
    return digest.position() + "/" + digest.sha256();
  }

  @Override
  public int size() {
    return ids.size();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
