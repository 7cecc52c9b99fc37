package io.steadfast.runtime.testapp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A token issuer for tests: an EC key whose public half is written as a JWKS file for the members,
 * and signed JWTs for any subject and roles.
 */
public final class TestTokens {

  private final ECKey key;
  private final Path jwks;

  private TestTokens(ECKey key, Path jwks) {
    this.key = key;
    this.jwks = jwks;
  }

  /** A new issuer whose public key set is written to {@code jwks}. */
  public static TestTokens issuer(Path jwks) throws JOSEException, IOException {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("test-" + System.nanoTime()).generate();
    Files.createDirectories(jwks.getParent());
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    return new TestTokens(key, jwks);
  }

  /** The JWKS file with the public key. */
  public Path jwks() {
    return jwks;
  }

  /** A token for {@code subject} with {@code roles}, valid for an hour. */
  public String token(String subject, String... roles) {
    return token(subject, Duration.ofHours(1), roles);
  }

  /** A token for {@code subject} with {@code roles}, expiring {@code validFor} from now. */
  public String token(String subject, Duration validFor, String... roles) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
              new JWTClaimsSet.Builder()
                  .subject(subject)
                  .issuer("steadfast-tests")
                  .claim("roles", List.of(roles))
                  .expirationTime(Date.from(Instant.now().plus(validFor)))
                  .build());
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
