package io.steadfast.testkit.cluster;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Lets the scenario crash a node while it is inside one of its application's exit points: armed for
 * one exit point on one node, the next such call there signals the scenario and holds until the
 * node has been crashed (or a deadline passes), then carries on as a dying process would.
 *
 * <p>Thread-safe; fires at most once per arming.
 */
final class FaultHooks {

  /** Where a fault may be placed. */
  enum Place {
    APPLY,
    CHECKPOINT
  }

  private record Armed(Place place, String node, CountDownLatch entered, BooleanSupplier crashed) {}

  private static final Duration HOLD = Duration.ofSeconds(15);

  private final AtomicReference<@Nullable Armed> armed = new AtomicReference<>();

  /**
   * Arms the hook; the returned latch opens when the call is entered.
   *
   * @param crashed true once the scenario has crashed the node
   */
  CountDownLatch arm(Place place, String node, BooleanSupplier crashed) {
    Armed next = new Armed(place, node, new CountDownLatch(1), crashed);
    armed.set(next);
    return next.entered();
  }

  /** Disarms the hook if it did not fire. */
  void disarm() {
    armed.set(null);
  }

  /** Called at the start of an exit point on {@code node}'s thread. */
  void at(Place place, String node) {
    Armed current = armed.get();
    if (current == null
        || current.place() != place
        || !current.node().equals(node)
        || !armed.compareAndSet(current, null)) {
      return;
    }
    current.entered().countDown();
    long end = System.nanoTime() + HOLD.toNanos();
    while (!current.crashed().getAsBoolean() && System.nanoTime() < end) {
      try {
        TimeUnit.MILLISECONDS.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
