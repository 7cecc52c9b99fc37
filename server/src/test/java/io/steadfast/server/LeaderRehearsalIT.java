package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rehearsal of the primary's path a member process runs once after it starts. */
class LeaderRehearsalIT {

  @Test
  void aRehearsalHasEveryCommandAcknowledgedAndLeavesNoFolderBehind() throws Exception {
    LeaderRehearsal.Outcome outcome =
        new LeaderRehearsal(300, Duration.ZERO, Duration.ofMillis(150), Duration.ofMillis(300))
            .run();

    assertThat(outcome.acknowledged()).isEqualTo(300);
    assertThat(Files.exists(outcome.storage())).as("the throwaway cluster's folder").isFalse();
  }

  @Test
  void noRehearsalWhenTurnedOffAndAtMostOnePerJvm() throws Exception {
    Duration min = Duration.ofMillis(150);
    Duration max = Duration.ofMillis(300);
    assertThat(new LeaderRehearsal(0, Duration.ZERO, min, max).startOnce(NodeId.of("off")))
        .isNull();

    // A delay longer than the test: the thread is started and then interrupted, never rehearsing.
    Thread first =
        new LeaderRehearsal(10, Duration.ofHours(1), min, max).startOnce(NodeId.of("first"));
    Thread second =
        new LeaderRehearsal(10, Duration.ofHours(1), min, max).startOnce(NodeId.of("second"));
    assertThat(second).isNull();
    if (first != null) {
      // Another test in this JVM (a member started in-process) may have had the one rehearsal.
      assertThat(first.getName()).isEqualTo("steadfast-rehearsal-first");
      first.interrupt();
      first.join(5_000);
      assertThat(first.isAlive()).isFalse();
    }
  }
}
