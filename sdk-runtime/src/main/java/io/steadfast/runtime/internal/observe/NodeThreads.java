package io.steadfast.runtime.internal.observe;

import java.util.concurrent.ThreadFactory;
import org.slf4j.MDC;

/**
 * The node's own threads: daemon threads named {@code steadfast-<purpose>-<node>} whose log events
 * carry the node's id as MDC key {@value #NODE_KEY}, so that an operator can filter one member's
 * lines when several share a log (an embedded cluster, a test) or a log pipeline.
 */
public final class NodeThreads {

  /** The MDC key holding the node's id on its threads. */
  public static final String NODE_KEY = "node";

  private NodeThreads() {}

  /** A factory of daemon threads for {@code purpose} on {@code node}. */
  public static ThreadFactory factory(String purpose, String node) {
    return task -> thread(purpose, node, task);
  }

  /** One daemon thread for {@code purpose} on {@code node}, not started. */
  public static Thread thread(String purpose, String node, Runnable task) {
    Thread thread =
        new Thread(
            () -> {
              MDC.put(NODE_KEY, node);
              task.run();
            },
            "steadfast-" + purpose + "-" + node);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Puts {@code node} in the calling thread's MDC if it is not there yet: for threads the engine
   * owns (the apply thread), called on their first event.
   */
  public static void tag(String node) {
    if (MDC.get(NODE_KEY) == null) {
      MDC.put(NODE_KEY, node);
    }
  }
}
