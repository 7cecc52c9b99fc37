package io.steadfast.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.ConfigurationException;
import io.steadfast.runtime.testapp.Await;
import io.steadfast.runtime.testapp.TestPki;
import io.steadfast.runtime.testapp.TestTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files, their reload, and bearer tokens, without a cluster. */
class SecurityFilesTest {

  @TempDir Path dir;

  @Test
  void traditionalKey_isRefused_namingTheConversion() throws Exception {
    TestPki ca = TestPki.authority("ca", dir);
    TestPki.Issued issued = ca.issue("n1");
    Path traditional = dir.resolve("rsa.key");
    Files.writeString(
        traditional, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TlsFiles.of(issued.certificate(), traditional, ca.authorityFile()))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.setting()).isEqualTo("tls");
              assertThat(e.getMessage()).contains("openssl pkcs8 -topk8 -nocrypt");
            });
    assertThatThrownBy(
            () -> TlsFiles.of(issued.certificate(), dir.resolve("absent.key"), ca.authorityFile()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("absent.key");
  }

  @Test
  void changedFiles_areReloaded_forNewConnections() throws Exception {
    TestPki ca = TestPki.authority("ca", dir);
    TestPki.Issued first = ca.issue("first");
    Path cert = dir.resolve("member.pem");
    Path key = dir.resolve("member.key");
    Files.copy(first.certificate(), cert);
    Files.copy(first.privateKey(), key);
    TlsFiles files = TlsFiles.of(cert, key, ca.authorityFile());
    X509ExtendedKeyManager keys = files.keyManager();
    assertThat(keys).isNotNull();
    assertThat(subject(keys)).contains("CN=first");

    TestPki.Issued second = ca.issue("second");
    Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
    // A later modification time, whatever the file system's time resolution.
    FileTime later = FileTime.from(Instant.now().plusSeconds(5));
    Files.setLastModifiedTime(cert, later);
    Files.setLastModifiedTime(key, later);
    Await.until(
        "the new certificate", Duration.ofSeconds(5), () -> subject(keys).contains("CN=second"));
  }

  private static String subject(X509ExtendedKeyManager keys) {
    String alias = keys.chooseServerAlias("EC", null, null);
    return keys.getCertificateChain(alias)[0].getSubjectX500Principal().getName();
  }

  @Test
  void jwt_rolesFromArrayOrString_issuerAndExpiryChecked() throws Exception {
    TestTokens tokens = TestTokens.issuer(dir.resolve("jwks.json"));
    JwtAuthenticator jwt = JwtAuthenticator.jwks(tokens.jwks()).issuer("steadfast-tests");
    assertThat(
            jwt.authenticate(new Credentials(tokens.token("alice", "clerk", "closer"), List.of())))
        .contains(Principal.of("alice", "clerk", "closer"));
    assertThat(jwt.authenticate(new Credentials(null, List.of()))).isEmpty();
    assertThatThrownBy(
            () ->
                jwt.authenticate(
                    new Credentials(tokens.token("alice", Duration.ofMinutes(-5)), List.of())))
        .isInstanceOf(NotAuthenticatedException.class)
        .hasMessageContaining("refused");
    assertThatThrownBy(
            () ->
                JwtAuthenticator.jwks(tokens.jwks())
                    .issuer("someone-else")
                    .authenticate(new Credentials(tokens.token("alice"), List.of())))
        .isInstanceOf(NotAuthenticatedException.class);
    assertThatThrownBy(() -> jwt.authenticate(new Credentials("x".repeat(9000), List.of())))
        .isInstanceOf(NotAuthenticatedException.class)
        .hasMessageContaining("longer than");
    assertThatThrownBy(() -> jwt.authenticate(new Credentials("not-a-jwt", List.of())))
        .isInstanceOf(NotAuthenticatedException.class);
  }

  @Test
  void jwt_keyFileWithAPrivateKey_isRefused_andAPemPublicKeyWorks() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    Path leaky = dir.resolve("leaky.json");
    Files.writeString(leaky, new JWKSet(key).toString(false));
    assertThatThrownBy(() -> JwtAuthenticator.jwks(leaky))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("private key");

    TestTokens tokens = TestTokens.issuer(dir.resolve("pem-source.json"));
    ECKey published = (ECKey) JWKSet.load(tokens.jwks().toFile()).getKeys().get(0);
    Path pem = dir.resolve("public.pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(published.toECPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    assertThat(
            JwtAuthenticator.publicKey(pem)
                .authenticate(new Credentials(tokens.token("bob", "clerk"), List.of())))
        .contains(Principal.of("bob", "clerk"));
  }

  @Test
  void jwt_rotatedKeyFile_isReadAgain_andTokensOfTheRemovedKeyAreRefusedThoughRemembered()
      throws Exception {
    Path jwks = dir.resolve("rotating.json");
    TestTokens old = TestTokens.issuer(jwks);
    JwtAuthenticator jwt = JwtAuthenticator.jwks(jwks);
    String oldToken = old.token("a", "clerk");
    // Verified once, then remembered: the same token again gives the same principal.
    assertThat(jwt.authenticate(new Credentials(oldToken, List.of())))
        .contains(Principal.of("a", "clerk"));
    assertThat(jwt.authenticate(new Credentials(oldToken, List.of())))
        .contains(Principal.of("a", "clerk"));
    TestTokens fresh = TestTokens.issuer(jwks);
    Files.setLastModifiedTime(jwks, FileTime.from(Instant.now().plusSeconds(5)));
    Await.until(
        "tokens of the new key to be accepted",
        Duration.ofSeconds(5),
        () -> {
          try {
            return jwt.authenticate(new Credentials(fresh.token("a"), List.of())).isPresent();
          } catch (NotAuthenticatedException notYet) {
            return false;
          }
        });
    // The old key is gone from the file: what it verified is forgotten with it.
    assertThatThrownBy(() -> jwt.authenticate(new Credentials(oldToken, List.of())))
        .isInstanceOf(NotAuthenticatedException.class);
  }

  @Test
  void clientCertificates_userFromCn_rolesFromTheMap() throws Exception {
    TestPki ca = TestPki.authority("clients", dir);
    TestPki.Issued carol = ca.issue("carol");
    var chain = TlsFiles.certificates(carol.certificate());
    Authenticator certificates = Authenticator.clientCertificates(Map.of("carol", Set.of("clerk")));
    assertThat(certificates.authenticate(new Credentials(null, chain)))
        .isEqualTo(Optional.of(Principal.of("carol", "clerk")));
    TestPki.Issued dave = ca.issue("dave");
    assertThat(
            certificates.authenticate(
                new Credentials(null, TlsFiles.certificates(dave.certificate()))))
        .contains(Principal.of("dave"));
    assertThat(certificates.authenticate(new Credentials("token", List.of()))).isEmpty();
  }
}
