package io.steadfast.api;

import java.util.Objects;

/**
 * The application's own view of its health, returned by {@link ResilientApplication#health()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status up, degraded (working, but worth a look) or down (cannot serve)
 * @param detail a short, human-readable reason; empty when up
 */
public record Health(Status status, String detail) {

  /** How well the application can serve. */
  public enum Status {
    /** Serving normally. */
    UP,
    /** Serving, with a problem worth reporting; never causes a hand-over. */
    DEGRADED,
    /** Cannot serve; a primary that stays down hands over to a healthy backup. */
    DOWN
  }

  private static final Health UP = new Health(Status.UP, "");

  /** Validates the fields. */
  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** Healthy. */
  public static Health up() {
    return UP;
  }

  /** Working, but with a problem described by {@code detail}. */
  public static Health degraded(String detail) {
    return new Health(Status.DEGRADED, detail);
  }

  /** Unable to serve, for the reason in {@code detail}. */
  public static Health down(String detail) {
    return new Health(Status.DOWN, detail);
  }

  /** Whether the status is {@link Status#DOWN}. */
  public boolean isDown() {
    return status == Status.DOWN;
  }
}
