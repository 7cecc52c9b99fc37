package io.steadfast.runtime.security;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How a remote client proves who it is to the members: a bearer token (asked afresh for every
 * request, so a renewed token is used at once), and TLS with the members' authority as trust and,
 * optionally, a client certificate of its own. One client acts as one identity; a web tier that
 * serves many users builds a client per user (or a token supplier that answers for the user at
 * hand). Immutable.
 */
public final class ClientCredentials {

  private final @Nullable Supplier<String> token;
  private final @Nullable TlsFiles tls;

  private ClientCredentials(@Nullable Supplier<String> token, @Nullable TlsFiles tls) {
    this.token = token;
    this.tls = tls;
  }

  /** Nothing: plain HTTP, no token (accepted only by an insecure member). */
  public static ClientCredentials none() {
    return new ClientCredentials(null, null);
  }

  /** Sends {@code Authorization: Bearer <token>}, the token asked of {@code supplier} each time. */
  public ClientCredentials bearerToken(Supplier<String> supplier) {
    return new ClientCredentials(Objects.requireNonNull(supplier, "token"), tls);
  }

  /**
   * Uses TLS: trusts the authorities in {@code files} and presents its certificate, if it holds one
   * ({@link TlsFiles#of}) rather than trust only ({@link TlsFiles#trusting}).
   */
  public ClientCredentials tls(TlsFiles files) {
    return new ClientCredentials(token, Objects.requireNonNull(files, "tls"));
  }

  /** The token supplier, if any. */
  public Optional<Supplier<String>> token() {
    return Optional.ofNullable(token);
  }

  /** The TLS files, if any. */
  public Optional<TlsFiles> tlsFiles() {
    return Optional.ofNullable(tls);
  }
}
