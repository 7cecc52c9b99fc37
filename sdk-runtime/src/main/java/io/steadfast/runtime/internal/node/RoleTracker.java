package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.runtime.internal.journal.ExitPointClock;
import io.steadfast.runtime.internal.observe.NodeMeters;
import io.steadfast.runtime.internal.observe.NodeThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's role and delivers each legal change, in order, to the application (on a role
 * thread of its own, so a slow callback never blocks the engine) and then to listeners.
 *
 * <p>Thread-safe: {@link #change} is synchronized, delivery is serial.
 */
public final class RoleTracker {

  private static final Logger LOG = LoggerFactory.getLogger(RoleTracker.class);

  private final NodeId node;
  private final Supplier<ResilientApplication<?, ?>> application;
  private final ExitPointClock clock;
  private final ExecutorService roleThread;
  private final List<Consumer<RoleChange>> listeners = new CopyOnWriteArrayList<>();
  private Role role = Role.INACTIVE;
  private long lastPromotionEpoch = -1;

  public RoleTracker(
      NodeId node,
      Supplier<ResilientApplication<?, ?>> application,
      Duration budget,
      NodeMeters meters) {
    this.node = node;
    this.application = application;
    this.clock = new ExitPointClock("onRoleChange", budget, meters.exitPoint("onRoleChange"));
    this.roleThread = Executors.newSingleThreadExecutor(NodeThreads.factory("role", node.value()));
  }

  public synchronized Role role() {
    return role;
  }

  public ExitPointClock clock() {
    return clock;
  }

  public void addListener(Consumer<RoleChange> listener) {
    listeners.add(listener);
  }

  /**
   * Moves to {@code to} for {@code reason} if that is legal from the current role; otherwise does
   * nothing.
   *
   * @return whether the change happened
   */
  public synchronized boolean change(
      Role to, RoleChange.Reason reason, long epoch, Position position) {
    if (!role.canChange(to, reason)) {
      LOG.debug("{}: ignoring role change {} -> {} ({})", node, role, to, reason);
      return false;
    }
    if (to == Role.PRIMARY) {
      if (epoch <= lastPromotionEpoch) {
        LOG.warn(
            "{}: ignoring promotion at epoch {} not above {}", node, epoch, lastPromotionEpoch);
        return false;
      }
      lastPromotionEpoch = epoch;
    }
    RoleChange change = new RoleChange(node, role, to, reason, epoch, position);
    role = to;
    LOG.atInfo()
        .addKeyValue("epoch", epoch)
        .addKeyValue("role", to)
        .addKeyValue("reason", reason)
        .log(
            "{}: {} -> {} ({}) at epoch {}, position {}",
            node,
            change.from(),
            to,
            reason,
            epoch,
            position);
    roleThread.execute(() -> deliver(change));
    return true;
  }

  private void deliver(RoleChange change) {
    long started = System.nanoTime();
    try {
      application.get().onRoleChange(change);
    } catch (RuntimeException e) {
      LOG.warn("{}: onRoleChange({}) threw; the change stands", node, change.reason(), e);
    } finally {
      if (clock.record(System.nanoTime() - started)) {
        LOG.warn(
            "{}: onRoleChange({}) overran its budget of {}", node, change.reason(), clock.budget());
      }
    }
    for (Consumer<RoleChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("{}: role listener threw", node, e);
      }
    }
  }

  /** Tells the application, on the role thread, that a session re-attached. */
  public void resumed(io.steadfast.api.session.SessionResumed resumed) {
    if (roleThread.isShutdown()) {
      return;
    }
    roleThread.execute(
        () -> {
          long started = System.nanoTime();
          try {
            application.get().onResume(resumed);
          } catch (RuntimeException e) {
            LOG.atWarn()
                .addKeyValue("session", resumed.session().value())
                .setCause(e)
                .log("{}: onResume({}) threw", node, resumed.session());
          } finally {
            if (clock.record(System.nanoTime() - started)) {
              LOG.warn("{}: onResume overran its budget of {}", node, clock.budget());
            }
          }
        });
  }

  /**
   * Stops the role thread as a killed process would: deliveries not yet started are dropped, and
   * the one running is interrupted. A thread cannot be killed inside a JVM, so this then waits for
   * that callback to return, at most {@code wait}: otherwise a callback that computes past its
   * interrupt would still be running when the node's next incarnation delivers its first change,
   * and the application would see two callbacks of one node at once, which a real process never
   * shows.
   */
  public void kill(Duration wait) {
    List<Runnable> dropped = roleThread.shutdownNow();
    if (!dropped.isEmpty()) {
      LOG.debug("{}: {} role deliveries dropped by the crash", node, dropped.size());
    }
    try {
      if (roleThread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.warn(
        "{}: a role callback was still running {} after the crash; it may overlap the next start",
        node,
        wait);
  }

  /** Stops the role thread after pending deliveries, waiting at most {@code wait}. */
  public void shutdown(Duration wait) {
    roleThread.shutdown();
    try {
      if (!roleThread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        roleThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      roleThread.shutdownNow();
    }
  }
}
