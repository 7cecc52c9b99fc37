package io.steadfast.benchmarks.scenario;

import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.role.RoleChange;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.NodeStatus;
import io.steadfast.runtime.StateDigest;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.SteadfastNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The SDK under test: an {@link EmbeddedCluster} of three nodes with the runtime's defaults
 * (150–300 ms election timeout, group commit on), running the mortgage application or, to isolate
 * the runtime's own cost, the {@link CounterApplication}.
 */
final class SdkTarget<C, R> implements CheckpointTarget {

  private final EmbeddedCluster<C, R> cluster;
  private final List<NodeId> ids;
  private final SteadfastClient<C, R> client;
  private final BiFunction<SteadfastClient<C, R>, Integer, Worker> workers;
  private final Map<NodeId, AtomicInteger> installs;

  private SdkTarget(
      EmbeddedCluster<C, R> cluster,
      BiFunction<SteadfastClient<C, R>, Integer, Worker> workers,
      Map<NodeId, AtomicInteger> installs) {
    this.cluster = cluster;
    this.installs = installs;
    this.ids = List.copyOf(cluster.ids());
    this.client = cluster.client();
    this.workers = workers;
  }

  /** The mortgage application, with the runtime's default checkpoint interval. */
  static SdkTarget<LoanCommand, LoanResult> start() {
    return start(MortgageLoanApplication::new, RUNTIME_DEFAULT);
  }

  /** The mortgage application, instances from {@code applications}. */
  static SdkTarget<LoanCommand, LoanResult> start(
      Supplier<ResilientApplication<LoanCommand, LoanResult>> applications, long checkpointEvery) {
    return start(applications, MortgageLoanApplication.codec(), checkpointEvery);
  }

  /**
   * The mortgage application with another codec than the example's JSON, and the runtime's default
   * checkpoint interval.
   */
  static SdkTarget<LoanCommand, LoanResult> start(
      io.steadfast.api.codec.CommandCodec<LoanCommand, LoanResult> codec) {
    return start(MortgageLoanApplication::new, codec, RUNTIME_DEFAULT);
  }

  private static SdkTarget<LoanCommand, LoanResult> start(
      Supplier<ResilientApplication<LoanCommand, LoanResult>> applications,
      io.steadfast.api.codec.CommandCodec<LoanCommand, LoanResult> codec,
      long checkpointEvery) {
    Map<NodeId, AtomicInteger> installs = new ConcurrentHashMap<>();
    return new SdkTarget<>(
        cluster(applications, codec, checkpointEvery, installs),
        (client, n) -> new SdkWorker(client, "officer-" + n, 1000L + n),
        installs);
  }

  /** The counter application. */
  static SdkTarget<byte[], Long> counter() {
    Map<NodeId, AtomicInteger> installs = new ConcurrentHashMap<>();
    return new SdkTarget<>(
        cluster(CounterApplication::new, CounterApplication.CODEC, RUNTIME_DEFAULT, installs),
        CounterWorker::new,
        installs);
  }

  /** Passed as {@code checkpointEvery}: keep the runtime's default. */
  static final long RUNTIME_DEFAULT = 0;

  private static <C, R> EmbeddedCluster<C, R> cluster(
      Supplier<ResilientApplication<C, R>> applications,
      io.steadfast.api.codec.CommandCodec<C, R> codec,
      long checkpointEvery,
      Map<NodeId, AtomicInteger> installs) {
    EmbeddedCluster.Builder<C, R> builder =
        EmbeddedCluster.<C, R>builder()
            .nodes(3)
            .application(applications)
            .codec(codec)
            // The counter's commands are byte arrays, which carry no role annotation.
            .permitUnannotatedCommands()
            .electionTimeout(ElectionTimeout.min(), ElectionTimeout.max())
            .requestDeadline(Duration.ofSeconds(10))
            // A REJOIN is a backup that was sent the primary's checkpoint and restored it.
            .onNode(
                node ->
                    node.addRoleListener(
                        change -> {
                          if (change.reason() == RoleChange.Reason.REJOIN) {
                            installs
                                .computeIfAbsent(change.node(), id -> new AtomicInteger())
                                .incrementAndGet();
                          }
                        }));
    if (checkpointEvery != RUNTIME_DEFAULT) {
      // An interval given here is meant exactly: the checkpoint scenarios measure commands while
      // checkpoints of a large state are written every so many commands.
      builder.checkpointEvery(checkpointEvery).checkpointJournalRatio(0);
    }
    return builder.start();
  }

  /** How many times {@code member} was sent a checkpoint and restored it (REJOIN). */
  int checkpointsInstalled(int member) {
    AtomicInteger count = installs.get(ids.get(member));
    return count == null ? 0 : count.get();
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

  /**
   * The longest time a checkpoint held up the apply thread of {@code member} (the freeze, or the
   * whole write for an application without one), in milliseconds, as the runtime's own exit-point
   * clock measured it; -1 if it cannot be read (reached by reflection, like {@link #journaled}).
   */
  double longestCheckpointHoldMillis(int member) {
    try {
      java.lang.reflect.Field field = SteadfastNode.class.getDeclaredField("stateMachine");
      field.setAccessible(true);
      Object stateMachine = field.get(node(member));
      if (stateMachine instanceof io.steadfast.runtime.internal.ratis.StateMachineAdapter<?, ?> a) {
        return a.checkpointClock().longest().toNanos() / 1e6;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // unknown
    }
    return -1;
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

  /**
   * Asks {@code member} to write a checkpoint now, as {@code POST /steadfast/v1/admin/checkpoint}
   * does (reached by reflection, like {@link #journaled}).
   */
  @Override
  public void checkpointNow(int member) {
    try {
      java.lang.reflect.Method runtime = SteadfastNode.class.getDeclaredMethod("runtime");
      runtime.setAccessible(true);
      ((io.steadfast.runtime.internal.node.NodeGateway<?, ?>) runtime.invoke(node(member)))
          .checkpointNow();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot ask member " + member + " for a checkpoint", e);
    }
  }

  @Override
  public long lastCheckpointIndex(int member) {
    return status(member).lastCheckpointIndex();
  }

  @Override
  public String digest(int member) {
    StateDigest digest = node(member).audit().digest();
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
