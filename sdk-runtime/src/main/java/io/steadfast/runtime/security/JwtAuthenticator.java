package io.steadfast.runtime.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens: a signed JWT ({@code Authorization: Bearer <jwt>}) verified against public keys
 * read from a JWKS file or a PEM public key file, with Nimbus JOSE+JWT. The principal's user is the
 * {@code sub} claim and its roles the {@link #rolesClaim} (a JSON array of strings, or one string
 * of space-separated names). The token must carry {@code exp}; {@code iss} and {@code aud} are
 * checked when configured; 60 s of clock skew are allowed.
 *
 * <p>Only asymmetric signatures are accepted (RSA, RSA-PSS, ECDSA, EdDSA): a member holds public
 * keys only, so a member's disk never holds what it takes to mint a token. Tokens longer than 8 KiB
 * are refused unread. The key file is checked for changes at most once a second and read again when
 * it changed (key rotation without restart); a changed file that does not parse is reported and the
 * previous keys stay in use.
 *
 * <p>A token that verified is remembered, by the SHA-256 of its text, until its {@code exp} or for
 * {@link #REMEMBER} at most, whichever comes first, so that a client sending the same token with
 * every request pays for one signature check, not one per request (an ES256 check cost about 2.5 ms
 * of CPU on a 2-core host, three quarters of a busy primary's CPU). At most {@link
 * #REMEMBERED_TOKENS} tokens are remembered (least recently used go first); new keys (a changed key
 * file) forget them all. Only the hash is kept, never the token.
 *
 * <p>Immutable configuration, thread-safe use.
 */
public final class JwtAuthenticator implements Authenticator {

  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);

  /** The longest token read. */
  public static final int MAX_TOKEN_CHARS = 8 * 1024;

  /** The most verified tokens remembered at once. */
  public static final int REMEMBERED_TOKENS = 10_000;

  /** The longest a verified token is remembered (never past its {@code exp}). */
  public static final Duration REMEMBER = Duration.ofMinutes(5);

  private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
  private static final Pattern PEM_PUBLIC =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final Set<JWSAlgorithm> ALGORITHMS;

  static {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    algorithms.addAll(JWSAlgorithm.Family.RSA);
    algorithms.addAll(JWSAlgorithm.Family.EC);
    algorithms.addAll(JWSAlgorithm.Family.ED);
    ALGORITHMS = Set.copyOf(algorithms);
  }

  private final Path keys;
  private final boolean jwks;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final String rolesClaim;
  private volatile Loaded loaded;
  private volatile long checkedAt = System.nanoTime();

  /**
   * The keys in use and what they verified.
   *
   * @param verified principal and {@code exp} (epoch milliseconds) by the SHA-256 of a token
   */
  private record Loaded(
      DefaultJWTProcessor<SecurityContext> processor,
      long stamp,
      Cache<ByteBuffer, Verified> verified) {}

  /** A token's principal, and when the token expires (epoch milliseconds). */
  private record Verified(Principal principal, long expiresAtMillis) {}

  private JwtAuthenticator(
      Path keys,
      boolean jwks,
      @Nullable String issuer,
      @Nullable String audience,
      String rolesClaim) {
    this.keys = keys;
    this.jwks = jwks;
    this.issuer = issuer;
    this.audience = audience;
    this.rolesClaim = rolesClaim;
    try {
      this.loaded = load();
    } catch (IOException | ParseException | GeneralSecurityException | JOSEException e) {
      throw new ConfigurationException(
          "jwt", "cannot read keys from " + keys + ": " + e.getMessage());
    }
  }

  /**
   * Verifies with the public keys of a JWKS file (a JSON object with a {@code keys} array); a
   * token's {@code kid} picks the key.
   *
   * @throws ConfigurationException if the file cannot be read or parsed
   */
  public static JwtAuthenticator jwks(Path file) {
    return new JwtAuthenticator(Objects.requireNonNull(file, "file"), true, null, null, "roles");
  }

  /**
   * Verifies with one RSA or EC public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}).
   *
   * @throws ConfigurationException if the file cannot be read or parsed
   */
  public static JwtAuthenticator publicKey(Path pemFile) {
    return new JwtAuthenticator(
        Objects.requireNonNull(pemFile, "pemFile"), false, null, null, "roles");
  }

  /** Requires the {@code iss} claim to equal {@code value}. */
  public JwtAuthenticator issuer(String value) {
    return new JwtAuthenticator(keys, jwks, nonBlank("issuer", value), audience, rolesClaim);
  }

  /** Requires the {@code aud} claim to contain {@code value}. */
  public JwtAuthenticator audience(String value) {
    return new JwtAuthenticator(keys, jwks, issuer, nonBlank("audience", value), rolesClaim);
  }

  /** The claim that carries the roles; default {@code roles}. */
  public JwtAuthenticator rolesClaim(String name) {
    return new JwtAuthenticator(keys, jwks, issuer, audience, nonBlank("rolesClaim", name));
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    Optional<String> token = credentials.bearerToken();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    if (token.get().length() > MAX_TOKEN_CHARS) {
      throw new NotAuthenticatedException(
          "bearer token longer than " + MAX_TOKEN_CHARS + " characters");
    }
    Loaded keys = current();
    ByteBuffer hash = sha256(token.get());
    Verified known = keys.verified().getIfPresent(hash);
    if (known != null) {
      if (System.currentTimeMillis() < known.expiresAtMillis()) {
        return Optional.of(known.principal());
      }
      // Expired since: the full check below decides (it allows the clock skew, then refuses).
      keys.verified().invalidate(hash);
    }
    JWTClaimsSet claims;
    try {
      claims = keys.processor().process(token.get(), null);
    } catch (ParseException e) {
      throw new NotAuthenticatedException("bearer token is not a JWT");
    } catch (BadJOSEException | JOSEException e) {
      throw new NotAuthenticatedException("bearer token refused: " + e.getMessage());
    }
    String user = claims.getSubject();
    if (user == null || user.isBlank()) {
      throw new NotAuthenticatedException("bearer token names no subject (sub)");
    }
    Principal principal = Principal.of(user, roles(claims.getClaim(rolesClaim)));
    // exp is required, so the processor refused a token without one.
    @SuppressWarnings("JavaUtilDate") // the JWT library's type for exp
    long expires = claims.getExpirationTime() == null ? 0 : claims.getExpirationTime().getTime();
    if (expires > 0) {
      keys.verified().put(hash, new Verified(principal, expires));
    }
    return Optional.of(principal);
  }

  private static ByteBuffer sha256(String token) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Collection<String> roles(@Nullable Object claim) {
    Set<String> roles = new TreeSet<>();
    if (claim instanceof String text) {
      for (String role : text.trim().split("\\s+", -1)) {
        if (!role.isEmpty()) {
          roles.add(role);
        }
      }
    } else if (claim instanceof List<?> list) {
      for (Object role : list) {
        if (role instanceof String name && !name.isBlank()) {
          roles.add(name);
        } else {
          throw new NotAuthenticatedException("bearer token roles claim holds a non-string");
        }
      }
    } else if (claim != null) {
      throw new NotAuthenticatedException("bearer token roles claim is neither array nor string");
    }
    return roles;
  }

  private Loaded current() {
    long now = System.nanoTime();
    if (now - checkedAt >= CHECK_EVERY_NANOS) {
      checkedAt = now;
      try {
        if (Files.getLastModifiedTime(keys).toMillis() != loaded.stamp()) {
          loaded = load();
          LOG.info("token keys reloaded from {}", keys);
        }
      } catch (IOException | ParseException | GeneralSecurityException | JOSEException e) {
        LOG.warn(
            "token keys in {} changed but do not load; keeping the previous: {}",
            keys,
            e.getMessage());
      }
    }
    return loaded;
  }

  private Loaded load()
      throws IOException, ParseException, GeneralSecurityException, JOSEException {
    long stamp = Files.getLastModifiedTime(keys).toMillis();
    if (Files.size(keys) > 1 << 20) {
      throw new IOException("larger than 1 MiB");
    }
    String text = Files.readString(keys, StandardCharsets.UTF_8);
    JWKSet set = jwks ? JWKSet.parse(text) : new JWKSet(publicKeyOf(text));
    List<JWK> publicKeys = new ArrayList<>();
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        throw new GeneralSecurityException(
            "holds a private key; give the members public keys only");
      }
      publicKeys.add(key);
    }
    if (publicKeys.isEmpty()) {
      throw new GeneralSecurityException("holds no key");
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    if (jwks) {
      // The token's kid and algorithm pick among the set's keys.
      processor.setJWSKeySelector(
          new JWSVerificationKeySelector<>(
              ALGORITHMS, new ImmutableJWKSet<>(new JWKSet(publicKeys))));
    } else {
      // One key, whatever kid the token names; the algorithm must fit the key's type.
      JWK only = publicKeys.get(0);
      java.security.Key key =
          only instanceof RSAKey rsa ? rsa.toRSAPublicKey() : ((ECKey) only).toECPublicKey();
      Set<JWSAlgorithm> fitting =
          Set.copyOf(only instanceof RSAKey ? JWSAlgorithm.Family.RSA : JWSAlgorithm.Family.EC);
      processor.setJWSKeySelector(
          (header, context) -> fitting.contains(header.getAlgorithm()) ? List.of(key) : List.of());
    }
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (issuer != null) {
      exact.issuer(issuer);
    }
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience == null ? null : Set.of(audience), exact.build(), Set.of("sub", "exp"), null));
    return new Loaded(
        processor,
        stamp,
        Caffeine.newBuilder()
            .maximumSize(REMEMBERED_TOKENS)
            .expireAfterWrite(REMEMBER)
            .<ByteBuffer, Verified>build());
  }

  private static JWK publicKeyOf(String pem) throws GeneralSecurityException {
    Matcher matcher = PEM_PUBLIC.matcher(pem);
    if (!matcher.find()) {
      throw new GeneralSecurityException("holds no '-----BEGIN PUBLIC KEY-----' block");
    }
    X509EncodedKeySpec spec =
        new X509EncodedKeySpec(Base64.getMimeDecoder().decode(matcher.group(1)));
    for (String algorithm : List.of("RSA", "EC")) {
      PublicKey key;
      try {
        key = KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException e) {
        continue;
      }
      if (key instanceof RSAPublicKey rsa) {
        return new RSAKey.Builder(rsa).build();
      }
      if (key instanceof ECPublicKey ec) {
        return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
      }
    }
    throw new GeneralSecurityException("public key is neither RSA nor EC");
  }

  private static String nonBlank(String setting, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigurationException(setting, "must not be blank");
    }
    return value;
  }
}
