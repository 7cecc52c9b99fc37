package io.steadfast.testkit.cluster;

import io.steadfast.api.Position;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code apply} call as a replica's application saw it: everything the runtime handed in and
 * everything the application answered. Two replicas applying the same position must record the same
 * values (only {@code node} may differ). Immutable if the command is.
 *
 * @param position the command's position
 * @param session the submitting session
 * @param principal its principal
 * @param timestamp the leader time
 * @param command the decoded command
 * @param commandText the command as the codec encodes it
 * @param result the result or rejection
 * @param resumeBefore the session's resume point before the call
 * @param resumeSet the resume point the call set and kept, or null
 * @param node the node whose replica made the call
 */
record Applied<C>(
    Position position,
    SessionId session,
    Principal principal,
    Instant timestamp,
    C command,
    String commandText,
    Result result,
    ResumePoint resumeBefore,
    @Nullable ResumePoint resumeSet,
    String node) {

  /** The session's resume point after the call, as the runtime keeps it. */
  ResumePoint resumeAfter() {
    return resumeSet == null ? resumeBefore : resumeSet;
  }

  /** Whether {@code other} records the same call, wherever it was made. */
  boolean sameCall(Applied<?> other) {
    return position.equals(other.position)
        && session.equals(other.session)
        && principal.equals(other.principal)
        && timestamp.equals(other.timestamp)
        && commandText.equals(other.commandText)
        && result.equals(other.result)
        && resumeBefore.equals(other.resumeBefore)
        && Objects.equals(resumeSet, other.resumeSet);
  }

  @Override
  public String toString() {
    return position
        + " "
        + session
        + " on "
        + node
        + ": "
        + clip(commandText)
        + " -> "
        + result
        + (resumeSet == null ? "" : " resume=" + resumeSet);
  }

  static String clip(String text) {
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }
}
