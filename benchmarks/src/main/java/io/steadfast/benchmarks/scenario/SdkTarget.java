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
import java.util.function.Supplier;

/** The SDK under test: an {@link EmbeddedCluster} of the mortgage application. */
final class SdkTarget implements Target {

  private final EmbeddedCluster<LoanCommand, LoanResult> cluster;
  private final List<NodeId> ids;
  private final SteadfastClient<LoanCommand, LoanResult> client;

  private SdkTarget(EmbeddedCluster<LoanCommand, LoanResult> cluster) {
    this.cluster = cluster;
    this.ids = List.copyOf(cluster.ids());
    this.client = cluster.client();
  }

  /** Three nodes with the runtime's defaults (150–300 ms election timeout, group commit on). */
  static SdkTarget start() {
    return start(MortgageLoanApplication::new, 10_000);
  }

  /** Three nodes whose applications come from {@code applications}. */
  static SdkTarget start(Supplier<ResilientApplication<LoanCommand, LoanResult>> applications,
      long checkpointEvery) {
    return new SdkTarget(EmbeddedCluster.<LoanCommand, LoanResult>builder()
        .nodes(3)
        .application(applications)
        .codec(MortgageLoanApplication.codec())
        .electionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
        .checkpointEvery(checkpointEvery)
        .requestDeadline(Duration.ofSeconds(10))
        .start());
  }

  @Override
  public Side side() {
    return Side.SDK;
  }

  @Override
  public Worker newWorker(int n) {
    return new SdkWorker(client, "officer-" + n, 1000L + n);
  }

  SteadfastNode<LoanCommand, LoanResult> node(int member) {
    return cluster.node(ids.get(member));
  }

  @Override
  public int primary() {
    return ids.indexOf(cluster.primary().id());
  }

  @Override
  public Thread beginCrash(int member) {
    SteadfastNode<LoanCommand, LoanResult> node = node(member);
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
