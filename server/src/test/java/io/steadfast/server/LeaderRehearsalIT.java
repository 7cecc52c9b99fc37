package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rehearsal of the primary's path a member process runs once after it starts. */
class LeaderRehearsalIT {

  private static final LeaderRehearsal.ElectionTimeout ELECTION =
      new LeaderRehearsal.ElectionTimeout(Duration.ofMillis(150), Duration.ofMillis(300));

  @Test
  void aRehearsalHasEveryCommandAcknowledgedAndLeavesNoFolderBehind() throws Exception {
    LeaderRehearsal.Outcome outcome =
        new LeaderRehearsal(300, Duration.ZERO, ELECTION).run(() -> false);

    assertThat(outcome.acknowledged()).isEqualTo(300);
    assertThat(Files.exists(outcome.storage())).as("the throwaway cluster's folder").isFalse();
  }

  @Test
  void aRehearsalStopsSendingWhenTheMemberBecomesPrimary() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    // The member "becomes primary" after 40 looks: the rehearsal ends well short of its commands.
    LeaderRehearsal.Outcome outcome =
        new LeaderRehearsal(100_000, Duration.ZERO, ELECTION)
            .run(() -> asked.incrementAndGet() > 40);

    assertThat(outcome.acknowledged()).isLessThanOrEqualTo(40);
    assertThat(Files.exists(outcome.storage())).isFalse();
  }

  @Test
  void noRehearsalWhenTurnedOff_andAtMostOnePerJvm_andNoneWhileTheMemberIsNotAReadyBackup()
      throws Exception {
    assertThat(
            new LeaderRehearsal(0, Duration.ZERO, ELECTION)
                .startOnce(NodeId.of("off"), () -> LeaderRehearsal.MemberState.READY_BACKUP))
        .isNull();

    AtomicInteger looks = new AtomicInteger();
    Thread first =
        new LeaderRehearsal(10, Duration.ZERO, ELECTION)
            .startOnce(
                NodeId.of("first"),
                () -> {
                  // Catching up for a while, then stopped: the rehearsal never runs.
                  return looks.incrementAndGet() < 5
                      ? LeaderRehearsal.MemberState.NOT_READY
                      : LeaderRehearsal.MemberState.STOPPED;
                });
    Thread second =
        new LeaderRehearsal(10, Duration.ZERO, ELECTION)
            .startOnce(NodeId.of("second"), () -> LeaderRehearsal.MemberState.READY_BACKUP);
    assertThat(second).as("a second rehearsal in one JVM").isNull();
    if (first != null) {
      // Another test in this JVM (a member started in-process) may have had the one rehearsal.
      first.join(10_000);
      assertThat(first.isAlive()).isFalse();
      assertThat(looks.get()).isEqualTo(5);
    }
  }
}
