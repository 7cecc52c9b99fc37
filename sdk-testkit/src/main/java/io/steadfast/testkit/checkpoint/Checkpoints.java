package io.steadfast.testkit.checkpoint;

import io.steadfast.api.Position;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.runtime.checkpoint.StreamCheckpointReader;
import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Takes and restores an application's checkpoint payload in memory, and writes its frozen states,
 * with the runtime's own reader and writer (the framing and checksum the runtime adds around the
 * payload are not involved).
 *
 * <p>Stateless and thread-safe; the application passed in is not.
 */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * The payload {@code application.checkpoint} writes now.
   *
   * @throws UncheckedIOException if the application's checkpoint throws an {@link IOException}
   */
  public static byte[] take(ResilientApplication<?, ?> application) {
    return payload(application::checkpoint, "checkpoint failed");
  }

  /**
   * The payload {@code frozen.writeTo} writes, on the calling thread.
   *
   * @throws UncheckedIOException if the frozen state's {@code writeTo} throws an {@link
   *     IOException}
   */
  public static byte[] write(FrozenState frozen) {
    return payload(frozen, "writing the frozen state failed");
  }

  private static byte[] payload(FrozenState source, String failure) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StreamCheckpointWriter writer = new StreamCheckpointWriter(bytes);
    try {
      source.writeTo(writer);
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(failure + ": " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** The fingerprint of the state {@code application} holds now. */
  public static Fingerprint fingerprint(ResilientApplication<?, ?> application) {
    return Fingerprint.of(take(application));
  }

  /**
   * Hands {@code payload} to {@code application.restore} as a checkpoint of {@code version} at
   * {@code position}.
   *
   * @throws IOException whatever the application's restore throws
   */
  public static void restore(
      ResilientApplication<?, ?> application, byte[] payload, int version, Position position)
      throws IOException {
    application.restore(
        new StreamCheckpointReader(new ByteArrayInputStream(payload), version, position));
  }
}
