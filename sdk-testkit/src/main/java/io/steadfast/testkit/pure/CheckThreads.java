package io.steadfast.testkit.pure;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The one daemon thread a pure check runs application calls on, so a hung call cannot hang it. */
final class CheckThreads {

  private CheckThreads() {}

  /** A single-thread executor whose daemon thread is named {@code name}. */
  static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
