package io.steadfast.examples.mortgage;

import io.steadfast.api.Position;
import io.steadfast.api.QueryContext;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.testkit.apply.TestApplyContext;
import io.steadfast.testkit.checkpoint.Checkpoints;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Drives a {@link MortgageLoanApplication} the way the runtime would: positions in order, a leader
 * clock one minute per command starting 2024-03-01 09:00 UTC, and per-user resume points kept only
 * when apply succeeds. Public so the workload tests can use it.
 */
public final class Harness {

  /** The time of the first command. */
  public static final Instant START = Instant.parse("2024-03-01T09:00:00Z");

  private final MortgageLoanApplication app;
  private final Map<String, ResumePoint> resumePoints = new HashMap<>();
  private long index;

  public Harness() {
    this(new MortgageLoanApplication());
  }

  public Harness(MortgageLoanApplication app) {
    this.app = app;
  }

  public MortgageLoanApplication app() {
    return app;
  }

  /** Applies a command for {@code who}; on success keeps the resume point apply set. */
  public LoanResult apply(Principal who, LoanCommand command) {
    index++;
    TestApplyContext context =
        TestApplyContext.create()
            .position(new Position(index, 1))
            .session(SessionId.of("session-" + who.user()), who)
            .timestamp(START.plus(Duration.ofMinutes(index)))
            .resumePoint(resumePoint(who.user()));
    LoanResult result = app.apply(command, context);
    resumePoints.put(
        who.user(),
        context
            .pendingResumePoint()
            .orElseThrow(() -> new AssertionError("apply set no resume point for " + command)));
    return result;
  }

  /** Answers a query as {@code who}. */
  public LoanResult query(Principal who, LoanCommand request) {
    Position at = new Position(index, 1);
    return app.query(
        request,
        new QueryContext() {
          @Override
          public Position position() {
            return at;
          }

          @Override
          public Principal principal() {
            return who;
          }
        });
  }

  /** Sends a query to {@code query} and anything else to {@code apply}. */
  public LoanResult send(Principal who, LoanCommand command) {
    return command instanceof LoanCommand.Query ? query(who, command) : apply(who, command);
  }

  /** The resume point of {@code user}'s session. */
  public ResumePoint resumePoint(String user) {
    return resumePoints.getOrDefault(user, ResumePoint.start());
  }

  /** The application's checkpoint payload. */
  public byte[] checkpoint() {
    return checkpointOf(app);
  }

  /** The checkpoint payload of {@code app}. */
  public static byte[] checkpointOf(MortgageLoanApplication app) {
    return Checkpoints.take(app);
  }

  /** Restores {@code payload}, recorded with {@code version}, into {@code app}. */
  public static void restore(MortgageLoanApplication app, byte[] payload, int version)
      throws IOException {
    Checkpoints.restore(app, payload, version, Position.ZERO);
  }
}
