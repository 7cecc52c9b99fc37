package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener promoted to follower while its timer thread waits for the server's lock. Ratis 3.3.0
 * then deadlocks: the append that brings the configuration holds the lock and waits for the timer
 * thread to end, and the timer thread waits for the lock. The engine's breaker must free it, so
 * that the new member answers and follows the journal.
 *
 * <p>The test makes the race likely instead of rare: while the member is added, a thread of its own
 * holds the new member's server lock until the member's timer thread waits for it, lets go for a
 * moment and takes it again, over and over; when the lock is let go, the timer thread and the
 * appends waiting with it race for it. Each attempt adds a fresh member to a fresh one-member
 * cluster; in eight trials the deadlock came at the first attempt seven times and at the second
 * once (without the breaker the first attempt failed), and the test requires it at least once in
 * six.
 */
class ListenerPromotionTest {

  private static final int ATTEMPTS = 6;

  @TempDir Path storage;

  @Test
  void aListenerPromotedWhileItsTimerWaitsForTheLock_isFreed_andFollowsTheJournal()
      throws Exception {
    long broken = 0;
    int attempt = 0;
    while (attempt < ATTEMPTS && broken == 0) {
      attempt++;
      broken += addUnderPressure(attempt);
    }
    System.out.printf("promotion deadlocks broken: %d, in %d attempts%n", broken, attempt);
    assertThat(broken)
        .as("deadlocks met and broken in %d promotions under lock pressure", ATTEMPTS)
        .isPositive();
  }

  /**
   * Adds n2 to n1 while pressing on n2's lock; asserts n2 then follows n1's journal.
   *
   * @return how many deadlocks n2's engine broke
   */
  private long addUnderPressure(int attempt) throws Exception {
    String cluster = "promotion-" + attempt;
    RatisEngine.Peer first = peer("n1");
    RatisEngine.Peer second = peer("n2");
    Path dir = storage.resolve("attempt-" + attempt);
    // n1's election timeout is long, so that it does not step down while n2's lock is pressed;
    // n2's is very short (5-10 ms), so that its timer thread is nearly always the first to wait
    // for the lock, ahead of the append that brings the configuration.
    try (RatisEngine n1 =
        start(cluster, first, List.of(first), dir.resolve("n1"), Duration.ofSeconds(2))) {
      SingleMemberEngine.awaitWritable(n1);
      // n2 joins: it is not in the members it is given, so it starts as a listener.
      try (RatisEngine n2 =
          start(cluster, second, List.of(first), dir.resolve("n2"), Duration.ofMillis(5))) {
        RaftServer.Division division = n2.division();
        assertThat(division.getInfo().isListener()).as("n2 starts as a listener").isTrue();
        AtomicBoolean pressing = new AtomicBoolean(true);
        Thread presser = new Thread(() -> press(division, pressing), "press-n2-lock");
        presser.setDaemon(true);
        presser.start();
        CompletableFuture<Void> added = n1.changeMembers(List.of(first), List.of(first, second));
        try {
          assertThat(added)
              .as(
                  "the promotion of n2 (attempt %d): without the breaker n2 deadlocks, answers"
                      + " nothing, and n1 loses its majority",
                  attempt)
              .succeedsWithin(Duration.ofSeconds(30));
        } finally {
          pressing.set(false);
          presser.join(5_000);
        }
        // n2 follows: a write on n1 reaches n2's commit index within 5 s.
        n1.write(new byte[] {1}).get(5, TimeUnit.SECONDS);
        long target = n1.commitIndex();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (n2.commitIndex() < target && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(n2.commitIndex())
            .as("n2's commit index 5 s after n1 committed %d (attempt %d)", target, attempt)
            .isGreaterThanOrEqualTo(target);
        assertThat(division.getInfo().isFollower()).as("n2 is a follower").isTrue();
        return n2.promotionDeadlocksBroken();
      }
    }
  }

  /**
   * Holds {@code lock} (at most 0.5 s at a time) until n2's timer thread waits for it and, after
   * it, another thread (an append from n1) does too, then lets go for 2 ms; again and again while
   * {@code pressing}. HotSpot hands a released lock to the thread that began waiting last, so the
   * append goes first: when it is the one that promotes n2, the timer thread is still waiting for
   * the lock.
   */
  private static void press(Object lock, AtomicBoolean pressing) {
    String lockName =
        lock.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(lock));
    try {
      while (pressing.get()) {
        synchronized (lock) {
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
          java.util.Set<Long> before = null;
          while (System.nanoTime() < until && pressing.get()) {
            java.util.Set<Long> waiting = waitingFor(lockName);
            boolean timer = waiting.contains(-1L);
            if (timer && before == null) {
              before = waiting;
            } else if (timer && !before.containsAll(waiting)) {
              break;
            }
            Thread.sleep(1);
          }
        }
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The ids of the threads waiting for the lock named {@code lockName}, with -1 standing for n2's
   * Ratis timer thread.
   */
  private static java.util.Set<Long> waitingFor(String lockName) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getState() != Thread.State.BLOCKED) {
        continue;
      }
      java.lang.management.ThreadInfo info = mx.getThreadInfo(thread.getId(), 0);
      if (info == null || !lockName.equals(info.getLockName())) {
        continue;
      }
      boolean timer =
          thread.getName().startsWith("n2@") && thread.getName().endsWith("-FollowerState");
      ids.add(timer ? -1L : thread.getId());
    }
    return ids;
  }

  private RatisEngine start(
      String cluster,
      RatisEngine.Peer self,
      List<RatisEngine.Peer> peers,
      Path dir,
      Duration electionTimeout)
      throws IOException {
    String journal = self.journal();
    int port = Integer.parseInt(journal.substring(journal.indexOf(':') + 1));
    return RatisEngine.start(
        self.id(),
        cluster,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        peers,
        dir,
        new EngineSettings(
            electionTimeout,
            electionTimeout.multipliedBy(2),
            Duration.ofSeconds(3),
            1_000_000,
            8L * 1024 * 1024,
            0),
        null,
        new BaseStateMachine(),
        () -> {});
  }

  private static RatisEngine.Peer peer(String id) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return new RatisEngine.Peer(NodeId.of(id), "127.0.0.1:" + socket.getLocalPort(), null);
    }
  }
}
