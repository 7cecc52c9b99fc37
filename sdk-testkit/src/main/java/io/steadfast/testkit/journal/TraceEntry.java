package io.steadfast.testkit.journal;

import io.steadfast.api.Position;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.testkit.apply.Outcome;
import java.time.Instant;
import java.util.Objects;

/**
 * One journal entry of a generated trace: a command with everything the primary would have assigned
 * to it.
 *
 * <p>Immutable and thread-safe if the command is.
 *
 * @param position where the command sits in the journal
 * @param sessionId the session that submitted it
 * @param principal who the session belongs to
 * @param timestamp the leader time assigned to it; never earlier than the previous entry's
 * @param command the command
 * @param user the workload's user number
 * @param injected whether the suite slipped it in from {@code Workload.invalidCommands()}
 * @param <C> the command type
 */
public record TraceEntry<C>(
    Position position,
    SessionId sessionId,
    Principal principal,
    Instant timestamp,
    C command,
    int user,
    boolean injected) {

  /** Checks that nothing is null. */
  public TraceEntry {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(command, "command");
  }

  /**
   * One line for reports: position, session, user, time and the command as the codec encodes it.
   */
  public String describe(CommandCodec<C, ?> codec) {
    String text;
    try {
      text = Outcome.describe(codec.encodeCommand(command));
    } catch (RuntimeException e) {
      text = String.valueOf(command);
    }
    return position
        + " "
        + sessionId
        + " ("
        + principal.user()
        + ") "
        + timestamp
        + " "
        + (injected ? "[injected] " : "")
        + text;
  }
}
