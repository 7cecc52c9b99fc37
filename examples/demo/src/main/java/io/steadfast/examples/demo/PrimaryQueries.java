package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.EmbeddedCluster;
import java.time.Duration;

/**
 * Sends read-only queries to whichever node is primary, waiting out a failover or switchover.
 *
 * <p>Stateless and thread-safe.
 */
final class PrimaryQueries {

  /** How long a query keeps looking for a primary before it gives up. */
  static final Duration PATIENCE = Duration.ofSeconds(15);

  private PrimaryQueries() {}

  /**
   * The primary's answer to {@code query}, asked on behalf of {@code principal}.
   *
   * @throws CommandRejectedException if the application refused the query
   * @throws SteadfastException if no primary answered within {@link #PATIENCE}
   */
  static <C, R> R ask(EmbeddedCluster<C, R> cluster, Principal principal, C query) {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        return cluster.primary().query(principal, query);
      } catch (CommandRejectedException | NotAuthorizedException e) {
        throw e;
      } catch (SteadfastException e) {
        // not primary, or no primary yet: the cluster is electing one
        if (System.nanoTime() > end) {
          throw e;
        }
        Pause.pause(Duration.ofMillis(10));
      }
    }
  }
}
