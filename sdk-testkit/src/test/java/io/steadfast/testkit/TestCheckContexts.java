package io.steadfast.testkit;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.SuiteSettings;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The suite's own {@link CheckContext}, for tests that call checks or the runner directly. */
public final class TestCheckContexts {

  private TestCheckContexts() {}

  /** Default settings, no capabilities, no golden checkpoints; the trace is made on first use. */
  public static <C, R> CheckContext<C, R> of(
      Supplier<? extends ResilientApplication<C, R>> applications,
      CommandCodec<C, R> codec,
      Workload<C, R> workload,
      Class<?> suiteClass) {
    return new SuiteContext<>(
        applications::get,
        codec,
        workload,
        SuiteSettings.defaults(),
        Set.of(),
        List.of(),
        suiteClass);
  }

  /** As {@link #of}, with {@code previous} declared as the previous release (upgrade rules). */
  public static <C, R> CheckContext<C, R> upgrading(
      Supplier<? extends ResilientApplication<C, R>> applications,
      Supplier<? extends ResilientApplication<C, R>> previous,
      CommandCodec<C, R> codec,
      Workload<C, R> workload,
      Class<?> suiteClass) {
    return new SuiteContext<>(
            applications::get,
            codec,
            workload,
            SuiteSettings.defaults(),
            Set.of(),
            List.of(),
            suiteClass)
        .previousRelease(() -> Optional.of(previous.get()));
  }
}
