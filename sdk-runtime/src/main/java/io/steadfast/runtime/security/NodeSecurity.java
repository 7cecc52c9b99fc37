package io.steadfast.runtime.security;

import io.steadfast.runtime.ConfigurationException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a member is told about security: its TLS identity and the members' authority (mutual TLS on
 * Raft, HTTPS on the endpoint), who may call its endpoint and as whom, and the bounds on what a
 * caller may send. Given to {@code SteadfastNode.Builder.security}; see {@code docs/security.md}.
 *
 * <p><b>Secure by default.</b> A member that listens beyond loopback refuses to start without
 * {@link #tls} (and, when it serves HTTP, without an authenticator), unless told {@link
 * #insecure()}. Without an authenticator the endpoint refuses every session request (401); the
 * members themselves are recognised by their certificate (from the members' authority) or, on a
 * plain loopback cluster, by the {@link #memberSecret}.
 *
 * <p>Immutable; each {@code with}-style method returns a changed copy and checks its argument at
 * once, naming the setting in a {@link ConfigurationException}.
 */
public final class NodeSecurity {

  /** Default cap on one request body: 1 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  /** Default cap on HTTP requests in progress at once (queued or running): 64. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;

  /**
   * The role that lets an authenticated user read any session and fetch checkpoints, as a member
   * may: for operators' tools.
   */
  public static final String ADMIN_ROLE = "steadfast-admin";

  /** The header that carries the {@link #memberSecret}. */
  public static final String MEMBER_HEADER = "Steadfast-Member";

  private final @Nullable TlsFiles tls;
  private final @Nullable TlsFiles clientAuthorities;
  private final @Nullable Authenticator authenticator;
  private final byte @Nullable [] memberSecret;
  private final int maxRequestBytes;
  private final int maxConcurrentRequests;
  private final boolean insecure;

  private NodeSecurity(
      @Nullable TlsFiles tls,
      @Nullable TlsFiles clientAuthorities,
      @Nullable Authenticator authenticator,
      byte @Nullable [] memberSecret,
      int maxRequestBytes,
      int maxConcurrentRequests,
      boolean insecure) {
    this.tls = tls;
    this.clientAuthorities = clientAuthorities;
    this.authenticator = authenticator;
    this.memberSecret = memberSecret;
    this.maxRequestBytes = maxRequestBytes;
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.insecure = insecure;
  }

  /** No TLS, no authenticator, default bounds: fit for a member that listens on loopback only. */
  public static NodeSecurity loopback() {
    return new NodeSecurity(
        null, null, null, null, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CONCURRENT_REQUESTS, false);
  }

  /**
   * Mutual TLS with {@code files}: the member's own certificate and key, and the members'
   * certificate authority. Raft traffic then runs over mutual TLS (a peer whose certificate another
   * authority issued cannot join), the endpoint over HTTPS, and a client certificate from the
   * members' authority identifies a member. A member's certificate must name the host its peers
   * dial (DNS or IP subject alternative name).
   */
  public NodeSecurity tls(TlsFiles files) {
    Objects.requireNonNull(files, "tls");
    if (!files.hasIdentity()) {
      throw new ConfigurationException("tls", "a member needs its own certificate and key");
    }
    return new NodeSecurity(
        files,
        clientAuthorities,
        authenticator,
        memberSecret,
        maxRequestBytes,
        maxConcurrentRequests,
        insecure);
  }

  /**
   * Accepts client certificates issued by the authorities in {@code authoritiesPem} on the HTTPS
   * endpoint, and authenticates them as {@link Authenticator#clientCertificates} does: the user is
   * the subject CN, roles from {@code rolesByCommonName}. Needs {@link #tls}. These authorities
   * must not include the members' own: a certificate from the members' authority is a member.
   */
  public NodeSecurity clientCertificates(
      Path authoritiesPem, Map<String, Set<String>> rolesByCommonName) {
    TlsFiles authorities = TlsFiles.trusting(Objects.requireNonNull(authoritiesPem, "authorities"));
    Authenticator certificates = Authenticator.clientCertificates(rolesByCommonName);
    return new NodeSecurity(
        tls,
        authorities,
        authenticator == null ? certificates : Authenticator.firstOf(certificates, authenticator),
        memberSecret,
        maxRequestBytes,
        maxConcurrentRequests,
        insecure);
  }

  /** Authenticates remote requests (for example a {@link JwtAuthenticator}). */
  public NodeSecurity authenticator(Authenticator value) {
    Objects.requireNonNull(value, "authenticator");
    return new NodeSecurity(
        tls,
        clientAuthorities,
        authenticator == null ? value : Authenticator.firstOf(authenticator, value),
        memberSecret,
        maxRequestBytes,
        maxConcurrentRequests,
        insecure);
  }

  /**
   * A secret every member shares, sent in the {@value #MEMBER_HEADER} header by members that call
   * each other's endpoint without a certificate (a loopback cluster without TLS). At least 32
   * characters. The embedded cluster sets a random one.
   */
  public NodeSecurity memberSecret(String secret) {
    if (secret == null || secret.length() < 32) {
      throw new ConfigurationException("memberSecret", "must be at least 32 characters");
    }
    return new NodeSecurity(
        tls,
        clientAuthorities,
        authenticator,
        secret.getBytes(StandardCharsets.UTF_8),
        maxRequestBytes,
        maxConcurrentRequests,
        insecure);
  }

  /** The largest request body the endpoint reads (413 beyond); 1 KiB to 64 MiB, default 1 MiB. */
  public NodeSecurity maxRequestBytes(int bytes) {
    if (bytes < 1024 || bytes > 64 << 20) {
      throw new ConfigurationException("maxRequestBytes", "must be 1 KiB to 64 MiB: " + bytes);
    }
    return new NodeSecurity(
        tls,
        clientAuthorities,
        authenticator,
        memberSecret,
        bytes,
        maxConcurrentRequests,
        insecure);
  }

  /** How many HTTP requests may be in progress at once (503 beyond); 1 to 10,000, default 64. */
  public NodeSecurity maxConcurrentRequests(int requests) {
    if (requests < 1 || requests > 10_000) {
      throw new ConfigurationException("maxConcurrentRequests", "must be 1 to 10,000: " + requests);
    }
    return new NodeSecurity(
        tls, clientAuthorities, authenticator, memberSecret, maxRequestBytes, requests, insecure);
  }

  /**
   * Lets the member listen beyond loopback without TLS or authentication, and makes its endpoint
   * trust the principal a remote client names when no authenticator is set: anyone who reaches its
   * ports can then act as anyone. For closed test networks only; a warning is logged at every
   * start.
   */
  public NodeSecurity insecure() {
    return new NodeSecurity(
        tls,
        clientAuthorities,
        authenticator,
        memberSecret,
        maxRequestBytes,
        maxConcurrentRequests,
        true);
  }

  /** The member's TLS files, if TLS is on. */
  public @Nullable TlsFiles tlsFiles() {
    return tls;
  }

  /** The authorities of accepted client certificates, if any. */
  public @Nullable TlsFiles clientAuthorityFiles() {
    return clientAuthorities;
  }

  /** Who authenticates remote requests, if anyone. */
  public @Nullable Authenticator authenticatorOrNull() {
    return authenticator;
  }

  /** Whether {@code presented} is the member secret (constant time); false when none is set. */
  public boolean isMemberSecret(@Nullable String presented) {
    byte[] secret = memberSecret;
    return secret != null
        && presented != null
        && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The member secret to send to peers, if one is set. */
  public @Nullable String memberSecretOrNull() {
    byte[] secret = memberSecret;
    return secret == null ? null : new String(secret, StandardCharsets.UTF_8);
  }

  /** The body cap. */
  public int maxRequestBytesValue() {
    return maxRequestBytes;
  }

  /** The concurrency cap. */
  public int maxConcurrentRequestsValue() {
    return maxConcurrentRequests;
  }

  /** Whether the member was told {@link #insecure()}. */
  public boolean isInsecure() {
    return insecure;
  }

  /**
   * Checks the combination for a member that listens for Raft on {@code raft} and for HTTP on
   * {@code http} (null: no endpoint), and calls its peers at {@code peerEndpoints}.
   *
   * @throws ConfigurationException naming the setting that is missing or inconsistent
   */
  public void check(
      String member,
      InetSocketAddress raft,
      @Nullable InetSocketAddress http,
      Collection<URI> peerEndpoints) {
    String scheme = tls == null ? "http" : "https";
    for (URI endpoint : peerEndpoints) {
      if (!scheme.equals(endpoint.getScheme())) {
        throw new ConfigurationException(
            "peerEndpoint",
            "peer endpoints must be "
                + scheme
                + ":// URIs ("
                + (tls == null ? "no TLS" : "TLS")
                + " configured): "
                + endpoint);
      }
    }
    boolean servesHttp = http != null;
    List<InetSocketAddress> listening = http == null ? List.of(raft) : List.of(raft, http);
    if (clientAuthorities != null && tls == null) {
      throw new ConfigurationException(
          "clientCertificates", "client certificates need tls on the member " + member);
    }
    if (clientAuthorities != null && tls != null) {
      Set<X509Certificate> shared = new HashSet<>(tls.authorities());
      shared.retainAll(clientAuthorities.authorities());
      if (!shared.isEmpty()) {
        throw new ConfigurationException(
            "clientCertificates",
            "the client authorities include the members' own authority; a client certificate"
                + " from it would be a member");
      }
    }
    if (insecure) {
      return;
    }
    for (InetSocketAddress address : listening) {
      boolean loopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
      if (loopback) {
        continue;
      }
      if (tls == null) {
        throw new ConfigurationException(
            "tls",
            "member "
                + member
                + " listens on "
                + address
                + ", beyond loopback, without TLS; set security(...tls(...)) or, on a closed test"
                + " network only, insecure()");
      }
      if (servesHttp && authenticator == null) {
        throw new ConfigurationException(
            "authenticator",
            "member "
                + member
                + " serves HTTP beyond loopback with no authenticator; set"
                + " security(...authenticator(...) or clientCertificates(...)) or, on a closed"
                + " test network only, insecure()");
      }
    }
  }
}
