package io.steadfast.testkit.apply;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApplyContext} for calling {@code apply} outside a cluster, with a settable position,
 * session, principal and clock.
 *
 * <p>Call the application through {@link #apply(ResilientApplication, Object)} (or the overload
 * with a codec): it hands a fresh seeded random source to every call, keeps the resume point the
 * call set if it returns, and discards it if it throws, as the runtime does.
 *
 * <pre>{@code
 * TestApplyContext context = TestApplyContext.create().timestamp(Instant.parse("2030-01-02T09:00:00Z"));
 * Outcome<Receipt> first = context.apply(ledger, new Deposit("acct-1", BigDecimal.TEN));
 * context.nextPosition().advance(Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>Not thread-safe: use it on one thread, like the apply thread it stands in for.
 */
public final class TestApplyContext implements ApplyContext {

  private Position position = new Position(1, 1);
  private SessionId sessionId = SessionId.of("test-session");
  private Principal principal = Principal.of("test-user");
  private Instant timestamp = Instant.parse("2030-01-02T09:00:00Z");
  private ResumePoint resumePoint = ResumePoint.start();
  private @Nullable ResumePoint pending;
  private @Nullable RandomGenerator random;
  private int activeVersion = 1;

  private TestApplyContext() {}

  /** A context at position {@code 1@1}, session {@code test-session}, user {@code test-user}. */
  public static TestApplyContext create() {
    return new TestApplyContext();
  }

  /** The random source the runtime derives from {@code position}: the same numbers everywhere. */
  public static RandomGenerator randomFor(Position position) {
    return new SplittableRandom(position.randomSeed());
  }

  /** Moves to {@code position}. */
  public TestApplyContext position(Position position) {
    this.position = Objects.requireNonNull(position, "position");
    this.random = null;
    return this;
  }

  /** Moves to the next index in the same epoch. */
  public TestApplyContext nextPosition() {
    return position(new Position(position.index() + 1, position.epoch()));
  }

  /** Switches to another session; its resume point starts over. */
  public TestApplyContext session(SessionId sessionId, Principal principal) {
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.principal = Objects.requireNonNull(principal, "principal");
    this.resumePoint = ResumePoint.start();
    return this;
  }

  /** Sets the leader timestamp the next call sees. */
  public TestApplyContext timestamp(Instant timestamp) {
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    return this;
  }

  /** Advances the leader timestamp; a negative step is refused (leader time never goes back). */
  public TestApplyContext advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("leader time never goes back; step: " + step);
    }
    this.timestamp = timestamp.plus(step);
    return this;
  }

  /** Sets the resume point the session's last acknowledged command left. */
  public TestApplyContext resumePoint(ResumePoint point) {
    this.resumePoint = Objects.requireNonNull(point, "point");
    return this;
  }

  /**
   * Sets the cluster's active application version (1 at first), as a journaled finalize would.
   *
   * @throws IllegalArgumentException if {@code version} is not positive
   */
  public TestApplyContext activeVersion(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("active version must be positive: " + version);
    }
    this.activeVersion = version;
    return this;
  }

  @Override
  public int activeVersion() {
    return activeVersion;
  }

  @Override
  public Position position() {
    return position;
  }

  @Override
  public SessionId sessionId() {
    return sessionId;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public Instant timestamp() {
    return timestamp;
  }

  @Override
  public RandomGenerator random() {
    if (random == null) {
      random = randomFor(position);
    }
    return random;
  }

  @Override
  public ResumePoint resumePoint() {
    return resumePoint;
  }

  @Override
  public void setResumePoint(ResumePoint point) {
    this.pending = Objects.requireNonNull(point, "point");
  }

  /** The resume point set by the call in progress, if any; for tests that call apply directly. */
  public Optional<ResumePoint> pendingResumePoint() {
    return Optional.ofNullable(pending);
  }

  /**
   * Applies {@code command} at the current position and describes the result with {@code
   * String.valueOf}. See {@link #apply(ResilientApplication, Object, CommandCodec)}.
   */
  public <C, R> Outcome<R> apply(ResilientApplication<C, R> application, C command) {
    return apply(application, command, null);
  }

  /**
   * Applies {@code command} at the current position as the runtime would: a fresh random source,
   * the resume point kept if the call returns and discarded if it throws an {@link Exception} (a
   * rejection). An {@link Error} is not a rejection and propagates.
   *
   * @param codec encodes the result for comparison; null to use {@code String.valueOf}
   */
  public <C, R> Outcome<R> apply(
      ResilientApplication<C, R> application, C command, @Nullable CommandCodec<C, R> codec) {
    pending = null;
    random = null;
    R result;
    try {
      result = application.apply(command, this);
    } catch (Exception rejection) {
      pending = null;
      return Outcome.rejected(rejection);
    }
    ResumePoint set = pending;
    pending = null;
    if (set != null) {
      resumePoint = set;
    }
    byte[] encoded =
        codec == null
            ? String.valueOf(result).getBytes(StandardCharsets.UTF_8)
            : codec.encodeResult(result);
    return Outcome.reply(result, encoded, set);
  }
}
