package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.runtime.security.JwtAuthenticator;
import io.steadfast.runtime.security.NodeSecurity;
import io.steadfast.runtime.security.TlsFiles;
import io.steadfast.runtime.testapp.Await;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import io.steadfast.runtime.testapp.TestPki;
import io.steadfast.runtime.testapp.TestTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security with real certificates and tokens: three members on mutual TLS with HTTPS endpoints, a
 * JWT authenticator and client certificates; a fourth party with a certificate from another
 * authority. Every refusal is checked to have journaled nothing.
 */
class SecurityIT {

  @TempDir static Path dir;

  private static TestPki members;
  private static TestPki clients;
  private static TestPki strangers;
  private static TestTokens tokens;
  private static final Map<NodeId, InetSocketAddress> RAFT = new TreeMap<>();
  private static final Map<NodeId, InetSocketAddress> HTTP = new TreeMap<>();
  private static final Map<NodeId, SteadfastNode<LedgerCommand, Long>> NODES = new TreeMap<>();

  @BeforeAll
  @SuppressWarnings("AddressSelection") // literal loopback addresses: nothing is resolved
  static void start() throws Exception {
    members = TestPki.authority("members", dir.resolve("pki"));
    clients = TestPki.authority("clients", dir.resolve("pki"));
    strangers = TestPki.authority("strangers", dir.resolve("pki-strange"));
    tokens = TestTokens.issuer(dir.resolve("jwks.json"));
    int[] ports = freePorts(6);
    for (int i = 1; i <= 3; i++) {
      RAFT.put(NodeId.of("n" + i), new InetSocketAddress("127.0.0.1", ports[i - 1]));
      HTTP.put(NodeId.of("n" + i), new InetSocketAddress("127.0.0.1", ports[i + 2]));
    }
    // n3 starts with a certificate from another authority: it must not get into the cluster.
    start("n1", members);
    start("n2", members);
    start("n3", strangers);
  }

  @AfterAll
  static void stop() {
    NODES.values().forEach(SteadfastNode::close);
  }

  private static void start(String id, TestPki authority) throws Exception {
    TestPki.Issued identity = authority.issue(id);
    NodeSecurity security =
        NodeSecurity.loopback()
            .tls(
                TlsFiles.of(identity.certificate(), identity.privateKey(), members.authorityFile()))
            .clientCertificates(clients.authorityFile(), Map.of("carol", Set.of("clerk")))
            .authenticator(JwtAuthenticator.jwks(tokens.jwks()).issuer("steadfast-tests"));
    SteadfastNode.Builder<LedgerCommand, Long> builder =
        SteadfastNode.<LedgerCommand, Long>builder()
            .id(NodeId.of(id))
            .cluster("secure")
            .storage(dir.resolve("data").resolve(id + "-" + System.nanoTime()))
            .application(LedgerApplication::new)
            .codec(ClusterTestSupport.CODEC)
            .http(HTTP.get(NodeId.of(id)))
            .security(security);
    RAFT.forEach(builder::peer);
    endpoints().forEach(builder::peerEndpoint);
    NODES.put(NodeId.of(id), builder.build().start());
  }

  private static Map<NodeId, URI> endpoints() {
    Map<NodeId, URI> uris = new TreeMap<>();
    HTTP.forEach((id, a) -> uris.put(id, URI.create("https://127.0.0.1:" + a.getPort())));
    return uris;
  }

  private static SteadfastNode<LedgerCommand, Long> primary() {
    List<SteadfastNode<LedgerCommand, Long>> found = new ArrayList<>();
    Await.until(
        "a primary",
        Duration.ofSeconds(20),
        () -> {
          found.clear();
          NODES.values().stream().filter(SteadfastNode::isPrimary).forEach(found::add);
          return found.size() == 1;
        });
    return found.get(0);
  }

  private static SteadfastClient<LedgerCommand, Long> clientWithToken(String token) {
    return SteadfastClient.remote(
        ClusterTestSupport.CODEC,
        endpoints(),
        Duration.ofSeconds(5),
        ClientCredentials.none()
            .tls(TlsFiles.trusting(members.authorityFile()))
            .bearerToken(() -> token));
  }

  private static Position applied() {
    return primary().appliedPosition();
  }

