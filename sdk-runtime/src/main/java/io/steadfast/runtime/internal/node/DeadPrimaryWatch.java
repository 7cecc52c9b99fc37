package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import io.steadfast.runtime.internal.observe.NodeThreads;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices, on a backup, that the primary's process has ended, and starts an election at once
 * instead of waiting out the election timeout.
 *
 * <p>When the primary has been silent for {@code suspectAfter} (two thirds of the shortest election
 * timeout: longer than the engine's idle heartbeat, half of it), or as soon as a connection to this
 * node's own journal port ends (the connections a dying process held end with it; {@link
 * #connectionEnded}), the watch opens a TCP connection to the primary's journal port. Only a
 * refused connection counts as death: the host answered that nothing listens there, which is what a
 * crashed or killed process leaves behind. A frozen process (SIGSTOP, a long pause) still has its
 * listening socket, so the kernel accepts the connection; an unreachable host times out. Both are
 * left to the engine's own timeouts and pre-vote, so a pause never looks like a death.
 *
 * <p>A backup that found the primary dead asks the other members where their journals end (waiting
 * at most a third of {@code stagger}); asking also makes them probe the primary at once. The member
 * whose journal ends furthest starts the election at once, equal journals and members that do not
 * answer going in id order; each next one waits {@code stagger} more (the shortest election
 * timeout) and starts only if no new primary or election is known by then (the first may itself be
 * down), unless it cannot win: a member whose journal ends further answered, and too few of the
 * others could vote for this one to make a majority without it. Each member that does not lead also
 * asks the others a harmless question once a second; when one answers after a failed question, the
 * engine's channel to it is built anew, out of gRPC's reconnect back-off. The members notice the
 * death at different times, up to tens of milliseconds apart on a busy host, so a shorter stagger
 * (half the timeout, before 2026-12-05) let the second stand before the first one's vote request
 * reached it: a split vote and a second round, the slowest failovers measured with member
 * processes. Starting one candidate instead of letting every backup time out together avoids split
 * votes, which on loaded hosts doubled the time to a new primary. At most one election is started
 * per {@code quietPeriod}, so an asymmetric network fault that refuses connections cannot make a
 * member unseat primaries over and over.
 *
 * <p>Thread-safe; one scheduler thread, checking every {@code interval}.
 */
public final class DeadPrimaryWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadPrimaryWatch.class);

  /** What the watch reads of its node and asks of it. */
  public interface Host {
    /** Whether this node is a backup (follower) now. */
    boolean isBackup();

    /**
     * Whether this node is a voting member that does not lead now: a backup, or a candidate in an
     * election. Such a node may need the others' votes, so it keeps them in reach ({@link
     * #keepInReach}) even while no primary is known.
     */
    boolean isVoterNotLeading();

    /** The primary as this node knows it. */
    Optional<NodeId> primary();

    /** Time since the primary's last message, or null if unknown. */
    @Nullable Duration sinceLastContact();

    /** The current epoch (term). */
    long epoch();

    /** The journal (Raft) address of a member. */
    Optional<InetSocketAddress> journalAddress(NodeId member);

    /** Every member's id, this node's included. */
    List<NodeId> members();

    /**
     * Starts an election on this node now, as the former primary would have asked; returns whether
     * the engine started it. {@code noticed} is what led the watch to probe the primary.
     */
    boolean campaign(NodeId formerPrimary, Noticed noticed);

    /** Where this node's own journal ends, or null if that cannot be read now. */
    @Nullable JournalEnd journalEnd();

    /**
     * Asks {@code member} where its journal ends; the future may complete on any thread, or fail
     * (the member is down, or of a release that does not know the question). Asking also tells the
     * member that this node found the primary's port refusing, so that it probes the primary at
     * once itself ({@link #peerFoundDead}).
     */
    CompletableFuture<JournalEnd> askJournalEnd(NodeId member);

    /**
     * Asks {@code member} a question that changes nothing, to keep the connection to it open and
     * ready: the first question on a new connection took 10–60 ms, too long to wait for when the
     * primary has just died. The future may complete on any thread.
     */
    CompletableFuture<?> keepInReach(NodeId member);

    /**
     * Has the engine build its own channel to {@code member} anew: called once when a member that
     * did not answer a question answers again. The engine's channel to a member that was down may
     * be waiting out a reconnect back-off of seconds, during which its vote requests fail at once.
     * The future completes once the old channel is out of use, on any thread.
     */
    CompletableFuture<?> reconnect(NodeId member);
  }

  /**
   * The term and index of the last entry in a member's journal, ordered as the engine orders logs
   * when it grants votes: a higher term first, then a higher index. Only a member whose journal
   * ends at least as far as a majority's can win an election.
   */
  public record JournalEnd(long term, long index) implements Comparable<JournalEnd> {
    @Override
    public int compareTo(JournalEnd other) {
      int byTerm = Long.compare(term, other.term);
      return byTerm != 0 ? byTerm : Long.compare(index, other.index);
    }

    @Override
    public String toString() {
      return term + ":" + index;
    }
  }

  /** What led the watch to probe the primary. */
  public enum Noticed {
    /** The primary had been silent for {@code suspectAfter}. */
    SILENCE,
    /** A connection to this node's journal port ended. */
    CONNECTION_ENDED,
    /**
     * Another backup found the primary's port refusing and asked where this node's journal ends.
     */
    PEER_ASKED
  }

  /** What a connection attempt to a port found. */
  enum Probe {
    /** The host refused the connection: no process listens there. */
    REFUSED,
    /** Connected, timed out, or failed otherwise: the process may be alive. */
    NOT_REFUSED
  }

  /** Opens a connection to an address; the default uses a plain TCP socket. */
  interface Prober {
    Probe probe(InetSocketAddress address, Duration timeout);
  }

  private final NodeId self;
  private final Host host;
  private final Prober prober;
  private final Duration suspectAfter;
  private final Duration stagger;
  private final Duration askFor;
  private final Duration quietPeriod;
  private final ScheduledExecutorService scheduler;
  private final Duration interval;

  /** Marks "never" for the two times below. */
  private static final long NEVER = Long.MIN_VALUE;

  // Touched only by the scheduler thread.
  private long lastProbeNanos = NEVER;
  private long lastEndedProbeNanos = NEVER;
  private long lastCampaignNanos = NEVER;
  private @Nullable Suspicion pending;
  private long lastReachNanos = NEVER;
  private @Nullable NodeId reachedUnder;

  /**
   * Members whose last question (of {@link #keepInReach} or where their journal ends) failed: when
   * one answers again, the engine's channel to it is built anew ({@link Host#reconnect}). Any
   * thread.
   */
  private final java.util.Set<NodeId> unreached =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Set by a failed question of the current round of {@link #keepInReach}, from any thread. */
  private volatile boolean reachFailed;

  /** How often a backup asks the other members a question to keep its connections to them open. */
  private static final long REACH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * How soon it asks again after a question failed (the connection is then built anew), doubled
   * after each further failure in a row up to {@link #REACH_EVERY_NANOS}: a member that is down is
   * not asked five times a second (each failure costs a new engine client), and one that is back is
   * in reach again within a second, before the next failure is likely.
   */
  private static final long REACH_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** Rounds of {@link #keepInReach} in a row in which a question failed; any thread. */
  private final java.util.concurrent.atomic.AtomicInteger reachFailures =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Questions of {@link #keepInReach} not answered yet; none is sent while one is out. */
  private final java.util.concurrent.atomic.AtomicInteger reachOutstanding =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The primary whose journal port refused this watch's last probe, until another primary is known
   * or a probe finds it listening again; read by other threads ({@link #foundDead}).
   */
  private volatile @Nullable NodeId refusing;

  /** A primary found dead, and when this node may stand if nobody else has by then. */
  private record Suspicion(NodeId primary, long epoch, long standAtNanos, Noticed noticed) {}

  /**
   * @param electionTimeoutMin the shortest election timeout; the thresholds derive from it
   */
  public DeadPrimaryWatch(NodeId self, Host host, Duration electionTimeoutMin) {
    this(
        self,
        host,
        DeadPrimaryWatch::tcpProbe,
        electionTimeoutMin.multipliedBy(2).dividedBy(3),
        electionTimeoutMin,
        Duration.ofSeconds(5),
        Duration.ofMillis(10));
  }

  DeadPrimaryWatch(
      NodeId self,
      Host host,
      Prober prober,
      Duration suspectAfter,
      Duration stagger,
      Duration quietPeriod,
      Duration interval) {
    this.self = self;
    this.host = host;
    this.prober = prober;
    this.suspectAfter = suspectAfter;
    this.stagger = stagger;
    // Long enough for a loaded peer to answer (a few milliseconds on a LAN), short against the
    // stagger it would otherwise fall back to.
    this.askFor = stagger.dividedBy(3);
    this.quietPeriod = quietPeriod;
    this.interval = interval;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(NodeThreads.factory("watch", self.value()));
  }

  /** Starts checking every {@code interval}. */
  public void start() {
    // The schedule lives until close(); check() catches its own failures.
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::checkSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkSafely() {
    try {
      check(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("{}: primary watch failed once: {}", self, e.toString());
    }
  }

  /** One check at {@code now} (nanoTime); package-private for tests. */
  void check(long now) {
    Optional<NodeId> primary = host.primary();
    NodeId dead = refusing;
    if (dead != null && !primary.equals(Optional.of(dead))) {
      refusing = null;
    }
    if (pending == null && host.isVoterNotLeading()) {
      keepInReach(now, primary.filter(p -> !p.equals(self)).orElse(null));
    }
    if (!host.isBackup() || primary.isEmpty() || primary.get().equals(self)) {
      pending = null;
      return;
    }
    Suspicion suspicion = pending;
    if (suspicion != null) {
      if (!suspicion.primary().equals(primary.get()) || host.epoch() != suspicion.epoch()) {
        // A new primary or a new election: someone else acted.
        pending = null;
        return;
      }
      if (now >= suspicion.standAtNanos()) {
        pending = null;
        stand(suspicion.primary(), now, suspicion.noticed(), "nobody stood before its turn");
      }
      return;
    }
    Duration silent = host.sinceLastContact();
    if (silent == null || silent.compareTo(suspectAfter) < 0) {
      return;
    }
    if ((lastProbeNanos != NEVER && now - lastProbeNanos < suspectAfter.toNanos())
        || (lastCampaignNanos != NEVER && now - lastCampaignNanos < quietPeriod.toNanos())) {
      return;
    }
    lastProbeNanos = now;
    probe(primary.get(), now, Noticed.SILENCE, "silent for " + silent.toMillis() + " ms");
  }

  /**
   * Keeps this node's connections to the other members open, so that asking where their journals
   * end takes a millisecond when the primary dies: a question to each member but the primary every
   * second, at once under a new primary but not when the primary is lost (the election under way
   * gets no extra questions), and again after 200 ms when one failed (the engine then builds a new
   * connection to that member), 400 ms after a second failure in a row, 800 ms, then every second
   * again; never while a question of this kind is unanswered. It runs on a backup and on a
   * candidate, with or without a known primary ({@code primary} null), so that a member that comes
   * back during an election is noticed within a second and its vote channel built anew ({@link
   * #answered}).
   */
  private void keepInReach(long now, @Nullable NodeId primary) {
    if (reachOutstanding.get() > 0) {
      return;
    }
    // At once under a new primary; not when the primary is lost, so as not to add questions to an
    // election under way (the schedule goes on from the last question).
    boolean newPrimary = primary != null && !primary.equals(reachedUnder);
    if (newPrimary) {
      reachFailures.set(0);
    }
    int failures = reachFailures.get();
    long wait =
        failures == 0
            ? REACH_EVERY_NANOS
            : Math.min(REACH_AGAIN_NANOS << Math.min(failures - 1, 8), REACH_EVERY_NANOS);
    if (!newPrimary && lastReachNanos != NEVER && now - lastReachNanos < wait) {
      return;
    }
    reachFailed = false;
    reachedUnder = primary;
    lastReachNanos = now;
    List<NodeId> others =
        host.members().stream().filter(m -> !m.equals(self) && !m.equals(primary)).toList();
    // All counted before any is sent: an answer that comes at once must not score the round alone.
    reachOutstanding.addAndGet(others.size());
    for (NodeId member : others) {
      try {
        var unused =
            host.keepInReach(member)
                .whenComplete(
                    (answer, error) -> {
                      if (error != null) {
                        reachFailed = true;
                        unreached.add(member);
                      } else {
                        answered(member, null);
                      }
                      reachAnswered();
                    });
      } catch (RuntimeException e) {
        reachFailed = true;
        unreached.add(member);
        reachAnswered();
      }
    }
  }

  /**
   * {@code member} answered a question: if its last question had failed, the engine's channel to it
   * is built anew, so that this node's vote requests reach it at once; the rebuild goes into {@code
   * rebuilds} when the caller waits for it. Any thread.
   */
  private void answered(NodeId member, @Nullable List<CompletableFuture<?>> rebuilds) {
    if (!unreached.remove(member)) {
      return;
    }
    LOG.info("{}: {} answers again; the engine's channel to it is built anew", self, member);
    CompletableFuture<?> rebuild;
    try {
      rebuild = host.reconnect(member);
    } catch (RuntimeException e) {
      rebuild = CompletableFuture.failedFuture(e);
    }
    // A rebuild that could not be done is asked for again at the member's next answer.
    var unused =
        rebuild.whenComplete(
            (done, error) -> {
              if (error != null) {
                unreached.add(member);
              }
            });
    if (rebuilds != null) {
      rebuilds.add(rebuild);
    }
  }

  /** One question of {@link #keepInReach} was answered or failed; the last one scores the round. */
  private void reachAnswered() {
    if (reachOutstanding.decrementAndGet() == 0) {
      if (reachFailed) {
        reachFailures.incrementAndGet();
      } else {
        reachFailures.set(0);
      }
    }
  }

  /**
   * Called from any thread when a connection to this node's journal port has ended: when the
   * primary's process dies, the connections it held end with it, well before its silence reaches
   * {@code suspectAfter}. The watch then probes the primary's port at once, on its own thread; a
   * refused connection counts as death exactly as after a silence, and an answered one is tried
   * twice more, 10 and 40 ms later, then nothing changes (a client's or another member's connection
   * ended). At most one such probe per {@code interval}.
   */
  public void connectionEnded() {
    probeSoon(Noticed.CONNECTION_ENDED);
  }

  /**
   * Called from any thread when another backup asked where this node's journal ends, which it does
   * once it found the primary's port refusing: this node probes the primary at once too, as after a
   * connection ended, instead of waiting for a connection of its own to end. Without this, a backup
   * that would be the better candidate noticed the death up to tens of milliseconds after the
   * other.
   */
  public void peerFoundDead() {
    probeSoon(Noticed.PEER_ASKED);
  }

  private void probeSoon(Noticed cause) {
    try {
      scheduler.execute(() -> checkAfterConnectionEndedSafely(cause, 0));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the watch is closed: the node is stopping
    }
  }

  /**
   * Delays of the probes after the first one, when the first found the primary listening: a dying
   * process may drop one connection (a client's, say) a moment before its listening socket closes.
   */
  private static final long[] AGAIN_AFTER_MILLIS = {10, 30};

  private void checkAfterConnectionEndedSafely(Noticed cause, int attempt) {
    try {
      if (!checkAfterConnectionEnded(System.nanoTime(), cause)
          && attempt < AGAIN_AFTER_MILLIS.length) {
        var unused =
            scheduler.schedule(
                () -> checkAfterConnectionEndedSafely(cause, attempt + 1),
                AGAIN_AFTER_MILLIS[attempt],
                TimeUnit.MILLISECONDS);
      }
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the watch is closed: the node is stopping
    } catch (RuntimeException e) {
      LOG.warn("{}: primary watch failed once: {}", self, e.toString());
    }
  }

  /** {@link #checkAfterConnectionEnded(long, Noticed)} after a connection ended; for tests. */
  boolean checkAfterConnectionEnded(long now) {
    return checkAfterConnectionEnded(now, Noticed.CONNECTION_ENDED);
  }

  /**
   * The check after a connection ended or a peer asked, at {@code now} (nanoTime); package-private
   * for tests. Returns false only when it probed and the primary's port answered (worth probing
   * again soon).
   */
  boolean checkAfterConnectionEnded(long now, Noticed cause) {
    Optional<NodeId> primary = host.primary();
    if (!host.isBackup()
        || primary.isEmpty()
        || primary.get().equals(self)
        || pending != null
        || (lastEndedProbeNanos != NEVER && now - lastEndedProbeNanos < interval.toNanos())
        || (lastCampaignNanos != NEVER && now - lastCampaignNanos < quietPeriod.toNanos())) {
      return true;
    }
    lastEndedProbeNanos = now;
    String what =
        cause == Noticed.PEER_ASKED
            ? "another backup found it refusing"
            : "a connection to this member ended";
    if (probe(primary.get(), now, cause, what)) {
      return true;
    }
    LOG.debug("{}: {}; primary {} still listens", self, what, primary.get());
    return false;
  }

  /**
   * Probes {@code suspect}'s journal port; if refused, stands now or waits its turn. {@code
   * noticed} says what led to the probe, for the log. Returns whether the port refused.
   */
  private boolean probe(NodeId suspect, long now, Noticed cause, String noticed) {
    Optional<InetSocketAddress> address = host.journalAddress(suspect);
    if (address.isEmpty()
        || prober.probe(address.get(), suspectAfter.dividedBy(2)) != Probe.REFUSED) {
      refusing = null;
      return false;
    }
    refusing = suspect;
    Turn turn = turn(suspect);
    NodeId leaveTo = turn.leaveTo();
    if (turn.rank() <= 0) {
      stand(suspect, now, cause, noticed + "; " + turn.journals());
    } else if (leaveTo != null) {
      // Held like a turn that never comes, so that the election under way is not asked again.
      pending = new Suspicion(suspect, host.epoch(), Long.MAX_VALUE, cause);
      LOG.info(
          "{}: primary {} refuses connections (process gone?; {}); leaving the election to {},"
              + " whose journal ends further: this member cannot win without its vote ({})",
          self,
          suspect,
          noticed,
          leaveTo,
          turn.journals());
    } else {
      pending = new Suspicion(suspect, host.epoch(), now + stagger.toNanos() * turn.rank(), cause);
      LOG.info(
          "{}: primary {} refuses connections (process gone?; {}); standing in {} ms unless"
              + " another member does ({})",
          self,
          suspect,
          noticed,
          stagger.toMillis() * turn.rank(),
          turn.journals());
    }
    return true;
  }

  /** Asks {@code member} where its journal ends; a question that cannot be sent fails. */
  private CompletableFuture<JournalEnd> askJournalEnd(NodeId member) {
    try {
      return host.askJournalEnd(member);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Waits until every future in {@code pending} is done or {@code deadline} (nanoTime) passes; the
   * caller reads which ones completed, and how. Used for the journal-end questions (those not
   * answered in time go in id order) and for channel rebuilds (a vote request may then fail once;
   * the next election uses the new channel).
   */
  private static void awaitAll(List<? extends CompletableFuture<?>> pending, long deadline) {
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // read by the caller
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * This node's place among the candidates ({@code rank}), and the journal ends it compared, for
   * the log. {@code leaveTo}, when not null, is a member that answered with a journal ending
   * further than this node's, whose vote this node cannot win and cannot do without: too few
   * members could vote for this node for a majority. Such a node never stands, even after its turn:
   * in a 3-member system test (2026-12-07) a backup that did so after its turn took its own vote
   * away from the member with the longer journal, whose election was then under way, and the split
   * vote cost a second.
   */
  private record Turn(int rank, String journals, @Nullable NodeId leaveTo) {}

  /**
   * This node's place among the members that may replace {@code dead}: 0 stands at once. A member
   * whose journal ends further goes first, because the others would vote against any candidate with
   * a shorter journal; before 2026-12-07 the order was by id alone, and when the first in id order
   * held fewer entries than the second its election failed, and the second stood only when its own
   * election timer ran out (5 of 50 rounds in a traced run of the embedded cluster, 250–400 ms
   * instead of 40–150). Equal journals, and members that do not answer within {@code askFor}, go in
   * id order.
   */
  private Turn turn(NodeId dead) {
    List<NodeId> others =
        host.members().stream().filter(m -> !m.equals(dead) && !m.equals(self)).sorted().toList();
    if (others.isEmpty()) {
      return new Turn(0, "no other member", null);
    }
    JournalEnd mine = host.journalEnd();
    long askedAt = System.nanoTime();
    List<CompletableFuture<JournalEnd>> asked = new java.util.ArrayList<>(others.size());
    for (NodeId other : others) {
      asked.add(askJournalEnd(other));
    }
    long deadline = askedAt + askFor.toNanos();
    awaitAll(asked, deadline);
    // A question that failed at once (the connection to that member had broken since it was last
    // used; the engine builds a new one) is asked once more in the time left.
    for (int i = 0; i < others.size(); i++) {
      if (asked.get(i).isCompletedExceptionally() && System.nanoTime() < deadline) {
        unreached.add(others.get(i));
        asked.set(i, askJournalEnd(others.get(i)));
      }
    }
    awaitAll(asked, deadline);
    int rank = 0;
    // This node, and each member that did not answer or whose journal does not end further.
    int mayVoteForMe = 1;
    NodeId furthest = null;
    JournalEnd furthestEnd = mine;
    List<CompletableFuture<?>> rebuilds = new java.util.ArrayList<>();
    StringBuilder journals = new StringBuilder("journal ends: ").append(self).append(' ');
    journals.append(mine == null ? "unknown" : mine.toString());
    for (int i = 0; i < others.size(); i++) {
      NodeId other = others.get(i);
      CompletableFuture<JournalEnd> answer = asked.get(i);
      JournalEnd theirs =
          answer.isDone() && !answer.isCompletedExceptionally() ? answer.getNow(null) : null;
      if (theirs != null) {
        answered(other, rebuilds);
      } else if (answer.isCompletedExceptionally()) {
        unreached.add(other);
      }
      journals.append(", ").append(other).append(' ');
      journals.append(theirs == null ? "no answer" : theirs.toString());
      boolean before;
      if (mine == null || theirs == null) {
        before = other.compareTo(self) < 0;
        mayVoteForMe++;
      } else {
        if (theirs.compareTo(mine) <= 0) {
          mayVoteForMe++;
        } else if (furthestEnd == null || theirs.compareTo(furthestEnd) > 0) {
          furthest = other;
          furthestEnd = theirs;
        }
        int byJournal = theirs.compareTo(mine);
        before = byJournal > 0 || (byJournal == 0 && other.compareTo(self) < 0);
      }
      if (before) {
        rank++;
      }
    }
    journals
        .append(" (asked in ")
        .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - askedAt))
        .append(" ms)");
    if (!rebuilds.isEmpty()) {
      // Before this node stands: its vote request must not meet a channel still backing off.
      // A failed channel has no calls left to finish, so closing it should be quick (not measured
      // apart); a slow close is waited for a third of the stagger at most.
      awaitAll(rebuilds, System.nanoTime() + askFor.toNanos());
    }
    int majority = host.members().size() / 2 + 1;
    return new Turn(rank, journals.toString(), mayVoteForMe < majority ? furthest : null);
  }

  /**
   * Whether this watch found {@code primary}'s journal port refusing connections and has not heard
   * of another primary since: its process is gone, and an election is coming. Any thread.
   */
  public boolean foundDead(NodeId primary) {
    return primary.equals(refusing);
  }

  private void stand(NodeId dead, long now, Noticed cause, String noticed) {
    lastCampaignNanos = now;
    boolean started = host.campaign(dead, cause);
    LOG.info(
        "{}: primary {} refuses connections to its journal port ({}): {}",
        self,
        dead,
        noticed,
        started ? "election started" : "the engine declined to start an election");
  }

  /** A TCP connection attempt; refused means no process listens. */
  static Probe tcpProbe(InetSocketAddress address, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) Math.max(1, timeout.toMillis()));
      return Probe.NOT_REFUSED;
    } catch (ConnectException e) {
      // Refused, not "timed out" or "unreachable" (which some platforms also report this way).
      String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return message.contains("refused") ? Probe.REFUSED : Probe.NOT_REFUSED;
    } catch (IOException | RuntimeException e) {
      return Probe.NOT_REFUSED;
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
