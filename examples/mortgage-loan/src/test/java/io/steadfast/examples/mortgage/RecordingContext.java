package io.steadfast.examples.mortgage;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** An {@link ApplyContext} for one apply call that records the resume point set. */
final class RecordingContext implements ApplyContext {

  private final Position position;
  private final Principal principal;
  private final Instant timestamp;
  private final ResumePoint before;
  private @Nullable ResumePoint set;
  private int sets;

  RecordingContext(Position position, Principal principal, Instant timestamp, ResumePoint before) {
    this.position = position;
    this.principal = principal;
    this.timestamp = timestamp;
    this.before = before;
  }

  @Override
  public Position position() {
    return position;
  }

  @Override
  public SessionId sessionId() {
    return SessionId.of("session-" + principal.user());
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
    return new SplittableRandom(position.index());
  }

  @Override
  public ResumePoint resumePoint() {
    return before;
  }

  @Override
  public void setResumePoint(ResumePoint point) {
    set = point;
    sets++;
  }

  /** The last resume point set, or null if apply set none. */
  @Nullable ResumePoint recorded() {
    return set;
  }

  /** How many times apply set the resume point. */
  int sets() {
    return sets;
  }
}
