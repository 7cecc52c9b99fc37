package io.steadfast.runtime.internal.journal;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request of a session, as journaled inside a {@link JournalEntry.Batch}: open the session,
 * apply a command, or close the session.
 *
 * <p>Immutable.
 *
 * @param kind what the request does
 * @param session the session it belongs to
 * @param sequence the session's request number: 0 for {@link Kind#OPEN}, then 1, 2, … for commands;
 *     for {@link Kind#CLOSE} the client's last number, for the record only (a close takes no
 *     number)
 * @param principal the principal, for {@link Kind#OPEN} only
 * @param ttl the session's idle time-to-live, for {@link Kind#OPEN} only
 * @param payload the encoded command, for {@link Kind#COMMAND} only
 */
public record Request(
    Kind kind,
    SessionId session,
    long sequence,
    @Nullable Principal principal,
    @Nullable Duration ttl,
    byte @Nullable [] payload) {

  /** What a request does. */
  public enum Kind {
    OPEN,
    COMMAND,
    CLOSE
  }

  /** Validates the combination of fields. */
  public Request {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(session, "session");
    switch (kind) {
      case OPEN -> {
        if (principal == null || ttl == null || sequence != 0) {
          throw new IllegalArgumentException("open needs a principal, a ttl and sequence 0");
        }
      }
      case COMMAND -> {
        if (payload == null || sequence < 1) {
          throw new IllegalArgumentException("command needs a payload and a sequence >= 1");
        }
      }
      case CLOSE -> {
        if (sequence < 0) {
          throw new IllegalArgumentException("close needs a sequence >= 0");
        }
      }
    }
  }

  /** Opens {@code session} for {@code principal}. */
  public static Request open(SessionId session, Principal principal, Duration ttl) {
    return new Request(Kind.OPEN, session, 0, principal, ttl, null);
  }

  /** Applies the command {@code payload} as request {@code sequence} of {@code session}. */
  public static Request command(SessionId session, long sequence, byte[] payload) {
    return new Request(Kind.COMMAND, session, sequence, null, null, payload);
  }

  /** Closes {@code session}; {@code sequence} is the client's last request number. */
  public static Request close(SessionId session, long sequence) {
    return new Request(Kind.CLOSE, session, sequence, null, null, null);
  }

  /** An estimate of the encoded size, for batch limits. */
  public int estimatedSize() {
    return 32 + session.value().length() + (payload == null ? 0 : payload.length);
  }
}
