package io.steadfast.testkit.rule;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link RuleCheck} may use: the vendor's application factory, codec and workload, the
 * run's settings and seed, and the trace generated from them.
 *
 * <p><b>Not intended to be implemented by clients</b>; the suite supplies it. Used from the suite's
 * worker thread, one check at a time.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public interface CheckContext<C, R> {

  /** A fresh application instance: a new object with the initial state on every call. */
  ResilientApplication<C, R> newApplication();

  /** The application's codec. */
  CommandCodec<C, R> codec();

  /** The vendor's workload. */
  Workload<C, R> workload();

  /** The run's settings, including its seed. */
  SuiteSettings settings();

  /** What the application declares about itself. */
  Set<Capability> capabilities();

  /** Golden checkpoints of earlier versions the application must still restore; often empty. */
  List<GoldenCheckpoint> goldenCheckpoints();

  /**
   * A fresh instance of the previous release of the application, for the upgrade rules; empty when
   * the vendor declared none (the default).
   */
  default Optional<ResilientApplication<C, R>> previousRelease() {
    return Optional.empty();
  }

  /**
   * The trace of this run, generated on first use from the seed and the settings' trace length,
   * against a fresh reference instance, and then shared by every check.
   */
  Trace<C, R> trace();

  /**
   * The vendor's suite class. A check that needs the application in another JVM instantiates it
   * there with its no-argument constructor.
   */
  Class<?> suiteClass();

  /** A replica around a fresh application instance. */
  default Replica<C, R> newReplica() {
    return Replica.of(newApplication(), codec());
  }
}
