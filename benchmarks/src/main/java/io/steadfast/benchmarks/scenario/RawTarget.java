package io.steadfast.benchmarks.scenario;

import io.steadfast.benchmarks.raw.RawRatisCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** The baseline under test: a {@link RawRatisCluster} of three counter servers. */
final class RawTarget implements Target {

  private final RawRatisCluster cluster;

  private RawTarget(RawRatisCluster cluster) {
    this.cluster = cluster;
  }

  /** Three servers with the same election timeout as the SDK ({@link ElectionTimeout}). */
  static RawTarget start() {
    try {
      return new RawTarget(RawRatisCluster.start(3, ElectionTimeout.min(), ElectionTimeout.max()));
    } catch (IOException e) {
      throw new UncheckedIOException("raw ratis cluster did not start", e);
    }
  }

  @Override
  public Side side() {
    return Side.RAW;
  }

  @Override
  public Worker newWorker(int n) {
    return new RawWorker(cluster, n);
  }

  @Override
  public int primary() {
    return cluster.awaitLeader(Duration.ofSeconds(20));
  }

  @Override
  public int readyPrimary() {
    return cluster.readyLeader();
  }

  @Override
  public long[] journaled(int member) {
    long count = cluster.count(member);
    return new long[] {count, count};
  }

  @Override
  public Thread beginCrash(int member) {
    Thread killer = new Thread(() -> cluster.crash(member), "kill-raw-" + member);
    killer.start();
    Polling.await("raw server stopped", Duration.ofSeconds(10), 0, () -> !cluster.running(member));
    return killer;
  }

  @Override
  public void restart(int member) {
    cluster.restart(member);
  }

  @Override
  public void switchoverTo(int member) {
    // As EmbeddedCluster.switchover does: a member that still thinks it leads right after an
    // earlier transfer refuses (DIFFERENT_LEADER); ask the leader again until the deadline.
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        cluster.transferLeadership(member, Duration.ofSeconds(3));
        break;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Polling.sleepMillis(5);
      }
    }
    Polling.await(
        "raw leader ready on " + member,
        Duration.ofSeconds(10),
        1,
        () -> cluster.readyLeader() == member);
  }

  @Override
  public boolean running(int member) {
    return cluster.running(member);
  }

  @Override
  public long appliedIndex(int member) {
    return cluster.appliedIndex(member);
  }

  @Override
  public long commitIndex(int member) {
    return cluster.commitIndex(member);
  }

  @Override
  public long term(int member) {
    return cluster.term(member);
  }

  @Override
  public String digest(int member) {
    // The counter is the whole state. The applied index is left out: Ratis also advances it for
    // its own metadata entries, which a follower sees only with the next append.
    return Long.toString(cluster.count(member));
  }

  @Override
  public int size() {
    return cluster.size();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
