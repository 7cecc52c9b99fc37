package io.steadfast.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.steadfast.api.NodeId;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.security.NodeSecurity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The endpoint against a mocked gateway: who the caller is, what reaches the node, the bounds. */
class HttpEndpointTest {

  private static final Request OPEN =
      Request.open(
          SessionId.of("s-1"), Principal.of("alice", "admin", "clerk"), Duration.ofMinutes(1));
  private static final Request COMMAND = Request.command(SessionId.of("s-1"), 1, new byte[] {1});

  @SuppressWarnings("unchecked")
  private final NodeGateway<Object, Object> node = mock(NodeGateway.class);

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpEndpoint endpoint;

  private URI start(NodeSecurity security) throws Exception {
    when(node.id()).thenReturn(NodeId.of("n1"));
    endpoint =
        new HttpEndpoint(
            node, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), security);
    return URI.create("http://127.0.0.1:" + endpoint.port());
  }

  /** A member that expects no election: refusals are answered at once unless a test says so. */
  @org.junit.jupiter.api.BeforeEach
  void noElection() {
    when(node.primarySettled(any(), any())).thenReturn(CompletableFuture.completedFuture(false));
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private HttpResponse<String> post(URI base, Request request, String token) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(request)));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutAuthenticator_sessionRequestsAre401_andNothingReachesTheNode() throws Exception {
    URI base = start(NodeSecurity.loopback());
    HttpResponse<String> response = post(base, OPEN, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body()).contains("no authenticator");
    verify(node, never()).submit(any(), any());
  }

  @Test
  void authenticatedUser_opensWithTheAuthenticatorsRoles_andCommandsCarryTheOwner()
      throws Exception {
    when(node.submit(any(), any()))
        .thenReturn(CompletableFuture.completedFuture(Outcome.unknownSession()));
    URI base =
        start(
            NodeSecurity.loopback()
                .authenticator(
                    credentials ->
                        credentials
                            .bearerToken()
                            .filter("alice-token"::equals)
                            .map(t -> Principal.of("alice", "clerk"))));
    assertThat(post(base, OPEN, "alice-token").statusCode()).isEqualTo(200);
    ArgumentCaptor<Request> opened = ArgumentCaptor.forClass(Request.class);
    verify(node).submit(opened.capture(), eq("alice"));
    assertThat(opened.getValue().principal()).isEqualTo(Principal.of("alice", "clerk"));

    assertThat(post(base, COMMAND, "alice-token").statusCode()).isEqualTo(200);
    verify(node)
        .submit(
            org.mockito.ArgumentMatchers.argThat(
                r -> r != null && r.kind() == Request.Kind.COMMAND),
            eq("alice"));
    assertThat(post(base, COMMAND, "forged").statusCode()).isEqualTo(401);
  }

  @Test
  void memberSecret_makesATrustedCaller() throws Exception {
    when(node.submit(any(), any()))
        .thenReturn(CompletableFuture.completedFuture(Outcome.unknownSession()));
    String secret = "0123456789abcdef0123456789abcdef";
    URI base = start(NodeSecurity.loopback().memberSecret(secret));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests"))
                .header(NodeSecurity.MEMBER_HEADER, secret)
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(OPEN)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    // A member acts for the principal the request names; no owner is checked.
    verify(node).submit(eq(OPEN), isNull());
  }

  @Test
  void requestsBeyondTheConcurrencyCap_are503AtOnce_butProbesAreStillAnswered() throws Exception {
    CompletableFuture<Outcome> never = new CompletableFuture<>();
    when(node.submit(any(), any())).thenReturn(never);
    URI base = start(NodeSecurity.loopback().insecure().maxConcurrentRequests(1));
    CompletableFuture<HttpResponse<String>> holding =
        http.sendAsync(
            HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(OPEN)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    io.steadfast.runtime.testapp.Await.until(
        "the first request to reach the node",
        Duration.ofSeconds(5),
        () -> {
          try {
            verify(node).submit(any(), any());
            return true;
          } catch (AssertionError notYet) {
            return false;
          }
        });
    HttpResponse<String> second = post(base, OPEN, null);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.body()).contains("\"error\":\"overloaded\"");
    // The probes still answer the truth while every slot is taken: a load balancer must not take
    // a busy primary out of service.
    when(node.isPrimary()).thenReturn(true);
    when(node.isReady()).thenReturn(true);
    for (String probe : List.of("primary", "health/ready", "health/live")) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(base.resolve("/steadfast/v1/" + probe)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(probe).isEqualTo(200);
    }
    when(node.isPrimary()).thenReturn(false);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(base.resolve("/steadfast/v1/primary")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(503);
    never.complete(Outcome.unknownSession());
    assertThat(holding.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void requestsWaitingForTheirOutcome_holdNoWorker_andFreeTheirSlotsWhenAnswered()
      throws Exception {
    // More requests than the endpoint has worker threads (8) wait for their outcomes at once: all
    // of them reach the node. A worker blocked per waiting request let only 8 in, which capped
    // what group commit could put in one journal entry.
    CompletableFuture<Outcome> pending = new CompletableFuture<>();
    when(node.submit(any(), any())).thenReturn(pending);
    int requests = 20;
    URI base = start(NodeSecurity.loopback().insecure().maxConcurrentRequests(requests));
    List<CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < requests; i++) {
      answers.add(
          http.sendAsync(
              HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(COMMAND)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    io.steadfast.runtime.testapp.Await.until(
        requests + " waiting requests to reach the node",
        Duration.ofSeconds(5),
        () ->
            org.mockito.Mockito.mockingDetails(node).getInvocations().stream()
                    .filter(call -> call.getMethod().getName().equals("submit"))
                    .count()
                == requests);
    assertThat(answers).noneMatch(CompletableFuture::isDone);
    pending.complete(Outcome.unknownSession());
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    // Every slot was given back with its answer: as many again are served, none refused 503.
    for (int i = 0; i < requests; i++) {
      assertThat(post(base, COMMAND, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRequestWhoseOutcomeFails_isAnsweredWithTheRefusal() throws Exception {
    when(node.submit(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new io.steadfast.api.NotPrimaryException(NodeId.of("n1"), NodeId.of("n2"))));
    URI base = start(NodeSecurity.loopback().insecure());
    HttpResponse<String> response = post(base, COMMAND, null);
    assertThat(response.statusCode()).isEqualTo(421);
    assertThat(response.headers().firstValue(HttpEndpoint.PRIMARY_HEADER)).contains("n2");
    verify(node, org.mockito.Mockito.times(1)).submit(any(), any());
  }

  @Test
  void aNotPrimaryRefusalDuringAnElection_isHeldUntilItSettles_andTheRequestIsTriedOnceMore()
      throws Exception {
    Outcome decided = Outcome.expired();
    when(node.submit(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new io.steadfast.api.NotPrimaryException(NodeId.of("n1"), NodeId.of("n3"))))
        .thenReturn(CompletableFuture.completedFuture(decided));
    CompletableFuture<Boolean> settled = new CompletableFuture<>();
    CompletableFuture<Duration> asked = new CompletableFuture<>();
    when(node.primarySettled(any(), any()))
        .thenAnswer(
            call -> {
              asked.complete(call.getArgument(0));
              return settled;
            });
    URI base = start(NodeSecurity.loopback().insecure());
    CompletableFuture<HttpResponse<byte[]>> response =
        http.sendAsync(
            HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.encodeRequest(COMMAND)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(asked.get(10, TimeUnit.SECONDS)).isEqualTo(HttpEndpoint.ELECTION_HOLD);
    assertThat(response).as("held while the election is under way").isNotDone();
    verify(node, org.mockito.Mockito.times(1)).submit(any(), any());

    settled.complete(true);
    HttpResponse<byte[]> answer = response.get(10, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(WireFormat.decodeOutcome(answer.body()).status()).isEqualTo(Outcome.Status.EXPIRED);
    verify(node, org.mockito.Mockito.times(2)).submit(any(), any());
  }

  @Test
  void otherRefusals_areNotHeld() throws Exception {
    when(node.submit(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new io.steadfast.api.session.UnknownSessionException(SessionId.of("s-1"))));
    URI base = start(NodeSecurity.loopback().insecure());
    assertThat(post(base, COMMAND, null).statusCode()).isEqualTo(404);
    verify(node, never()).primarySettled(any(), any());
  }

  private HttpResponse<byte[]> postBatch(URI base, byte[] body, String token) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests/batch"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] batch(Request... requests) {
    return BatchFormat.encodeRequests(
        java.util.Arrays.stream(requests).map(WireFormat::encodeRequest).toList());
  }

  private static NodeSecurity aliceOnly() {
    return NodeSecurity.loopback()
        .authenticator(
            credentials ->
                credentials
                    .bearerToken()
                    .filter("alice-token"::equals)
                    .map(t -> Principal.of("alice", "clerk")));
  }

  @Test
  void aBatch_answersEachRequestAsIfItHadComeAlone_inTheOrderSent() throws Exception {
    Request second = Request.command(SessionId.of("s-2"), 4, new byte[] {2});
    Request forBob =
        Request.open(SessionId.of("s-3"), Principal.of("bob", "admin"), Duration.ofMinutes(1));
    CompletableFuture<Outcome> later = new CompletableFuture<>();
    when(node.submit(org.mockito.ArgumentMatchers.argThat(r -> isFor(r, "s-1")), eq("alice")))
        .thenReturn(later);
    when(node.submit(org.mockito.ArgumentMatchers.argThat(r -> isFor(r, "s-2")), eq("alice")))
        .thenReturn(
            CompletableFuture.failedFuture(
                new io.steadfast.api.NotPrimaryException(NodeId.of("n1"), NodeId.of("n2"))));
    URI base = start(aliceOnly());

    CompletableFuture<HttpResponse<byte[]>> answer =
        http.sendAsync(
            HttpRequest.newBuilder(base.resolve("/steadfast/v1/requests/batch"))
                .header("Authorization", "Bearer alice-token")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch(COMMAND, forBob, second)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    // The batch is answered once its last request is decided, not before.
    io.steadfast.runtime.testapp.Await.until(
        "both admitted requests to reach the node",
        Duration.ofSeconds(5),
        () ->
            org.mockito.Mockito.mockingDetails(node).getInvocations().stream()
                    .filter(call -> call.getMethod().getName().equals("submit"))
                    .count()
                == 2);
    assertThat(answer).isNotDone();
    Outcome applied =
        Outcome.applied(
            new io.steadfast.api.Position(9, 1),
            new byte[] {7},
            io.steadfast.api.session.ResumePoint.start());
    later.complete(applied);

    HttpResponse<byte[]> response = answer.get(5, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    List<BatchFormat.Item> items = BatchFormat.decodeItems(response.body(), 3);
    assertThat(items.get(0).status()).isEqualTo(200);
    assertThat(WireFormat.decodeOutcome(items.get(0).body()).position())
        .isEqualTo(new io.steadfast.api.Position(9, 1));
    // A user opens sessions only for itself: refused at the door, never submitted.
    assertThat(items.get(1).status()).isEqualTo(403);
    assertThat(new String(items.get(1).body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("opens a session for bob");
    assertThat(items.get(2).status()).isEqualTo(421);
    assertThat(new String(items.get(2).body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"primary\":\"n2\"");
    verify(node, never()).submit(org.mockito.ArgumentMatchers.argThat(r -> isFor(r, "s-3")), any());
  }

  private static boolean isFor(Request request, String session) {
    return request != null && request.session().value().equals(session);
  }

  @Test
  void badBatches_areRefusedWhole_andNothingReachesTheNode() throws Exception {
    URI base = start(aliceOnly().maxConcurrentRequests(2));
    assertThat(postBatch(base, batch(COMMAND), null).statusCode()).isEqualTo(401);
    assertThat(postBatch(base, new byte[] {0, 0, 0, 1, 0, 0}, "alice-token").statusCode())
        .isEqualTo(400);
    Request[] tooMany = new Request[HttpEndpoint.MAX_BATCH + 1];
    java.util.Arrays.fill(tooMany, COMMAND);
    HttpResponse<byte[]> large = postBatch(base, batch(tooMany), "alice-token");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(new String(large.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("batch_too_large");
    // Each request of a batch takes a request slot: three do not fit in two.
    HttpResponse<byte[]> crowded = postBatch(base, batch(COMMAND, COMMAND, COMMAND), "alice-token");
    assertThat(crowded.statusCode()).isEqualTo(503);
    assertThat(new String(crowded.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("overloaded");
    verify(node, never()).submit(any(), any());
  }

  @Test
  void checkpoint_isRefusedToAUserWithoutTheAdminRole_andServedToAnAdmin() throws Exception {
    when(node.newestCheckpoint()).thenReturn(Optional.empty());
    URI base = start(adminOrClerk());
    HttpResponse<String> user =
        http.send(
            HttpRequest.newBuilder(base.resolve("/steadfast/v1/checkpoint"))
                .header("Authorization", "Bearer alice")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.body()).contains(NodeSecurity.ADMIN_ROLE);
    HttpResponse<String> admin =
        http.send(
            HttpRequest.newBuilder(base.resolve("/steadfast/v1/checkpoint"))
                .header("Authorization", "Bearer admin")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(admin.statusCode()).isEqualTo(404);
    assertThat(admin.body()).contains("no_checkpoint");
  }

  @Test
  void statusDigest_answersTheStateFingerprint_toAdminsOnly_andAnUnknownQueryIs400()
      throws Exception {
    java.util.Map<String, Object> digest = new java.util.LinkedHashMap<>();
    digest.put("node", "n1");
    digest.put("journalIndex", 42L);
    digest.put("sha256", "ab12");
    when(node.digest()).thenReturn(digest);
    when(node.statusFields()).thenReturn(java.util.Map.of("role", "PRIMARY"));
    URI base = start(adminOrClerk());

    HttpResponse<String> plain = get(base, "/steadfast/v1/status", "alice");
    HttpResponse<String> user = get(base, "/steadfast/v1/status?digest=true", "alice");
    HttpResponse<String> admin = get(base, "/steadfast/v1/status?digest=true", "admin");
    HttpResponse<String> unknown = get(base, "/steadfast/v1/status?digest=yes", "admin");

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body()).contains("PRIMARY").doesNotContain("sha256");
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.body()).contains(NodeSecurity.ADMIN_ROLE);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains("\"sha256\":\"ab12\"").contains("\"journalIndex\":42");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown query digest=yes");
  }

  /**
   * A promotion stops the member, which closes this endpoint (and ends a member process). The stop
   * must come after the answer: it used to be started inside {@code promote}, and in CI the admin
   * tool once got "header parser received no bytes" instead of the 202. Here the stop closes the
   * endpoint at once, the worst case, and the answer must still arrive whole.
   */
  @Test
  void promote_answersBeforeTheMemberStops() throws Exception {
    when(node.promote(NodeId.of("n1"))).thenReturn("n1 stops now");
    java.util.concurrent.atomic.AtomicInteger stops =
        new java.util.concurrent.atomic.AtomicInteger();
    org.mockito.Mockito.doAnswer(
            call -> {
              stops.incrementAndGet();
              endpoint.close();
              return null;
            })
        .when(node)
        .stopForPromotion();
    HttpResponse<String> response = promoteN1(start(adminOrClerk()));
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"next\":\"n1 stops now\"");
    // The answer is on its way before the stop, so the stop may come a moment after it arrives.
    io.steadfast.runtime.testapp.Await.until(
        "the member stopped for its promotion", Duration.ofSeconds(5), () -> stops.get() == 1);

    when(node.promote(NodeId.of("n1"))).thenThrow(new IllegalArgumentException("not a replica"));
    HttpResponse<String> refused = promoteN1(start(adminOrClerk()));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(stops).as("a refused promotion stops nothing").hasValue(1);
  }

  private HttpResponse<String> promoteN1(URI base) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve("/steadfast/v1/admin/promote?confirm=n1"))
            .header("Authorization", "Bearer admin")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Token "admin" is an admin ("ops"); any other token is alice, a clerk. */
  private static NodeSecurity adminOrClerk() {
    return NodeSecurity.loopback()
        .authenticator(
            credentials ->
                credentials
                    .bearerToken()
                    .map(
                        t ->
                            t.equals("admin")
                                ? Principal.of("ops", NodeSecurity.ADMIN_ROLE)
                                : Principal.of("alice", "clerk")));
  }

  private HttpResponse<String> get(URI base, String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