  @Test
  void memberWithAnotherAuthoritysCertificate_cannotJoin_untilGivenAGoodOne() throws Exception {
    SteadfastNode<LedgerCommand, Long> primary = primary();
    assertThat(primary.id().value()).isNotEqualTo("n3");
    Session<LedgerCommand, Long> session =
        clientWithToken(tokens.token("alice", "clerk")).openSession(Principal.of("alice"));
    for (int i = 0; i < 5; i++) {
      session.execute(new LedgerCommand.Deposit("join", 1, "join-" + i));
    }
    long index = primary.appliedPosition().index();
    SteadfastNode<LedgerCommand, Long> goodBackup =
        NODES.values().stream()
            .filter(n -> !n.id().equals(primary.id()) && !n.id().value().equals("n3"))
            .findFirst()
            .orElseThrow();
    Await.until(
        "the good backup to apply",
        Duration.ofSeconds(10),
        () -> goodBackup.appliedPosition().index() >= index);
    // The leader sends to all backups at once; give the stranger a generous window to show any
    // progress, then check it made none.
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < end) {
      assertThat(NODES.get(NodeId.of("n3")).appliedPosition()).isEqualTo(Position.ZERO);
      Thread.sleep(20);
    }
    // The same member with a certificate from the members' authority catches up: it was the
    // certificate that kept it out.
    NODES.get(NodeId.of("n3")).crash();
    start("n3", members);
    Await.until(
        "n3 with a good certificate to catch up",
        Duration.ofSeconds(20),
        () -> NODES.get(NodeId.of("n3")).appliedPosition().index() >= index);
  }

  @Test
  void noCredentials_is401_andNothingIsJournaled() throws Exception {
    Position before = applied();
    HttpResponse<String> response =
        https(members)
            .send(
                post(
                    "/steadfast/v1/requests",
                    WireFormat.encodeRequest(
                        Request.open(
                            SessionId.of("anon"), Principal.of("anon"), Duration.ofMinutes(1))),
                    null),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("\"error\":\"not_authenticated\"");
    assertThat(applied()).isEqualTo(before);

    SteadfastClient<LedgerCommand, Long> anonymous =
        SteadfastClient.remote(
            ClusterTestSupport.CODEC,
            endpoints(),
            Duration.ofSeconds(5),
            ClientCredentials.none().tls(TlsFiles.trusting(members.authorityFile())));
    assertThatThrownBy(() -> anonymous.openSession(Principal.of("anon")))
        .isInstanceOf(NotAuthenticatedException.class);
    assertThatThrownBy(
            () ->
                clientWithToken(tokens.token("late", Duration.ofMinutes(-5), "clerk"))
                    .openSession(Principal.of("late")))
        .isInstanceOf(NotAuthenticatedException.class)
        .hasMessageContaining("refused");
    assertThat(applied()).isEqualTo(before);
  }

  @Test
  void roleComesFromTheToken_notTheClient_andAMissingRoleIs403WithNothingJournaled() {
    // Mallory claims every role; her token gives none.
    Session<LedgerCommand, Long> mallory =
        clientWithToken(tokens.token("mallory"))
            .openSession(Principal.of("mallory", "clerk", "auditor"));
    Position before = applied();
    assertThatThrownBy(() -> mallory.execute(new LedgerCommand.Deposit("m", 100, "m-1")))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> assertThat(e.requiredRoles()).containsExactlyInAnyOrder("clerk", "auditor"));
    assertThat(applied()).isEqualTo(before);
    // Nor may she open a session in another user's name.
    assertThatThrownBy(
            () -> clientWithToken(tokens.token("mallory")).openSession(Principal.of("alice")))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("authenticated as mallory");
    assertThat(applied()).isEqualTo(before);
  }

  @Test
  void anotherUsersSession_isRefused_readAndWrite() {
    Session<LedgerCommand, Long> alice =
        clientWithToken(tokens.token("alice", "clerk")).openSession(Principal.of("alice"));
    alice.execute(new LedgerCommand.Deposit("a", 1, "owner-1"));
    SteadfastClient<LedgerCommand, Long> bob = clientWithToken(tokens.token("bob", "clerk"));
    Position before = applied();
    assertThatThrownBy(() -> bob.attach(alice.id(), Principal.of("bob")))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("another user's");
    assertThat(applied()).isEqualTo(before);
  }

  @Test
  void commandForAnUnknownSession_isRefusedAtTheDoor() throws Exception {
    Position before = applied();
    HttpResponse<String> response =
        https(members)
            .send(
                post(
                    "/steadfast/v1/requests",
                    WireFormat.encodeRequest(
                        Request.command(
                            SessionId.of("never-opened"),
                            1,
                            ClusterTestSupport.CODEC.encodeCommand(
                                new LedgerCommand.Deposit("x", 1, "x")))),
                    tokens.token("alice", "clerk")),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"error\":\"unknown_session\"");
    assertThat(applied()).isEqualTo(before);
  }

  @Test
  void clientCertificate_authenticatesWithMappedRoles() throws Exception {
    TestPki.Issued carol = clients.issue("carol");
    SteadfastClient<LedgerCommand, Long> client =
        SteadfastClient.remote(
            ClusterTestSupport.CODEC,
            endpoints(),
            Duration.ofSeconds(5),
            ClientCredentials.none()
                .tls(
                    TlsFiles.of(carol.certificate(), carol.privateKey(), members.authorityFile())));
    Session<LedgerCommand, Long> session = client.openSession(Principal.of("carol"));
    assertThat(session.execute(new LedgerCommand.Deposit("c", 3, "carol-1"))).isEqualTo(3L);
    assertThatThrownBy(() -> session.execute(new LedgerCommand.CloseBooks()))
        .isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void checkpoint_isServedToMembersOnly() throws Exception {
    SteadfastNode<LedgerCommand, Long> backup =
        NODES.values().stream()
            .filter(n -> !n.isPrimary() && !n.id().value().equals("n3"))
            .findFirst()
            .orElseThrow();
    URI checkpoint =
        URI.create(
            "https://127.0.0.1:" + HTTP.get(backup.id()).getPort() + "/steadfast/v1/checkpoint");
    // A user without the admin role: 403.
    HttpResponse<String> user =
        https(members)
            .send(
                get(checkpoint, tokens.token("alice", "clerk")),
                HttpResponse.BodyHandlers.ofString());
    assertThat(user.statusCode()).isEqualTo(403);
    // No credentials: 401.
    HttpResponse<String> none =
        https(members).send(get(checkpoint, null), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    // A stranger's certificate proves nothing: the handshake fails or the request is 401.
    TestPki.Issued stranger = strangers.issue("eve");
    HttpClient eve =
        HttpClient.newBuilder()
            .sslContext(
                TlsFiles.of(stranger.certificate(), stranger.privateKey(), members.authorityFile())
                    .context())
            .build();
    int eveStatus;
    try {
      eveStatus =
          eve.send(get(checkpoint, null), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException refusedInHandshake) {
      eveStatus = 0;
    }
    assertThat(eveStatus).isIn(0, 401);
    // A member's certificate: served (200), or 404 when the backup holds no checkpoint yet.
    TestPki.Issued member = members.issue("n9");
    HttpClient asMember =
        HttpClient.newBuilder()
            .sslContext(
                TlsFiles.of(member.certificate(), member.privateKey(), members.authorityFile())
                    .context())
            .build();
    assertThat(
            asMember.send(get(checkpoint, null), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isIn(200, 404);
  }

  @Test
  void routesMatchExactly_andBodiesAreCapped() throws Exception {
    String base = "https://127.0.0.1:" + HTTP.get(NodeId.of("n1")).getPort();
    HttpClient http = https(members);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/steadfast/v1/primaryXYZ"))
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> wrongMethod =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/steadfast/v1/primary"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
    Position before = applied();
    HttpResponse<String> big =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/steadfast/v1/requests"))
                .header("Authorization", "Bearer " + tokens.token("alice", "clerk"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(1 << 20) + 1]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("\"error\":\"body_too_large\"");
    assertThat(applied()).isEqualTo(before);
  }

  /** A client that trusts {@code trust}'s certificates and presents none of its own. */
  private static HttpClient https(TestPki trust) {
    return HttpClient.newBuilder()
        .sslContext(TlsFiles.trusting(trust.authorityFile()).context())
        .build();
  }

  /** A POST to the primary's endpoint, with {@code token} if not null. */
  private static HttpRequest post(String path, byte[] body, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + HTTP.get(primary().id()).getPort() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.build();
  }

  private static HttpRequest get(URI uri, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.build();
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
