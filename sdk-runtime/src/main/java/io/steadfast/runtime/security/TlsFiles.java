package io.steadfast.runtime.security;

import io.steadfast.runtime.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS identity and trust read from PEM files: this party's certificate chain and private key, and
 * the certificate authorities whose certificates it trusts. Used for the members' mutual TLS (Raft
 * and HTTPS) and by remote clients.
 *
 * <p>Files: certificates as {@code -----BEGIN CERTIFICATE-----} blocks (leaf first, then
 * intermediates); the private key unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}; convert
 * a traditional key with {@code openssl pkcs8 -topk8 -nocrypt}); RSA, EC and Ed25519 keys.
 *
 * <p><b>Reload without restart</b>: the files are checked for changes at most once a second, on the
 * next handshake; changed files are read again and new connections use them. Files that do not
 * parse are reported in the log and the previous material stays in use. Thread-safe.
 */
public final class TlsFiles {

  private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);
  private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
  private static final Pattern PEM_KEY =
      Pattern.compile(
          "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

  private final @Nullable Path certificateChain;
  private final @Nullable Path privateKey;
  private final Path trusted;
  private volatile Material material;
  private volatile long checkedAt = System.nanoTime();

  private record Material(
      @Nullable X509ExtendedKeyManager keys,
      X509ExtendedTrustManager trust,
      List<X509Certificate> authorities,
      String stamp) {}

  private TlsFiles(@Nullable Path certificateChain, @Nullable Path privateKey, Path trusted) {
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.trusted = trusted;
    try {
      this.material = load();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new ConfigurationException(
          "tls", e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * An identity and its trust.
   *
   * @param certificateChain PEM certificates, this party's first
   * @param privateKey PEM PKCS#8 private key of the first certificate
   * @param trustedAuthorities PEM certificates of the authorities whose certificates are trusted
   * @throws ConfigurationException naming the file that cannot be read or does not parse
   */
  public static TlsFiles of(Path certificateChain, Path privateKey, Path trustedAuthorities) {
    return new TlsFiles(
        Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"),
        Objects.requireNonNull(trustedAuthorities, "trustedAuthorities"));
  }

  /** Trust only, no identity of its own: a remote client that authenticates with a token. */
  public static TlsFiles trusting(Path trustedAuthorities) {
    return new TlsFiles(null, null, Objects.requireNonNull(trustedAuthorities, "trusted"));
  }

  /** Whether this holds an identity (a certificate and key) and not only trust. */
  public boolean hasIdentity() {
    return certificateChain != null;
  }

  /** A key manager that always uses the current files; null without an identity. */
  public @Nullable X509ExtendedKeyManager keyManager() {
    return hasIdentity() ? new CurrentKeys() : null;
  }

  /** A trust manager that always uses the current authorities. */
  public X509ExtendedTrustManager trustManager() {
    return new CurrentTrust();
  }

  /** The trusted authorities as now read. */
  public List<X509Certificate> authorities() {
    return current().authorities();
  }

  /** A TLS context with {@link #keyManager()} and {@code trust}. */
  public SSLContext context(X509ExtendedTrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      X509ExtendedKeyManager keys = keyManager();
      context.init(
          keys == null ? null : new javax.net.ssl.KeyManager[] {keys},
          new TrustManager[] {trust},
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("tls", "no TLS context: " + e.getMessage());
    }
  }

  /** A TLS context with {@link #keyManager()} and {@link #trustManager()}. */
  public SSLContext context() {
    return context(trustManager());
  }

  private Material current() {
    long now = System.nanoTime();
    if (now - checkedAt >= CHECK_EVERY_NANOS) {
      checkedAt = now;
      try {
        if (!stamp().equals(material.stamp())) {
          material = load();
          LOG.info("TLS files reloaded: {}", describe());
        }
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        LOG.warn(
            "TLS files {} changed but do not load; still using the previous ones: {}",
            describe(),
            e.getMessage());
      }
    }
    return material;
  }

  private String describe() {
    return (certificateChain == null ? "" : certificateChain + ", " + privateKey + ", ") + trusted;
  }

  private String stamp() throws IOException {
    StringBuilder stamp = new StringBuilder();
    for (Path file : files()) {
      stamp
          .append(Files.getLastModifiedTime(file).toMillis())
          .append('/')
          .append(Files.size(file))
          .append(';');
    }
    return stamp.toString();
  }

  private List<Path> files() {
    List<Path> files = new ArrayList<>();
    if (certificateChain != null && privateKey != null) {
      files.add(certificateChain);
      files.add(privateKey);
    }
    files.add(trusted);
    return files;
  }

  private Material load() throws IOException, GeneralSecurityException {
    String stamp = stamp();
    List<X509Certificate> authorities = certificates(trusted);
    KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
    trustStore.load(null, null);
    for (int i = 0; i < authorities.size(); i++) {
      trustStore.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory trustFactory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustFactory.init(trustStore);
    X509ExtendedTrustManager trust = (X509ExtendedTrustManager) trustFactory.getTrustManagers()[0];
    X509ExtendedKeyManager keys = null;
    if (certificateChain != null && privateKey != null) {
      List<X509Certificate> chain = certificates(certificateChain);
      PrivateKey key = privateKey(privateKey);
      KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
      keyStore.load(null, null);
      char[] password = new char[0];
      keyStore.setKeyEntry("identity", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory keyFactory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyFactory.init(keyStore, password);
      keys = (X509ExtendedKeyManager) keyFactory.getKeyManagers()[0];
    }
    return new Material(keys, trust, List.copyOf(authorities), stamp);
  }

  /** Reads every certificate in a PEM file; at least one. */
  static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
    byte[] bytes = read(file);
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateException(file + " holds no PEM certificate");
    }
    return certificates;
  }

  /** Reads an unencrypted PKCS#8 private key from a PEM file. */
  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String text = new String(read(file), StandardCharsets.US_ASCII);
    Matcher matcher = PEM_KEY.matcher(text);
    if (!matcher.find()) {
      throw new GeneralSecurityException(file + " holds no PEM private key");
    }
    if (!matcher.group(1).isEmpty()) {
      throw new GeneralSecurityException(
          file
              + " holds a '"
              + matcher.group(1).trim()
              + " PRIVATE KEY'; convert it to unencrypted PKCS#8 ('PRIVATE KEY') with"
              + " openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new GeneralSecurityException(
        file + " holds a private key that is not RSA, EC or Ed25519");
  }

  /** Reads a PEM file of at most 1 MiB. */
  private static byte[] read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file: " + file);
    }
    if (Files.size(file) > 1 << 20) {
      throw new IOException(file + " is larger than 1 MiB; not a PEM file");
    }
    return Files.readAllBytes(file);
  }

  /** Delegates to the current key material. */
  private final class CurrentKeys extends X509ExtendedKeyManager {
    private X509ExtendedKeyManager keys() {
      return Objects.requireNonNull(current().keys(), "identity");
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return keys().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(
        String[] keyType, java.security.Principal[] issuers, Socket socket) {
      return keys().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(
        String[] keyType, java.security.Principal[] issuers, SSLEngine engine) {
      return keys().chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return keys().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(
        String keyType, java.security.Principal[] issuers, Socket socket) {
      return keys().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(
        String keyType, java.security.Principal[] issuers, SSLEngine engine) {
      return keys().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys().getPrivateKey(alias);
    }
  }

  /** Delegates to the current trust material. */
  private final class CurrentTrust extends X509ExtendedTrustManager {
    private X509ExtendedTrustManager trust() {
      return current().trust();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      trust().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      trust().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return trust().getAcceptedIssuers();
    }
  }
}
