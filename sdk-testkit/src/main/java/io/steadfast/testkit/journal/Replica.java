package io.steadfast.testkit.journal;

import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.apply.TestApplyContext;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.checkpoint.Fingerprint;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One application instance driven as a node would drive it: trace entries applied in order with
 * their positions, sessions and leader times, each session's resume point kept between its
 * commands, and snapshots (checkpoint payload plus the session table) taken and restored.
 *
 * <p>Not thread-safe.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class Replica<C, R> {

  /**
   * What a node's checkpoint holds: the application payload and the runtime's session table.
   *
   * @param payload the application's checkpoint bytes (not copied; do not modify)
   * @param version the application's checkpoint version
   * @param position the position of the last entry applied
   * @param resumePoints every session's resume point
   */
  public record Snapshot(
      byte[] payload,
      int version,
      Position position,
      SortedMap<SessionId, ResumePoint> resumePoints) {

    /** Takes an unmodifiable copy of the session table. */
    public Snapshot {
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(position, "position");
      resumePoints = Collections.unmodifiableSortedMap(new TreeMap<>(resumePoints));
    }

    /** The fingerprint of the payload. */
    public Fingerprint fingerprint() {
      return Fingerprint.of(payload);
    }
  }

  private final ResilientApplication<C, R> application;
  private final CommandCodec<C, R> codec;
  private final TestApplyContext context = TestApplyContext.create();
  private final SortedMap<SessionId, ResumePoint> resumePoints = new TreeMap<>();
  private Position position = Position.ZERO;

  private Replica(ResilientApplication<C, R> application, CommandCodec<C, R> codec) {
    this.application = Objects.requireNonNull(application, "application");
    this.codec = Objects.requireNonNull(codec, "codec");
    context.activeVersion(Math.max(1, application.supportedVersion()));
  }

  /**
   * Applies from now on at the cluster application version {@code version}; a replica starts at the
   * highest version its application supports, the state after every member was upgraded and the
   * version finalized.
   */
  public Replica<C, R> activeVersion(int version) {
    context.activeVersion(version);
    return this;
  }

  /** A replica around {@code application}, which should be fresh. */
  public static <C, R> Replica<C, R> of(
      ResilientApplication<C, R> application, CommandCodec<C, R> codec) {
    return new Replica<>(application, codec);
  }

  /** Applies one entry; an {@link Error} thrown by the application propagates. */
  public Outcome<R> apply(TraceEntry<C> entry) {
    context
        .position(entry.position())
        .session(entry.sessionId(), entry.principal())
        .resumePoint(resumePoints.getOrDefault(entry.sessionId(), ResumePoint.start()))
        .timestamp(entry.timestamp());
    Outcome<R> outcome = context.apply(application, entry.command(), codec);
    outcome.resumePointSet().ifPresent(point -> resumePoints.put(entry.sessionId(), point));
    position = entry.position();
    return outcome;
  }

  /** Checkpoints the application and copies the session table. */
  public Snapshot snapshot() {
    return new Snapshot(
        Checkpoints.take(application), application.checkpointVersion(), position, resumePoints);
  }

  /**
   * Restores a snapshot: the application from its payload, the session table from its copy.
   *
   * @throws IOException whatever the application's restore throws; the session table is then left
   *     as it was
   */
  public void restore(Snapshot snapshot) throws IOException {
    Checkpoints.restore(application, snapshot.payload(), snapshot.version(), snapshot.position());
    resumePoints.clear();
    resumePoints.putAll(snapshot.resumePoints());
    position = snapshot.position();
  }

  /** The fingerprint of the application's state now. */
  public Fingerprint fingerprint() {
    return Checkpoints.fingerprint(application);
  }

  /** The application instance. */
  public ResilientApplication<C, R> application() {
    return application;
  }

  /** The position of the last entry applied or restored. */
  public Position position() {
    return position;
  }

  /** The session table: each session's resume point. */
  public SortedMap<SessionId, ResumePoint> resumePoints() {
    return Collections.unmodifiableSortedMap(resumePoints);
  }
}
