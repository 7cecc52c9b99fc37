package io.steadfast.runtime.internal.ratis;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and breaks a deadlock in Ratis 3.3.0 that stops a listener for good at the moment it is
 * promoted to a follower (a member joining with {@code join=true}, or a disaster-recovery replica
 * made a member).
 *
 * <p>The deadlock: the thread that handles the leader's append holds the server's lock while it
 * applies the new configuration, and when the configuration makes this listener a follower it stops
 * the listener's timer thread ({@code FollowerState}) and waits, still holding the lock, until that
 * thread has ended ({@code ServerState.updateConfiguration} joins the future {@code
 * changeToFollowerAndPersistMetadata} returns). The timer thread wakes once per election timeout
 * and takes the same lock before it looks at anything; if it woke just before the append took the
 * lock, it waits for the lock and never ends. From then on every append, heartbeat and vote waits
 * for that lock: the member answers nothing, its journal stops, and it never stands for election.
 * Seen once in about twenty-five runs of the membership system test (a newly joined member's
 * journal stopped 0.1 s before the configuration naming it arrived; the switchover to it then
 * failed), and read in Ratis's source, where it is still so after 3.3.0.
 *
 * <p>The way out needs no lock: the future the append waits for belongs to the timer thread, which
 * is already told to stop; completing it lets the append go on and release the lock, and the timer
 * thread then takes the lock, finds it is stopped and ends. The breaker looks for exactly that
 * state: a {@code FollowerState} thread of this member waiting for the server's lock, held by a
 * thread that waits inside {@code ServerState.updateConfiguration}. It acts only when it sees the
 * state at two looks in a row (a quarter of a second apart at the engine's pace), since while it
 * lasts nothing can change it. A Ratis without the field it completes turns the breaker off, with
 * one line in the log.
 *
 * <p>Not thread-safe: {@link #check} is called from one thread.
 */
final class PromotionDeadlockBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(PromotionDeadlockBreaker.class);

  private static final String FOLLOWER_STATE = "org.apache.ratis.server.impl.FollowerState";
  private static final String SERVER_STATE = "org.apache.ratis.server.impl.ServerState";
  private static final String SERVER_LOCK = "org.apache.ratis.server.impl.RaftServerImpl";

  /** How many frames of the lock holder's stack are read to find the configuration update. */
  private static final int HOLDER_FRAMES = 24;

  private final String member;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private volatile Runnable onBroken = () -> {};
  private long suspect = -1;
  private final java.util.concurrent.atomic.AtomicLong broken =
      new java.util.concurrent.atomic.AtomicLong();
  private boolean off;

  /**
   * @param member the member's id, with which Ratis begins the names of its threads
   */
  PromotionDeadlockBreaker(String member) {
    this.member = member;
  }

  /** Runs {@code listener} (on the checking thread) after each deadlock broken. */
  void onBroken(Runnable listener) {
    onBroken = listener;
  }

  /** How many deadlocks it broke. */
  long broken() {
    return broken.get();
  }

  /**
   * Looks once; breaks the deadlock if it saw it at the previous look too.
   *
   * @return whether it broke one now
   */
  boolean check() {
    if (off) {
      return false;
    }
    Thread stuck = null;
    for (Thread thread : followerStateThreads()) {
      if (thread.getState() == Thread.State.BLOCKED && waitsForConfigurationUpdate(thread)) {
        stuck = thread;
        break;
      }
    }
    if (stuck == null) {
      suspect = -1;
      return false;
    }
    if (suspect != stuck.getId()) {
      suspect = stuck.getId();
      return false;
    }
    suspect = -1;
    CompletableFuture<?> stopped = stoppedFuture(stuck);
    if (stopped == null) {
      return false;
    }
    stopped.complete(null);
    broken.incrementAndGet();
    LOG.warn(
        "{}: broke a deadlock in Ratis's promotion of this listener to a follower: the"
            + " configuration update held the server's lock while waiting for the listener's timer"
            + " thread {}, which waited for that lock; the member answers again"
            + " (docs/operations.md, 'Changing the members')",
        member,
        stuck.getName());
    onBroken.run();
    return true;
  }

  /**
   * Whether {@code timer} waits for the server's lock while its holder updates the configuration.
   */
  private boolean waitsForConfigurationUpdate(Thread timer) {
    ThreadInfo waiting = threads.getThreadInfo(timer.getId(), 0);
    if (waiting == null
        || waiting.getLockName() == null
        || !waiting.getLockName().startsWith(SERVER_LOCK + "@")
        || waiting.getLockOwnerId() < 0) {
      return false;
    }
    ThreadInfo holder = threads.getThreadInfo(waiting.getLockOwnerId(), HOLDER_FRAMES);
    if (holder == null || holder.getThreadState() != Thread.State.WAITING) {
      return false;
    }
    for (StackTraceElement frame : holder.getStackTrace()) {
      if (frame.getClassName().equals(SERVER_STATE)
          && frame.getMethodName().equals("updateConfiguration")) {
        return true;
      }
    }
    return false;
  }

  /** The future the configuration update waits for: the timer thread's "stopped". */
  private @Nullable CompletableFuture<?> stoppedFuture(Thread timer) {
    try {
      Field field = timer.getClass().getDeclaredField("stopped");
      field.setAccessible(true);
      return field.get(timer) instanceof CompletableFuture<?> future ? future : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      off = true;
      LOG.warn(
          "{}: cannot break the listener-promotion deadlock with this Ratis ({}); the breaker is"
              + " off",
          member,
          e.toString());
      return null;
    }
  }

  /** This member's Ratis timer threads, found without reading any stack. */
  private List<Thread> followerStateThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root != null && root.getParent() != null) {
      root = root.getParent();
    }
    List<Thread> found = new ArrayList<>();
    if (root == null) {
      return found;
    }
    Thread[] all = new Thread[root.activeCount() + 32];
    int count = root.enumerate(all, true);
    for (int i = 0; i < count; i++) {
      Thread thread = all[i];
      if (thread.getClass().getName().equals(FOLLOWER_STATE)
          && thread.getName().startsWith(member + "@")) {
        found.add(thread);
      }
    }
    return found;
  }
}
