package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplicationWatchTest {

  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final Duration NOW = Duration.ofMillis(20);

  private long nanos;
  private boolean primary = true;
  private long commit = 100;
  private final Map<NodeId, ReplicationWatch.Progress> followers = new TreeMap<>();
  private final List<String> handOvers = new ArrayList<>();
  private int reported;

  private final ReplicationWatch watch =
      new ReplicationWatch(
          NodeId.of("n1"),
          new ReplicationWatch.Host() {
            @Override
            public boolean isPrimary() {
              return primary;
            }

            @Override
            public long commitIndex() {
              return commit;
            }

            @Override
            public Map<NodeId, ReplicationWatch.Progress> followers() {
              return followers;
            }

            @Override
            public void handOver(NodeId target, String why) {
              handOvers.add(target + ": " + why);
            }

            @Override
            public void stallReported() {
              reported++;
            }
          },
          () -> nanos);

  private void at(Duration time) {
    nanos = time.toNanos();
  }

  @Test
  void aFollowerAnsweringButStandingStillIsHandedOverFromOnce() {
    followers.put(N2, new ReplicationWatch.Progress(100L, NOW));
    followers.put(N3, new ReplicationWatch.Progress(40L, NOW));
    at(Duration.ZERO);
    assertThat(watch.check()).isEmpty();
    commit = 300;
    followers.put(N2, new ReplicationWatch.Progress(300L, NOW));
    at(ReplicationWatch.STALL.minusMillis(1));
    assertThat(watch.check()).isEmpty();
    at(ReplicationWatch.STALL);
    assertThat(watch.check()).contains(N2);
    assertThat(handOvers).singleElement().asString().contains("n3 answers", "commit index 40");

    // Primary again later, the same follower still stuck: only reported within the quiet time.
    at(ReplicationWatch.STALL.multipliedBy(3));
    assertThat(watch.check()).isEmpty();
    at(ReplicationWatch.STALL.multipliedBy(5));
    assertThat(watch.check()).isEmpty();
    assertThat(handOvers).hasSize(1);
    assertThat(reported).isEqualTo(1);
    assertThat(watch.stalls()).isEqualTo(2);
  }

  @Test
  void aFollowerThatMovesIsDownOrCaughtUpIsLeftAlone() {
    followers.put(N2, new ReplicationWatch.Progress(100L, NOW));
    followers.put(N3, new ReplicationWatch.Progress(40L, Duration.ofSeconds(30)));
    for (int second = 0; second < 60; second++) {
      at(Duration.ofSeconds(second));
      commit = 100L + second;
      // n2 keeps up; n3 does not answer (down, not stalled).
      followers.put(N2, new ReplicationWatch.Progress(commit, NOW));
      assertThat(watch.check()).isEmpty();
    }
    // n3 answers and advances slowly: never stalled.
    for (int second = 60; second < 120; second++) {
      at(Duration.ofSeconds(second));
      followers.put(N3, new ReplicationWatch.Progress((long) second, NOW));
      assertThat(watch.check()).isEmpty();
    }
    assertThat(handOvers).isEmpty();
  }

  @Test
  void noHandOverWithoutAnotherAnsweringMemberOrAsBackup() {
    followers.put(N3, new ReplicationWatch.Progress(40L, NOW));
    at(Duration.ZERO);
    assertThat(watch.check()).isEmpty();
    at(ReplicationWatch.STALL.plusSeconds(1));
    assertThat(watch.check()).isEqualTo(Optional.empty());
    primary = false;
    followers.put(N2, new ReplicationWatch.Progress(100L, NOW));
    at(ReplicationWatch.STALL.multipliedBy(4));
    assertThat(watch.check()).isEmpty();
    assertThat(handOvers).isEmpty();
  }
}
