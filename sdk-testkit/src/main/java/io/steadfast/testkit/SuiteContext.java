package io.steadfast.testkit;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.Capability;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.SuiteSettings;
import io.steadfast.testkit.workload.Workload;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The {@link CheckContext} a suite hands its checks: the vendor's hooks, each read once. */
final class SuiteContext<C, R> implements CheckContext<C, R> {

  private final Supplier<ResilientApplication<C, R>> factory;
  private final CommandCodec<C, R> codec;
  private final Workload<C, R> workload;
  private final SuiteSettings settings;
  private final Set<Capability> capabilities;
  private final List<GoldenCheckpoint> goldens;
  private final Class<?> suiteClass;
  private Supplier<Optional<ResilientApplication<C, R>>> previous = Optional::empty;
  private @Nullable Trace<C, R> trace;
  private @Nullable RuntimeException traceFailure;

  SuiteContext(
      Supplier<ResilientApplication<C, R>> factory,
      CommandCodec<C, R> codec,
      Workload<C, R> workload,
      SuiteSettings settings,
      Set<Capability> capabilities,
      List<GoldenCheckpoint> goldens,
      Class<?> suiteClass) {
    this.factory = factory;
    this.codec = codec;
    this.workload = workload;
    this.settings = Objects.requireNonNull(settings, "settings() returned null");
    this.capabilities =
        capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
    this.goldens = List.copyOf(goldens);
    this.suiteClass = suiteClass;
  }

  /** Declares the factory of the previous release (the suite's {@code previousRelease()}). */
  SuiteContext<C, R> previousRelease(Supplier<Optional<ResilientApplication<C, R>>> factory) {
    this.previous = Objects.requireNonNull(factory, "factory");
    return this;
  }

  @Override
  public ResilientApplication<C, R> newApplication() {
    return factory.get();
  }

  @Override
  public Optional<ResilientApplication<C, R>> previousRelease() {
    return Objects.requireNonNull(previous.get(), "previousRelease() returned null");
  }

  @Override
  public CommandCodec<C, R> codec() {
    return codec;
  }

  @Override
  public Workload<C, R> workload() {
    return workload;
  }

  @Override
  public SuiteSettings settings() {
    return settings;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public List<GoldenCheckpoint> goldenCheckpoints() {
    return goldens;
  }

  @Override
  public synchronized Trace<C, R> trace() {
    if (traceFailure != null) {
      throw traceFailure;
    }
    if (trace == null) {
      try {
        trace =
            Trace.generate(
                workload, codec, newApplication(), settings.seed(), settings.traceLength());
      } catch (RuntimeException e) {
        traceFailure = new IllegalStateException("cannot generate the trace: " + e, e);
        throw traceFailure;
      }
    }
    return trace;
  }

  @Override
  public Class<?> suiteClass() {
    return suiteClass;
  }
}
