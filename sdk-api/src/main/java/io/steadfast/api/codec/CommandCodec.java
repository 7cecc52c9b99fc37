package io.steadfast.api.codec;

import io.steadfast.api.MalformedCommandException;

/**
 * Turns an application's commands and results into bytes and back.
 *
 * <p><b>Implemented by the runtime</b> (a Jackson default) <b>or by applications</b> with their own
 * encoding. Must be thread-safe and deterministic: equal values always encode to equal bytes, and
 * equal bytes always decode to equal values, on every node and in every locale. The primary decodes
 * a command once, when it checks it before journaling, and applies that same object; the other
 * members decode the journaled bytes themselves.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public interface CommandCodec<C, R> {

  /** The command type this codec handles (for authorization and error messages). */
  Class<C> commandType();

  /** Encodes a command. */
  byte[] encodeCommand(C command);

  /**
   * Decodes a command.
   *
   * @throws MalformedCommandException if the bytes are not a valid command; names the problem
   */
  C decodeCommand(byte[] bytes);

  /** Encodes a result; null is allowed only if the application returns null results. */
  byte[] encodeResult(R result);

  /**
   * Decodes a result.
   *
   * @throws MalformedCommandException if the bytes are not a valid result
   */
  R decodeResult(byte[] bytes);
}
