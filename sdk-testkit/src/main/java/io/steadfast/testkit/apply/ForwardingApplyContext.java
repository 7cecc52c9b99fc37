package io.steadfast.testkit.apply;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An {@link ApplyContext} that passes every call to another one: extend it and override only what a
 * test wants to watch or change (for example {@link #setResumePoint}, to record or drop the resume
 * point an application sets).
 *
 * <p>As thread-safe as the context it wraps.
 */
public abstract class ForwardingApplyContext implements ApplyContext {

  private final ApplyContext delegate;

  /** Passes calls to {@code delegate}. */
  protected ForwardingApplyContext(ApplyContext delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The context calls are passed to. */
  protected final ApplyContext delegate() {
    return delegate;
  }

  @Override
  public Position position() {
    return delegate.position();
  }

  @Override
  public SessionId sessionId() {
    return delegate.sessionId();
  }

  @Override
  public Principal principal() {
    return delegate.principal();
  }

  @Override
  public Instant timestamp() {
    return delegate.timestamp();
  }

  @Override
  public RandomGenerator random() {
    return delegate.random();
  }

  @Override
  public ResumePoint resumePoint() {
    return delegate.resumePoint();
  }

  @Override
  public void setResumePoint(ResumePoint point) {
    delegate.setResumePoint(point);
  }

  @Override
  public int activeVersion() {
    return delegate.activeVersion();
  }
}
