package io.steadfast.examples.demo;

import java.time.Duration;

/** Sleeps for the demo's pacing, keeping the interrupt flag. Stateless and thread-safe. */
final class Pause {

  private Pause() {}

  /** Sleeps for {@code duration}, returning early (with the flag set) if interrupted. */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
