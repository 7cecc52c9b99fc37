package io.steadfast.codec.binary;

import org.jspecify.annotations.Nullable;

/**
 * Thrown inside the decoder; {@link BinaryCodec} turns it into the API's {@code
 * MalformedCommandException} with the name of the type being decoded.
 */
final class Malformed extends RuntimeException {

  private static final long serialVersionUID = 1L;

  Malformed(String message) {
    this(message, null);
  }

  Malformed(String message, @Nullable Throwable cause) {
    super(message, cause, false, false);
  }
}
