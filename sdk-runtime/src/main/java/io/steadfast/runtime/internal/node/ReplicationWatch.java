package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the primary: notices a voting member that answers the primary but whose journal stopped
 * advancing while the primary commits, and hands the primary role over once to restart replication
 * to it.
 *
 * <p>Why: the engine's leader keeps, per follower, the index it believes the follower matches. A
 * follower that comes back holding entries an earlier primary wrote and never committed can leave
 * that belief wrong, and the leader then sends it heartbeats only, never the entries it lacks (the
 * follower answers, so nothing looks down; its commit index stands still). A new leader starts from
 * fresh beliefs and repairs the follower. Seen in the certification's cluster scenario, once in
 * about ten runs, after a primary crashed in the middle of applying, and in the membership system
 * test after a member that had been primary was killed and restarted. In the second case the
 * leader's record of the follower's commit index was wrong too (level with its own), so the host
 * gives the index each follower reports of itself when asked directly.
 *
 * <p>A member counts as stalled when its reported commit index has not moved for {@link #STALL}
 * while the primary's commit index is beyond it and it answered within {@link #ANSWERED}. A member
 * hands over for this at most once per {@link #QUIET}, so a follower that stays stuck for another
 * reason (its own disk, say) causes at most one hand-over per member in that time, not a cycle; it
 * is then reported at ERROR. A checkpoint being installed also holds a follower's commit index; the
 * stall time is chosen well above what installing 100 MB takes (3 s measured).
 *
 * <p>Not thread-safe: {@link #check} is called from one scheduler thread.
 */
public final class ReplicationWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationWatch.class);

  /** How long a follower's commit index may stand still behind the primary's. */
  public static final Duration STALL = Duration.ofSeconds(15);

  /** A follower heard from longer ago than this is down, not stalled: not this watch's concern. */
  public static final Duration ANSWERED = Duration.ofSeconds(2);

  /** The least time between two hand-overs for a stall by the same member. */
  public static final Duration QUIET = Duration.ofMinutes(5);

  /** What the watch needs from its node. */
  public interface Host {
    boolean isPrimary();

    /** The primary's commit index. */
    long commitIndex();

    /**
     * Each other voting member: its commit index (by its own count where it can be asked) and when
     * it last answered the engine's leader.
     */
    Map<NodeId, Progress> followers();

    /** Hands the primary role to {@code target}; throws on failure. */
    void handOver(NodeId target, String why);

    /** A stall was found that a recent hand-over did not cure; it is only reported. */
    void stallReported();
  }

  /**
   * A follower as the primary knows it.
   *
   * @param commitIndex its commit index, or null if unknown
   * @param sinceContact since it last answered, or null
   */
  public record Progress(@Nullable Long commitIndex, @Nullable Duration sinceContact) {}

  private record Seen(long commitIndex, long sinceNanos) {}

  private final NodeId node;
  private final Host host;
  private final LongSupplier nanos;
  private final Map<NodeId, Seen> seen = new HashMap<>();
  private long lastHandOverNanos;
  private boolean handedOver;
  private final Set<NodeId> reported = new HashSet<>();
  private long stalls;

  public ReplicationWatch(NodeId node, Host host, LongSupplier nanos) {
    this.node = node;
    this.host = host;
    this.nanos = nanos;
  }

  /** Stalls found so far (handed over for or reported). */
  public long stalls() {
    return stalls;
  }

  /** One look; returns the member handed over to, if any. */
  public Optional<NodeId> check() {
    long now = nanos.getAsLong();
    if (!host.isPrimary()) {
      seen.clear();
      reported.clear();
      return Optional.empty();
    }
    long commit = host.commitIndex();
    Map<NodeId, Progress> followers = new TreeMap<>(host.followers());
    NodeId stalled = null;
    for (Map.Entry<NodeId, Progress> f : followers.entrySet()) {
      Progress progress = f.getValue();
      Long theirs = progress.commitIndex();
      Duration since = progress.sinceContact();
      if (theirs == null || since == null || since.compareTo(ANSWERED) > 0 || theirs >= commit) {
        seen.remove(f.getKey());
        reported.remove(f.getKey());
        continue;
      }
      Seen before = seen.get(f.getKey());
      if (before == null || before.commitIndex() != theirs) {
        seen.put(f.getKey(), new Seen(theirs, now));
        reported.remove(f.getKey());
        continue;
      }
      if (now - before.sinceNanos() >= STALL.toNanos() && stalled == null) {
        stalled = f.getKey();
      }
    }
    if (stalled == null) {
      return Optional.empty();
    }
    long theirs = seen.get(stalled).commitIndex();
    if (handedOver && now - lastHandOverNanos < QUIET.toNanos()) {
      if (reported.add(stalled)) {
        stalls++;
        host.stallReported();
        LOG.error(
            "{}: {} answers but its journal has stood at commit index {} for over {} while this"
                + " primary is at {}, and a hand-over within the last {} did not help; restart {}",
            node,
            stalled,
            theirs,
            STALL,
            commit,
            QUIET,
            stalled);
      }
      return Optional.empty();
    }
    NodeId target = successor(followers, stalled);
    if (target == null) {
      return Optional.empty();
    }
    stalls++;
    String why =
        stalled
            + " answers but its journal has stood at commit index "
            + theirs
            + " for over "
            + STALL
            + " while this primary is at "
            + commit;
    LOG.warn("{}: {}; handing the primary role to {} to restart replication", node, why, target);
    handedOver = true;
    lastHandOverNanos = now;
    seen.clear();
    host.handOver(target, why);
    return Optional.of(target);
  }

  /** The answering member other than {@code stalled} with the highest commit index, or null. */
  private static @Nullable NodeId successor(Map<NodeId, Progress> followers, NodeId stalled) {
    NodeId best = null;
    long bestCommit = -1;
    for (Map.Entry<NodeId, Progress> f : followers.entrySet()) {
      Progress p = f.getValue();
      if (f.getKey().equals(stalled)
          || p.commitIndex() == null
          || p.sinceContact() == null
          || p.sinceContact().compareTo(ANSWERED) > 0) {
        continue;
      }
      if (p.commitIndex() > bestCommit) {
        best = f.getKey();
        bestCommit = p.commitIndex();
      }
    }
    return best;
  }
}
