package io.steadfast.testkit.cluster;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.ExitPointBudgets;
import io.steadfast.api.Health;
import io.steadfast.api.QueryContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionResumed;
import io.steadfast.testkit.apply.ForwardingApplyContext;
import io.steadfast.testkit.apply.Outcome;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The vendor's application as the cluster runs it during certification: every exit point is passed
 * through unchanged, and what went in and came out is reported to the {@link Observations}, the
 * {@link ExitTimings} and the {@link FaultHooks}.
 *
 * <p>As thread-safe as the application it wraps; the per-node bookkeeping is concurrent.
 */
final class ObservedApplication<C, R> implements ResilientApplication<C, R> {

  private static final Pattern APPLY_THREAD = Pattern.compile("^(n\\d+)[@-].*");
  private static final Pattern ROLE_THREAD = Pattern.compile("^steadfast-role-(.+)$");

  private final ResilientApplication<C, R> delegate;
  private final CommandCodec<C, R> codec;
  private final Observations<C> observations;
  private final ExitTimings timings;
  private final FaultHooks hooks;

  ObservedApplication(
      ResilientApplication<C, R> delegate,
      CommandCodec<C, R> codec,
      Observations<C> observations,
      ExitTimings timings,
      FaultHooks hooks) {
    this.delegate = delegate;
    this.codec = codec;
    this.observations = observations;
    this.timings = timings;
    this.hooks = hooks;
  }

  /** The vendor's instance inside {@code application}, or {@code application} itself. */
  static ResilientApplication<?, ?> unwrap(ResilientApplication<?, ?> application) {
    return application instanceof ObservedApplication<?, ?> observed
        ? observed.delegate
        : application;
  }

  /** The node whose engine thread this is ({@code n1}, …), or {@code ?}. */
  static String currentNode() {
    String name = Thread.currentThread().getName();
    Matcher role = ROLE_THREAD.matcher(name);
    if (role.matches()) {
      return role.group(1);
    }
    Matcher apply = APPLY_THREAD.matcher(name);
    return apply.matches() ? apply.group(1) : "?";
  }

  @Override
  public R apply(C command, ApplyContext context) throws Exception {
    String node = currentNode();
    hooks.at(FaultHooks.Place.APPLY, node);
    Recording recording = new Recording(context);
    Result result;
    timings.enter(ExitTimings.Exit.APPLY);
    R answer;
    try {
      answer = delegate.apply(command, recording);
    } catch (Exception rejection) {
      timings.exit();
      result = Result.rejected(rejection);
      record(command, context, result, null, node);
      throw rejection;
    }
    timings.exit();
    ResumePoint kept = recording.set;
    try {
      result = Result.reply(codec.encodeResult(answer));
    } catch (RuntimeException e) {
      result = new Result(false, "unencodable result: " + e);
    }
    record(command, context, result, kept, node);
    return answer;
  }

  private void record(
      C command, ApplyContext context, Result result, @Nullable ResumePoint kept, String node) {
    String text;
    try {
      text = Outcome.describe(codec.encodeCommand(command));
    } catch (RuntimeException e) {
      text = String.valueOf(command);
    }
    observations.applied(
        new Applied<>(
            context.position(),
            context.sessionId(),
            context.principal(),
            context.timestamp(),
            command,
            text,
            result,
            context.resumePoint(),
            kept,
            node));
  }

  @Override
  public void checkpoint(CheckpointWriter out) throws IOException {
    hooks.at(FaultHooks.Place.CHECKPOINT, currentNode());
    timings.enter(ExitTimings.Exit.CHECKPOINT);
    try {
      delegate.checkpoint(out);
    } finally {
      timings.exit();
    }
  }

  /**
   * Times the capture as a checkpoint; a crash armed for a checkpoint fires when the frozen state
   * is written, on the node's checkpoint thread, since that is where such an application writes.
   */
  @Override
  public @Nullable FrozenState freeze() {
    String node = currentNode();
    timings.enter(ExitTimings.Exit.CHECKPOINT);
    FrozenState frozen;
    try {
      frozen = delegate.freeze();
    } finally {
      timings.exit();
    }
    if (frozen == null) {
      return null;
    }
    return out -> {
      hooks.at(FaultHooks.Place.CHECKPOINT, node);
      frozen.writeTo(out);
    };
  }

  @Override
  public void restore(CheckpointReader in) throws IOException {
    timings.enter(ExitTimings.Exit.RESTORE);
    try {
      delegate.restore(in);
    } finally {
      timings.exit();
    }
  }

  @Override
  public R query(C request, QueryContext context) throws Exception {
    timings.enter(ExitTimings.Exit.QUERY);
    try {
      return delegate.query(request, context);
    } finally {
      timings.exit();
    }
  }

  @Override
  public void onRoleChange(RoleChange change) {
    boolean overlapping = observations.enterRoleCallback(change.node().value());
    timings.enter(ExitTimings.Exit.ROLE_CHANGE);
    String threw = "";
    try {
      delegate.onRoleChange(change);
    } catch (RuntimeException e) {
      threw = e.toString();
      throw e;
    } finally {
      timings.exit();
      observations.leaveRoleCallback(change.node().value());
      observations.received(change, threw, overlapping);
    }
  }

  @Override
  public void onResume(SessionResumed resumed) {
    timings.enter(ExitTimings.Exit.ROLE_THREAD_RESUME);
    try {
      delegate.onResume(resumed);
    } finally {
      timings.exit();
    }
  }

  @Override
  public Health health() {
    timings.enter(ExitTimings.Exit.HEALTH);
    try {
      return delegate.health();
    } catch (RuntimeException | Error e) {
      timings.healthThrew(e);
      throw e;
    } finally {
      timings.exit();
    }
  }

  @Override
  public int checkpointVersion() {
    return delegate.checkpointVersion();
  }

  @Override
  public int supportedVersion() {
    return delegate.supportedVersion();
  }

  @Override
  public ExitPointBudgets budgets() {
    return delegate.budgets();
  }

  /** Passes the context through and remembers the resume point the call set. */
  private static final class Recording extends ForwardingApplyContext {
    private @Nullable ResumePoint set;

    Recording(ApplyContext context) {
      super(context);
    }

    @Override
    public void setResumePoint(ResumePoint point) {
      super.setResumePoint(point);
      set = point;
    }
  }
}
