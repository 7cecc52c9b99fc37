package io.steadfast.testkit.apply;

import io.steadfast.api.session.ResumePoint;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one {@code apply} call did, in a form two replicas can compare: the encoded result, or the
 * rejection's exception type and message, plus the resume point the call set.
 *
 * <p>Equality compares only those three things, never the raw result object (whose {@code equals}
 * the application may not define). Immutable if the result is; thread-safe for comparison.
 *
 * @param <R> the result type
 */
public final class Outcome<R> {

  /** Whether the command was answered or rejected. */
  public enum Kind {
    /** {@code apply} returned a result. */
    REPLY,
    /** {@code apply} threw an exception: the command was rejected. */
    REJECTED
  }

  private final Kind kind;
  private final String detail;
  private final @Nullable ResumePoint resumePointSet;
  private final @Nullable R result;

  private Outcome(Kind kind, String detail, @Nullable ResumePoint set, @Nullable R result) {
    this.kind = kind;
    this.detail = detail;
    this.resumePointSet = set;
    this.result = result;
  }

  /**
   * A command answered with {@code result}.
   *
   * @param result the raw result, handed back to the user's script
   * @param encoded the result as the codec encodes it; compared between replicas
   * @param resumePointSet the resume point the call set, or null if it set none
   */
  public static <R> Outcome<R> reply(
      @Nullable R result, byte[] encoded, @Nullable ResumePoint resumePointSet) {
    return new Outcome<>(Kind.REPLY, describe(encoded), resumePointSet, result);
  }

  /** A command rejected with {@code error}; the resume point it may have set is discarded. */
  public static <R> Outcome<R> rejected(Exception error) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    return new Outcome<>(
        Kind.REJECTED, error.getClass().getSimpleName() + ": " + message, null, null);
  }

  /** Whether the command was answered or rejected. */
  public Kind kind() {
    return kind;
  }

  /** Whether the command was rejected. */
  public boolean isRejected() {
    return kind == Kind.REJECTED;
  }

  /**
   * The encoded result (UTF-8 text, or {@code base64:} followed by the bytes if they are not text),
   * or for a rejection the exception's simple class name and message.
   */
  public String detail() {
    return detail;
  }

  /** The resume point the call set; empty if it set none or was rejected. */
  public Optional<ResumePoint> resumePointSet() {
    return Optional.ofNullable(resumePointSet);
  }

  /** The raw result object; null for a rejection (or a null result). Not part of equality. */
  public @Nullable R result() {
    return result;
  }

  /** Renders bytes as UTF-8 text when they are valid UTF-8, else as {@code base64:…}. */
  public static String describe(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome<?> other
        && kind == other.kind
        && detail.equals(other.detail)
        && Objects.equals(resumePointSet, other.resumePointSet);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, detail, resumePointSet);
  }

  @Override
  public String toString() {
    if (kind == Kind.REJECTED) {
      return "rejected " + detail;
    }
    return "reply " + detail + (resumePointSet == null ? "" : " resume=" + resumePointSet);
  }
}
