package io.steadfast.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.sample.FreezingLedger;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The wrapper the cluster runs must pass every exit point through to the vendor's instance. */
class ObservedApplicationTest {

  @Test
  void everyExitPoint_isOverridden_soNoVendorCallbackIsSwallowedByADefault() throws Exception {
    List<String> missing =
        Arrays.stream(ResilientApplication.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(
                m -> {
                  try {
                    Method own =
                        ObservedApplication.class.getMethod(m.getName(), m.getParameterTypes());
                    return own.getDeclaringClass() != ObservedApplication.class;
                  } catch (NoSuchMethodException e) {
                    return true;
                  }
                })
            .map(Method::getName)
            .toList();

    assertThat(missing).as("exit points ObservedApplication does not pass through").isEmpty();
  }

  @Test
  void freeze_armedCheckpointCrash_firesWhenTheFrozenStateIsWrittenNotWhenCaptured() {
    FaultHooks hooks = new FaultHooks();
    FreezingLedger ledger = new FreezingLedger();
    try (ExitTimings timings = new ExitTimings(ExitPointBudgets.defaults())) {
      ObservedApplication<LedgerCommand, Receipt> observed = observe(ledger, timings, hooks);
      // Off an engine thread the node is "?"; the crash counts as done, so the hook does not hold.
      CountDownLatch entered = hooks.arm(FaultHooks.Place.CHECKPOINT, "?", () -> true);

      FrozenState frozen = observed.freeze();

      assertThat(frozen).isNotNull();
      assertThat(entered.getCount()).as("fired during the capture").isEqualTo(1);
      assertThat(timings.sorted(ExitTimings.Exit.CHECKPOINT)).hasSize(1);
      assertThat(Checkpoints.write(frozen)).isEqualTo(Checkpoints.take(ledger));
      assertThat(entered.getCount()).as("fired during the write").isZero();
    }
  }

  @Test
  void freeze_applicationWithoutFrozenState_returnsNull() {
    try (ExitTimings timings = new ExitTimings(ExitPointBudgets.defaults())) {
      assertThat(observe(new Ledger(), timings, new FaultHooks()).freeze()).isNull();
    }
  }

  private static ObservedApplication<LedgerCommand, Receipt> observe(
      Ledger ledger, ExitTimings timings, FaultHooks hooks) {
    return new ObservedApplication<>(
        ledger,
        JacksonCodec.of(LedgerCommand.class, Receipt.class),
        new Observations<>(),
        timings,
        hooks);
  }

  @Test
  void currentNode_readsEngineAndRoleThreadNames() throws Exception {
    String[] seen = new String[2];
    Thread apply =
        new Thread(
            () -> seen[0] = ObservedApplication.currentNode(),
            "n2@group-6EC27A75605D-StateMachineUpdater");
    Thread role =
        new Thread(() -> seen[1] = ObservedApplication.currentNode(), "steadfast-role-n3");
    apply.start();
    role.start();
    apply.join();
    role.join();

    assertThat(seen).containsExactly("n2", "n3");
    assertThat(ObservedApplication.currentNode()).isEqualTo("?");
  }
}
