package io.steadfast.testkit.checkpoint;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint payload recorded by an earlier version of the application, which the current version
 * must still restore (rule CP-5). Vendors keep such files under {@code src/test/resources} and hand
 * them to the suite.
 *
 * <p>Immutable and thread-safe (the payload is copied in and out).
 */
public final class GoldenCheckpoint {

  private final String name;
  private final int version;
  private final byte[] payload;
  private final @Nullable Fingerprint expected;

  private GoldenCheckpoint(
      String name, int version, byte[] payload, @Nullable Fingerprint expected) {
    this.name = name;
    this.version = version;
    this.payload = payload.clone();
    this.expected = expected;
  }

  /**
   * A golden payload of checkpoint {@code version}.
   *
   * @param name a name for reports, such as the file name
   */
  public static GoldenCheckpoint of(String name, int version, byte[] payload) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(payload, "payload");
    if (version <= 0) {
      throw new IllegalArgumentException("golden checkpoint version must be positive: " + version);
    }
    return new GoldenCheckpoint(name, version, payload, null);
  }

  /**
   * A copy that also requires the restored state to have {@code fingerprint} (the fingerprint the
   * current version's checkpoint has after restoring this payload).
   */
  public GoldenCheckpoint expecting(Fingerprint fingerprint) {
    return new GoldenCheckpoint(name, version, payload, Objects.requireNonNull(fingerprint));
  }

  /** The name given. */
  public String name() {
    return name;
  }

  /** The checkpoint version the payload was written with. */
  public int version() {
    return version;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The fingerprint required after restoring, if one was given. */
  public Optional<Fingerprint> expected() {
    return Optional.ofNullable(expected);
  }
}
