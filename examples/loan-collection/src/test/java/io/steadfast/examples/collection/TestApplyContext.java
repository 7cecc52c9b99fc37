package io.steadfast.examples.collection;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** A plain {@link ApplyContext} for driving {@code apply} in tests; remembers the resume point set. */
final class TestApplyContext implements ApplyContext {

  private final Position position;
  private final SessionId sessionId;
  private final Principal principal;
  private final Instant timestamp;
  private final ResumePoint resumePoint;
  private @Nullable ResumePoint recorded;

  TestApplyContext(
      Position position, Principal principal, Instant timestamp, ResumePoint resumePoint) {
    this.position = position;
    this.sessionId = SessionId.of("session-" + principal.user());
    this.principal = principal;
    this.timestamp = timestamp;
    this.resumePoint = resumePoint;
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
    return new SplittableRandom(position.index());
  }

  @Override
  public ResumePoint resumePoint() {
    return resumePoint;
  }

  @Override
  public void setResumePoint(ResumePoint point) {
    this.recorded = point;
  }

  /** The resume point {@code apply} set last, or null if it set none. */
  @Nullable ResumePoint recorded() {
    return recorded;
  }
}
