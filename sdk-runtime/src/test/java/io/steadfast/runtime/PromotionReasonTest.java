package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.runtime.internal.journal.JournalEntry;
import org.junit.jupiter.api.Test;

/** The reason a promotion reports (issue 12: "a new cluster's first primary said FAILOVER"). */
class PromotionReasonTest {

  private static final NodeId N2 = NodeId.of("n2");

  @Test
  void firstPrimaryAfterElectionsThatServedNothing_isStart() {
    // Members started seconds apart: epoch 1 had a leader (and its start entry), nothing served.
    assertThat(NodeRuntime.promotionReason(N2, 2, 1, null, () -> false))
        .isEqualTo(RoleChange.Reason.START);
    assertThat(NodeRuntime.promotionReason(N2, 1, 0, null, () -> false))
        .isEqualTo(RoleChange.Reason.START);
  }

  @Test
  void primaryAfterAnEpochThatServed_isFailover() {
    assertThat(NodeRuntime.promotionReason(N2, 5, 4, null, () -> true))
        .isEqualTo(RoleChange.Reason.FAILOVER);
  }

  @Test
  void announcedHandOverToThisNode_givesItsReason() {
    JournalEntry.HandOver toN2 = new JournalEntry.HandOver(N2, RoleChange.Reason.SWITCHOVER, 4);
    assertThat(NodeRuntime.promotionReason(N2, 5, 4, toN2, () -> true))
        .isEqualTo(RoleChange.Reason.SWITCHOVER);
    // A hand-over to another node, or from an older epoch, explains nothing here.
    assertThat(
            NodeRuntime.promotionReason(
                N2,
                6,
                5,
                new JournalEntry.HandOver(NodeId.of("n3"), RoleChange.Reason.SWITCHOVER, 5),
                () -> true))
        .isEqualTo(RoleChange.Reason.FAILOVER);
  }
}
