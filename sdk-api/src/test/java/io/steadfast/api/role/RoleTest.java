package io.steadfast.api.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.role.RoleChange.Reason;
import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void table_allowsTheDocumentedTransitionsOnly() {
    assertThat(Role.INACTIVE.reasonsFor(Role.BACKUP))
        .containsExactlyInAnyOrder(Reason.START, Reason.RESTART);
    assertThat(Role.BACKUP.reasonsFor(Role.PRIMARY))
        .containsExactlyInAnyOrder(Reason.START, Reason.FAILOVER, Reason.SWITCHOVER, Reason.HEALTH);
    assertThat(Role.PRIMARY.reasonsFor(Role.BACKUP))
        .containsExactlyInAnyOrder(Reason.SWITCHOVER, Reason.HEALTH, Reason.FAILOVER);
    assertThat(Role.BACKUP.canChange(Role.BACKUP, Reason.REJOIN)).isTrue();
    assertThat(Role.INACTIVE.canChange(Role.PRIMARY, Reason.START)).isFalse();
    assertThat(Role.PRIMARY.canChange(Role.PRIMARY, Reason.FAILOVER)).isFalse();
    for (Role role : Role.values()) {
      assertThat(Role.ENDED.reasonsFor(role)).as("nothing follows ENDED").isEmpty();
      if (role != Role.ENDED) {
        assertThat(role.canChange(Role.ENDED, Reason.END)).isTrue();
      }
    }
  }

  @Test
  void roleChange_refusesAnIllegalTransition() {
    assertThatThrownBy(
            () ->
                new RoleChange(
                    NodeId.of("n1"), Role.ENDED, Role.PRIMARY, Reason.START, 1, Position.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ENDED -> PRIMARY");
  }
}
