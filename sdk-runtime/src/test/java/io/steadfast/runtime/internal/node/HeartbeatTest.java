package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.Health;
import io.steadfast.api.NodeId;
import io.steadfast.api.ResilientApplication;
import io.steadfast.runtime.internal.observe.NodeMeters;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The heartbeat's probes and health hand-over, against a mocked host: no engine involved. */
class HeartbeatTest {

  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");

  private final Heartbeat.Host host = mock(Heartbeat.Host.class);
  private final AtomicReference<Health> health = new AtomicReference<>(Health.up());
  private final ResilientApplication<Object, Object> application = application();
  private Heartbeat heartbeat;

  @SuppressWarnings("unchecked")
  private ResilientApplication<Object, Object> application() {
    ResilientApplication<Object, Object> app = mock(ResilientApplication.class);
    when(app.budgets()).thenReturn(ExitPointBudgets.defaults());
    when(app.health()).thenAnswer(call -> health.get());
    return app;
  }

  private Heartbeat start(Duration budget) {
    heartbeat =
        new Heartbeat(
            NodeId.of("n1"),
            () -> application,
            host,
            Duration.ofMillis(10),
            3,
            budget,
            NodeMeters.NONE,
            null);
    heartbeat.start();
    return heartbeat;
  }

  @AfterEach
  void stop() {
    if (heartbeat != null) {
      heartbeat.close();
    }
  }

  @Test
  void downPrimary_handsOverToTheFirstHealthyBackup_afterEnoughProbes() {
    when(host.isPrimary()).thenReturn(true);
    when(host.otherMembers()).thenReturn(List.of(N2, N3));
    when(host.healthOf(N2)).thenReturn(Health.down("disk full"));
    when(host.healthOf(N3)).thenReturn(Health.up());
    health.set(Health.down("database gone"));
    start(Duration.ofSeconds(1));

    io.steadfast.runtime.testapp.Await.until(
        "a hand-over to n3",
        Duration.ofSeconds(5),
        () -> {
          try {
            verify(host, atLeastOnce()).handOverForHealth(N3);
            return true;
          } catch (AssertionError notYet) {
            return false;
          }
        });
    verify(host, never()).handOverForHealth(N2);
    assertThat(heartbeat.health().isDown()).isTrue();
  }

  @Test
  void downBackup_neverHandsOver() throws InterruptedException {
    when(host.isPrimary()).thenReturn(false);
    health.set(Health.down("database gone"));
    start(Duration.ofSeconds(1));

    io.steadfast.runtime.testapp.Await.until(
        "the probe to see DOWN", Duration.ofSeconds(5), () -> heartbeat.health().isDown());
    verify(host, never()).handOverForHealth(any());
  }

  @Test
  void probeThatThrowsOrOverruns_countsAsDown_andIsMeasured() {
    org.mockito.Mockito.doThrow(new IllegalStateException("broken probe"))
        .when(application)
        .health();
    start(Duration.ofSeconds(1));
    io.steadfast.runtime.testapp.Await.until(
        "a throwing probe to read DOWN",
        Duration.ofSeconds(5),
        () -> heartbeat.health().isDown() && heartbeat.health().detail().contains("broken probe"));

    heartbeat.close();
    org.mockito.Mockito.doAnswer(
            call -> {
              Thread.sleep(2_000);
              return Health.up();
            })
        .when(application)
        .health();
    start(Duration.ofMillis(50));
    io.steadfast.runtime.testapp.Await.until(
        "an overrunning probe to read DOWN",
        Duration.ofSeconds(5),
        () -> heartbeat.health().detail().contains("overran"));
    assertThat(heartbeat.clock().overruns()).isPositive();
  }
}
