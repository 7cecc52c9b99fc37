package io.steadfast.runtime.internal.journal;

import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.codec.CommandCodec;

/**
 * The one rule for turning a journaled payload into a command, used at the door and again at apply:
 * whatever the codec throws, or a null it returns, is a {@link MalformedCommandException} naming
 * the problem, so no codec defect can escape either place.
 *
 * <p>Stateless and thread-safe.
 */
public final class CommandDecoding {

  private CommandDecoding() {}

  /**
   * Decodes {@code payload} with {@code codec}.
   *
   * @throws MalformedCommandException if the codec fails in any way or decodes to null
   */
  public static <C> C decode(CommandCodec<C, ?> codec, byte[] payload) {
    C command;
    try {
      command = codec.decodeCommand(payload);
    } catch (MalformedCommandException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MalformedCommandException(
          "undecodable command: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    if (command == null) {
      throw new MalformedCommandException("the codec decoded the command to null");
    }
    return command;
  }
}
