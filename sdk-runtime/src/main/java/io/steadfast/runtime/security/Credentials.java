package io.steadfast.runtime.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a remote request presented to prove who sends it: a bearer token from its {@code
 * Authorization} header and the client certificate chain of its TLS connection (already verified
 * against the client certificate authorities). Either may be absent. Immutable.
 */
public final class Credentials {

  private final @Nullable String bearerToken;
  private final List<X509Certificate> certificates;

  /**
   * @param bearerToken the token after {@code Bearer }, or null
   * @param certificates the verified client chain, leaf first; empty without one
   */
  public Credentials(@Nullable String bearerToken, List<X509Certificate> certificates) {
    this.bearerToken = bearerToken;
    this.certificates = List.copyOf(Objects.requireNonNull(certificates, "certificates"));
  }

  /** The bearer token, if the request carried one. */
  public Optional<String> bearerToken() {
    return Optional.ofNullable(bearerToken);
  }

  /** The verified client certificate chain, leaf first; empty if none was presented. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** Whether the request presented nothing at all. */
  public boolean isEmpty() {
    return bearerToken == null && certificates.isEmpty();
  }
}
