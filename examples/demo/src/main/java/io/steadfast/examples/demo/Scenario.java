package io.steadfast.examples.demo;

import io.steadfast.runtime.EmbeddedCluster;
import java.time.Duration;
import java.util.List;

/**
 * One example application as the demo runs it: how its cluster is built, who works on it, what
 * progress looks like, and how to check afterwards, through the application's own queries, that
 * nothing acknowledged was lost and nothing was applied twice.
 *
 * <p>Implemented by {@link MortgageDemo} and {@link CollectionDemo}. The {@link Drill} calls every
 * method from its own thread; only the scripts run on the users' threads, so whatever they count
 * for {@link #progress()} and {@link #verify} must be thread-safe.
 *
 * @param <C> the application's command type
 * @param <R> the application's result type
 */
interface Scenario<C, R> {

  /** The name {@code --app} selects and the RESULT line reports. */
  String name();

  /** Sets the application, its codec and anything else it needs (a clock, say) on the builder. */
  void configure(EmbeddedCluster.Builder<C, R> cluster);

  /**
   * How long the users' sessions may stay idle, in leader time, before the cluster expires them.
   */
  default Duration sessionTtl() {
    return Duration.ofMinutes(30);
  }

  /** The simulated users, one session and thread each; called once, before the users start. */
  List<Script<C, R>> users(long seed, int count);

  /**
   * Whether the users are all at work, so that the timeline may start counting towards the kill; a
   * scenario that loads data first says false until it is loaded. Called often; must be cheap.
   */
  default boolean ready() {
    return true;
  }

  /** A few words on what the users have achieved so far, for the progress lines. */
  String progress();

  /**
   * The application's own checks, once every user has stopped: reads the state through queries (or
   * commands of its own) on {@code cluster} and compares it with what the users were told.
   */
  Findings verify(EmbeddedCluster<C, R> cluster);
}
