package io.steadfast.benchmarks.scenario;

import java.lang.reflect.Method;

/**
 * What the load's sessions run on: a platform thread each (the default, and the only kind on JDK
 * 17), or a virtual thread each (JDK 21 and later). A blocked platform thread is woken by the
 * kernel, which on the two-core test machine cost 12 to 18 µs of CPU per wake-up with 64 to 1,024
 * threads; a virtual thread is resumed on a carrier thread by the JDK for about 3 µs
 * (docs/performance.md, "What a command costs, thread by thread"). Found by reflection, since the
 * benchmarks are built for JDK 17.
 */
enum LoadThreads {
  PLATFORM,
  VIRTUAL;

  private static volatile LoadThreads chosen = PLATFORM;

  /** The kind this run's loads use. */
  static LoadThreads chosen() {
    return chosen;
  }

  /** Sets the kind every later load of this run uses. */
  static void choose(LoadThreads kind) {
    chosen = kind;
  }

  /** The kind named {@code platform} or {@code virtual}. */
  static LoadThreads named(String name) {
    return switch (name) {
      case "platform" -> PLATFORM;
      case "virtual" -> VIRTUAL;
      default ->
          throw new IllegalArgumentException(
              "--threads is platform or virtual, got '" + name + "'");
    };
  }

  /** A thread that will run {@code task}, not yet started. */
  Thread unstarted(Runnable task, String name) {
    return unstarted(task, name, 0);
  }

  /**
   * As above; a platform thread gets {@code stackBytes} of stack (0 for the JVM's default), a
   * virtual thread's stack grows as it needs.
   */
  Thread unstarted(Runnable task, String name, long stackBytes) {
    if (this == PLATFORM) {
      Thread thread = new Thread(null, task, name, stackBytes);
      thread.setDaemon(true);
      return thread;
    }
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> type = Class.forName("java.lang.Thread$Builder");
      Method named = type.getMethod("name", String.class);
      Method unstarted = type.getMethod("unstarted", Runnable.class);
      return (Thread) unstarted.invoke(named.invoke(builder, name), task);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "virtual threads need JDK 21 or later; this is " + Runtime.version(), e);
    }
  }
}
