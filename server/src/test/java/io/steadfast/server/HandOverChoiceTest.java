package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whom a stopping primary hands over to. Configuration order picked a member restarted two seconds
 * before, which took ~1.7 s to become a ready primary (the system test's 2.3–2.9 s pauses).
 */
class HandOverChoiceTest {

  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N3 = NodeId.of("n3");

  @Test
  void aReadyMemberUpLongest_comesBeforeOneJustRestarted_whateverTheConfigurationOrder() {
    Map<NodeId, Long> scores =
        Map.of(
            N1, SteadfastServer.PeerStatus.score(Map.of("ready", true, "upMillis", 2_000L)),
            N3, SteadfastServer.PeerStatus.score(Map.of("ready", true, "upMillis", 60_000L)));
    assertThat(SteadfastServer.bestFirst(List.of(N1, N3), scores::get)).containsExactly(N3, N1);
  }

  @Test
  void aReadyMember_comesBeforeOneThatIsNot_evenIfUpLonger() {
    Map<NodeId, Long> scores =
        Map.of(
            N1, SteadfastServer.PeerStatus.score(Map.of("ready", false, "upMillis", 600_000L)),
            N3, SteadfastServer.PeerStatus.score(Map.of("ready", true, "upMillis", 1_000L)));
    assertThat(SteadfastServer.bestFirst(List.of(N1, N3), scores::get)).containsExactly(N3, N1);
  }

  @Test
  void unknownStatus_keepsTheConfigurationOrder() {
    assertThat(SteadfastServer.bestFirst(List.of(N1, N3), member -> 0L)).containsExactly(N1, N3);
    assertThat(SteadfastServer.PeerStatus.score(Map.of())).isZero();
  }
}
