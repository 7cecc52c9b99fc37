package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.runtime.internal.observe.NodeMeters;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoleTrackerTest {

  private final List<RoleChange> delivered = new CopyOnWriteArrayList<>();

  @SuppressWarnings("unchecked")
  private final ResilientApplication<Object, Object> application = mock(ResilientApplication.class);

  private final RoleTracker roles =
      new RoleTracker(NodeId.of("n1"), () -> application, Duration.ofMillis(200), NodeMeters.NONE);

  RoleTrackerTest() {
    when(application.budgets()).thenReturn(ExitPointBudgets.defaults());
    roles.addListener(delivered::add);
  }

  @AfterEach
  void stop() {
    roles.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void change_followsTheTransitionTable_andIgnoresIllegalMoves() {
    assertThat(roles.change(Role.PRIMARY, RoleChange.Reason.FAILOVER, 1, Position.ZERO)).isFalse();
    assertThat(roles.change(Role.BACKUP, RoleChange.Reason.START, 0, Position.ZERO)).isTrue();
    assertThat(roles.change(Role.PRIMARY, RoleChange.Reason.START, 1, Position.ZERO)).isTrue();
    assertThat(roles.role()).isEqualTo(Role.PRIMARY);
  }

  @Test
  void promotion_needsAStrictlyHigherEpoch() {
    roles.change(Role.BACKUP, RoleChange.Reason.START, 0, Position.ZERO);
    roles.change(Role.PRIMARY, RoleChange.Reason.START, 3, Position.ZERO);
    roles.change(Role.BACKUP, RoleChange.Reason.FAILOVER, 3, Position.ZERO);

    assertThat(roles.change(Role.PRIMARY, RoleChange.Reason.FAILOVER, 3, Position.ZERO)).isFalse();
    assertThat(roles.change(Role.PRIMARY, RoleChange.Reason.FAILOVER, 4, Position.ZERO)).isTrue();
  }

  @Test
  void changes_reachListenersInOrder_andNothingFollowsTheEnd() {
    roles.change(Role.BACKUP, RoleChange.Reason.START, 0, Position.ZERO);
    roles.change(Role.PRIMARY, RoleChange.Reason.START, 1, Position.ZERO);
    roles.change(Role.ENDED, RoleChange.Reason.END, 1, Position.ZERO);
    assertThat(roles.change(Role.BACKUP, RoleChange.Reason.RESTART, 1, Position.ZERO)).isFalse();
    roles.shutdown(Duration.ofSeconds(5));

    assertThat(delivered)
        .extracting(RoleChange::to)
        .containsExactly(Role.BACKUP, Role.PRIMARY, Role.ENDED);
  }

  @Test
  void aCallbackThatThrows_doesNotStopTheChange_orLaterDeliveries() {
    org.mockito.Mockito.doThrow(new IllegalStateException("broken callback"))
        .when(application)
        .onRoleChange(org.mockito.ArgumentMatchers.any());
    roles.change(Role.BACKUP, RoleChange.Reason.START, 0, Position.ZERO);
    roles.change(Role.PRIMARY, RoleChange.Reason.START, 1, Position.ZERO);
    roles.shutdown(Duration.ofSeconds(5));

    assertThat(roles.role()).isEqualTo(Role.PRIMARY);
    assertThat(delivered).hasSize(2);
  }

  @Test
  void kill_dropsQueuedDeliveries_andReturnsOnlyAfterTheRunningCallbackEnds() throws Exception {
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean();
    org.mockito.Mockito.doAnswer(
            call -> {
              RoleChange change = call.getArgument(0);
              if (change.to() == Role.PRIMARY) {
                running.set(true);
                started.countDown();
                // Computes past its interrupt, as a CPU-bound callback does.
                long until = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
                running.set(false);
              }
              return null;
            })
        .when(application)
        .onRoleChange(org.mockito.ArgumentMatchers.any());
    roles.change(Role.BACKUP, RoleChange.Reason.START, 0, Position.ZERO);
    roles.change(Role.PRIMARY, RoleChange.Reason.START, 1, Position.ZERO);
    assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    roles.change(Role.BACKUP, RoleChange.Reason.SWITCHOVER, 1, Position.ZERO);

    roles.kill(Duration.ofSeconds(10));

    assertThat(running).as("the callback still running after kill returned").isFalse();
    assertThat(delivered)
        .as("the demotion queued behind it is dropped, as a killed process never runs it")
        .extracting(RoleChange::to)
        .containsExactly(Role.BACKUP, Role.PRIMARY);
  }
}
