package io.steadfast.testkit.checkpoint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of an application state: the SHA-256 of its canonical checkpoint bytes, in hex.
 *
 * <p>Two states are taken to be equal when their fingerprints are, which is only meaningful if the
 * checkpoint is canonical (rule CP-2) and sensitive (rule HV-2). Immutable and thread-safe.
 *
 * @param hex the 64 lower-case hex digits of the digest
 */
public record Fingerprint(String hex) {

  /** Validates the digest text. */
  public Fingerprint {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("fingerprint must be 64 lower-case hex digits: " + hex);
    }
  }

  /** The fingerprint of {@code checkpointBytes}. */
  public static Fingerprint of(byte[] checkpointBytes) {
    try {
      return new Fingerprint(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(checkpointBytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The first 12 hex digits, enough to tell states apart in a report. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return shortHex();
  }
}
