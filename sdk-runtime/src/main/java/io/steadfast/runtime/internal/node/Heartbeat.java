package io.steadfast.runtime.internal.node;

import io.steadfast.api.Health;
import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.runtime.internal.journal.ExitPointClock;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.internal.observe.NodeThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's heartbeat on top of the engine's: probes the application's {@code health()} on a thread
 * of its own (so neither a long apply nor a hung probe delays it), moves an idle primary's leader
 * clock on when a session is due to expire, and makes a primary that stays {@code DOWN} for the
 * configured number of probes hand over to a healthy backup. On the primary it also lets a {@link
 * ReplicationWatch}, when given one, look at the followers at each beat.
 *
 * <p>Thread-safe; runs on one scheduler thread plus one probe thread.
 */
public final class Heartbeat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  /** What the heartbeat needs from its node. */
  public interface Host {
    boolean isPrimary();

    List<NodeId> otherMembers();

    /** A backup's health as it reports it; throws if it cannot be asked. */
    Health healthOf(NodeId peer);

    /** Hands the primary role to {@code target} for reason HEALTH; throws on failure. */
    void handOverForHealth(NodeId target);

    /**
     * Journals an empty batch if nothing was journaled for a while and a session is due to expire.
     */
    void tickIfIdle();
  }

  private final NodeId node;
  private final Supplier<ResilientApplication<?, ?>> application;
  private final Host host;
  private final Duration interval;
  private final int probesBeforeHandOver;
  private final ExitPointClock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService prober;
  private final @Nullable ReplicationWatch replication;
  private volatile Health health = Health.up();
  private int consecutiveDown;

  public Heartbeat(
      NodeId node,
      Supplier<ResilientApplication<?, ?>> application,
      Host host,
      Duration interval,
      int probesBeforeHandOver,
      Duration budget,
      NodeMeters meters,
      @Nullable ReplicationWatch replication) {
    this.node = node;
    this.replication = replication;
    this.application = application;
    this.host = host;
    this.interval = interval;
    this.probesBeforeHandOver = probesBeforeHandOver;
    this.clock = new ExitPointClock("health", budget, meters.exitPoint("health"));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(NodeThreads.factory("heartbeat", node.value()));
    this.prober = Executors.newSingleThreadExecutor(NodeThreads.factory("probe", node.value()));
  }

  public void start() {
    // The schedule lives until close() shuts the scheduler down; beat() catches its own failures.
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The application's health at the last probe. */
  public Health health() {
    return health;
  }

  public ExitPointClock clock() {
    return clock;
  }

  private void beat() {
    try {
      health = probe();
      if (!host.isPrimary()) {
        consecutiveDown = 0;
        return;
      }
      host.tickIfIdle();
      if (replication != null) {
        var unused = replication.check();
      }
      consecutiveDown = health.isDown() ? consecutiveDown + 1 : 0;
      if (consecutiveDown >= probesBeforeHandOver) {
        handOver();
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: heartbeat failed", node, e);
    }
  }

  private Health probe() {
    long started = System.nanoTime();
    Future<Health> result = prober.submit(() -> application.get().health());
    try {
      Health probed = result.get(clock.budget().toNanos(), TimeUnit.NANOSECONDS);
      return probed == null ? Health.down("health() returned null") : probed;
    } catch (TimeoutException e) {
      result.cancel(true);
      return Health.down("health() overran its budget of " + clock.budget());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down("interrupted");
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Health.down("health() threw " + cause);
    } finally {
      clock.record(System.nanoTime() - started);
    }
  }

  private void handOver() {
    LOG.warn(
        "{}: application down for {} probes ({}); handing the primary role to a healthy backup",
        node,
        consecutiveDown,
        health.detail());
    for (NodeId peer : host.otherMembers()) {
      try {
        Health peerHealth = host.healthOf(peer);
        if (peerHealth.isDown()) {
          continue;
        }
        host.handOverForHealth(peer);
        consecutiveDown = 0;
        return;
      } catch (RuntimeException e) {
        LOG.warn("{}: could not hand over to {}: {}", node, peer, e.getMessage());
      }
    }
    LOG.warn("{}: no healthy backup could take over; staying primary", node);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    prober.shutdownNow();
  }
}
