package io.steadfast.runtime.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.Position;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import io.steadfast.api.session.UnknownSessionException;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.journal.WireFormat;
import io.steadfast.runtime.internal.node.Access;
import io.steadfast.runtime.internal.node.BatchFormat;
import io.steadfast.runtime.internal.node.HttpEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The remote client's routing against real HTTP servers on loopback that answer as members do. */
class RemoteRoutingTest {

  static {
    // As HttpEndpoint does: without it the JDK server's answers wait ~40 ms for a delayed
    // acknowledgement (it writes headers and body apart), when this class runs alone.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final List<HttpServer> servers = new ArrayList<>();
  private final Map<NodeId, URI> members = new TreeMap<>();
  private static final Request REQUEST =
      Request.command(SessionId.of("s"), 1, "{}".getBytes(StandardCharsets.UTF_8));

  /** A member that answers every request with {@code status}, {@code body} and headers. */
  private void member(String id, int status, byte[] body, String... headers) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            for (int i = 0; i + 1 < headers.length; i += 2) {
              exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            }
          }
        });
    server.start();
    servers.add(server);
    members.put(NodeId.of(id), URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private RemoteRouting<Object, Object> routing() {
    return new RemoteRouting<>(members, Duration.ofSeconds(2), Access.plain());
  }

  private static Throwable failure(RemoteRouting<Object, Object> routing) throws Exception {
    try {
      routing.send(REQUEST).get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a refusal");
    } catch (ExecutionException e) {
      return e.getCause() instanceof java.util.concurrent.CompletionException c
              && c.getCause() != null
          ? c.getCause()
          : e.getCause();
    }
  }

  @Test
  void notPrimary_followsTheSuggestedPrimary() throws Exception {
    byte[] outcome =
        WireFormat.encodeOutcome(
            Outcome.applied(new Position(7, 2), new byte[] {42}, ResumePoint.start()));
    member(
        "n1",
        421,
        "not primary".getBytes(StandardCharsets.UTF_8),
        HttpEndpoint.PRIMARY_HEADER,
        "n3");
    member("n2", 503, new byte[0]);
    member("n3", 200, outcome);
    RemoteRouting<Object, Object> routing = routing();

    Throwable refusal = failure(routing);
    assertThat(refusal)
        .isInstanceOfSatisfying(
            NotPrimaryException.class,
            e -> assertThat(e.suggestedPrimary()).contains(NodeId.of("n3")));
    assertThat(routing.redirect((NotPrimaryException) refusal)).isTrue();
    assertThat(routing.send(REQUEST).get(5, TimeUnit.SECONDS).position())
        .isEqualTo(new Position(7, 2));
  }

  @Test
  void refusals_becomeTypedExceptions() throws Exception {
    member(
        "n1",
        403,
        ("{\"status\":403,\"error\":\"not_authorized\",\"message\":\"no\","
                + "\"user\":\"mallory\",\"what\":\"Deposit\",\"requiredRoles\":[\"clerk\",\"teller\"]}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(failure(routing()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> {
              assertThat(e.user()).isEqualTo("mallory");
              assertThat(e.requiredRoles()).containsExactlyInAnyOrder("clerk", "teller");
            });
    stop();
    servers.clear();
    members.clear();
    member("n1", 400, "unreadable request".getBytes(StandardCharsets.UTF_8));
    assertThat(failure(routing())).isInstanceOf(MalformedCommandException.class);
    stop();
    servers.clear();
    members.clear();
    member(
        "n1",
        401,
        "{\"status\":401,\"error\":\"not_authenticated\",\"message\":\"no credentials\"}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(failure(routing()))
        .isInstanceOf(NotAuthenticatedException.class)
        .hasMessageContaining("no credentials");
    stop();
    servers.clear();
    members.clear();
    member(
        "n1",
        404,
        "{\"status\":404,\"error\":\"unknown_session\",\"message\":\"x\",\"session\":\"s-9\"}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(failure(routing()))
        .isInstanceOfSatisfying(
            UnknownSessionException.class, e -> assertThat(e.session().value()).isEqualTo("s-9"));
  }

  @Test
  void aMemberThatIsDown_isPassedOverForTheNext() throws Exception {
    members.put(NodeId.of("n1"), URI.create("http://127.0.0.1:1"));
    member("n2", 200, WireFormat.encodeOutcome(Outcome.unknownSession()));
    RemoteRouting<Object, Object> routing = routing();

    Throwable down = failure(routing);
    assertThat(down).isNotInstanceOf(NotPrimaryException.class);
    routing.failed(down);
    assertThat(routing.send(REQUEST).get(5, TimeUnit.SECONDS).status())
        .isEqualTo(Outcome.Status.UNKNOWN_SESSION);
  }

  /**
   * Commands do not start a thread each. The JDK client's {@code sendAsync} completes every answer
   * on {@code CompletableFuture}'s default executor, which starts a thread per task where the
   * common pool has fewer than two threads (two CPUs or fewer, as on the CI machine): 200 commands
   * started about 200 threads before the client sent on pooled threads.
   */
  @Test
  void commands_doNotStartAThreadEach() throws Exception {
    member(
        "n1",
        200,
        WireFormat.encodeOutcome(
            Outcome.applied(new Position(1, 1), new byte[] {1}, ResumePoint.start())));
    RemoteRouting<Object, Object> routing = routing();
    // The first command makes the client's own threads (its selector, a worker, a sender).
    routing.send(REQUEST).get(5, TimeUnit.SECONDS);
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getTotalStartedThreadCount();
    for (int i = 0; i < 200; i++) {
      assertThat(routing.send(REQUEST).get(5, TimeUnit.SECONDS).position())
          .isEqualTo(new Position(1, 1));
    }
    assertThat(threads.getTotalStartedThreadCount() - before)
        .as(
            "threads started for 200 commands (common pool parallelism %d)",
            java.util.concurrent.ForkJoinPool.getCommonPoolParallelism())
        .isLessThan(20);
  }

  /**
   * A member that holds lone requests until {@code release} opens, answers batches item by item
   * (session {@code s-refused}: 403; {@code s-moved}: 421 naming n2; others: applied at their
   * sequence), or, with {@code batchRoute} false, answers 404 to a batch as an older member does.
   * Records each exchange's path and batch size.
   */
  private List<String> batchingMember(
      java.util.concurrent.CountDownLatch release, boolean batchRoute) throws IOException {
    return batchingMember("n1", release, batchRoute);
  }

  private List<String> batchingMember(
      String id, java.util.concurrent.CountDownLatch release, boolean batchRoute)
      throws IOException {
    List<String> exchanges = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            byte[] answer;
            int status = 200;
            if (path.endsWith("/requests/batch")) {
              if (!batchRoute) {
                exchanges.add(path);
                status = 404;
                answer = "{\"error\":\"not_found\"}".getBytes(StandardCharsets.UTF_8);
              } else {
                List<Request> requests = BatchFormat.decodeRequests(body, 64);
                exchanges.add(path + " " + requests.size());
                List<BatchFormat.Item> items = new ArrayList<>();
                for (Request request : requests) {
                  items.add(item(request));
                }
                answer = BatchFormat.encodeItems(items);
              }
            } else {
              exchanges.add(path);
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              BatchFormat.Item item = item(WireFormat.decodeRequest(body));
              status = item.status();
              answer = item.body();
            }
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          }
        });
    server.start();
    servers.add(server);
    members.put(NodeId.of(id), URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    return exchanges;
  }

  private static BatchFormat.Item item(Request request) {
    return switch (request.session().value()) {
      case "s-refused" ->
          new BatchFormat.Item(
              403,
              "{\"status\":403,\"error\":\"not_authorized\",\"user\":\"eve\",\"what\":\"X\"}"
                  .getBytes(StandardCharsets.UTF_8));
      case "s-moved" ->
          new BatchFormat.Item(
              421,
              "{\"status\":421,\"error\":\"not_primary\",\"primary\":\"n2\"}"
                  .getBytes(StandardCharsets.UTF_8));
      default ->
          new BatchFormat.Item(
              200,
              WireFormat.encodeOutcome(
                  Outcome.applied(
                      new Position(1, request.sequence()), new byte[0], ResumePoint.start())));
    };
  }

  private static Request command(String session, long sequence) {
    return Request.command(SessionId.of(session), sequence, new byte[] {1});
  }

  /**
   * While the client's exchanges are out, the commands of its other sessions gather and go in one
   * batch; each gets its own outcome or refusal.
   */
  @Test
  void commandsThatWaitTogether_goInOneBatch_eachWithItsOwnAnswer() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> exchanges = batchingMember(release, true);
    RemoteRouting<Object, Object> routing = routing();
    var first = routing.send(command("s-a", 1));
    io.steadfast.runtime.testapp.Await.until(
        "the first exchange", Duration.ofSeconds(5), () -> exchanges.size() == 1);
    var second = routing.send(command("s-b", 1));
    io.steadfast.runtime.testapp.Await.until(
        "the second exchange", Duration.ofSeconds(5), () -> exchanges.size() == 2);
    // Both carriers are out: these wait, and then go together.
    List<java.util.concurrent.CompletableFuture<Outcome>> gathered = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      gathered.add(routing.send(command("s-" + i, 10 + i)));
    }
    var refused = routing.send(command("s-refused", 1));
    var moved = routing.send(command("s-moved", 1));
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS).position()).isEqualTo(new Position(1, 1));
    assertThat(second.get(5, TimeUnit.SECONDS).position()).isEqualTo(new Position(1, 1));
    for (int i = 1; i <= 8; i++) {
      assertThat(gathered.get(i - 1).get(5, TimeUnit.SECONDS).position())
          .isEqualTo(new Position(1, 10 + i));
    }
    assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NotAuthorizedException.class);
    assertThatThrownBy(() -> moved.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            NotPrimaryException.class,
            e -> assertThat(e.suggestedPrimary()).contains(NodeId.of("n2")));
    assertThat(exchanges)
        .containsExactly(
            "/steadfast/v1/requests", "/steadfast/v1/requests", "/steadfast/v1/requests/batch 10");
  }

  /**
   * Exchanges hanging on a member that stopped answering (a frozen primary) do not hold back the
   * requests sent on to the new primary: the bound on exchanges out is per member.
   */
  @Test
  void exchangesHangingOnAFrozenMember_doNotHoldBackTheNewPrimarys() throws Exception {
    java.util.concurrent.CountDownLatch frozen = new java.util.concurrent.CountDownLatch(1);
    List<String> hanging = batchingMember("n1", frozen, true);
    member(
        "n2",
        200,
        WireFormat.encodeOutcome(
            Outcome.applied(new Position(2, 5), new byte[0], ResumePoint.start())));
    RemoteRouting<Object, Object> routing =
        new RemoteRouting<>(members, Duration.ofSeconds(10), Access.plain());
    try {
      var hangingA = routing.send(command("s-a", 1));
      io.steadfast.runtime.testapp.Await.until(
          "the first exchange", Duration.ofSeconds(5), () -> hanging.size() == 1);
      var hangingB = routing.send(command("s-b", 1));
      io.steadfast.runtime.testapp.Await.until(
          "the second exchange", Duration.ofSeconds(5), () -> hanging.size() == 2);
      // The session learns that n2 is primary now and sends its request again.
      routing.redirect(new NotPrimaryException(NodeId.of("n1"), NodeId.of("n2")));
      assertThat(routing.send(command("s-a", 1)).get(5, TimeUnit.SECONDS).position())
          .isEqualTo(new Position(2, 5));
      assertThat(hanging).hasSize(2);
      assertThat(hangingA).isNotDone();
      assertThat(hangingB).isNotDone();
    } finally {
      frozen.countDown();
    }
  }

  @Test
  void aMemberWithoutTheBatchRoute_isSentOneRequestPerExchange() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> exchanges = batchingMember(release, false);
    RemoteRouting<Object, Object> routing = routing();
    var first = routing.send(command("s-a", 1));
    var second = routing.send(command("s-b", 1));
    io.steadfast.runtime.testapp.Await.until(
        "two exchanges out", Duration.ofSeconds(5), () -> exchanges.size() >= 2);
    List<java.util.concurrent.CompletableFuture<Outcome>> gathered = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      gathered.add(routing.send(command("s-" + i, i)));
    }
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    second.get(5, TimeUnit.SECONDS);
    for (int i = 1; i <= 5; i++) {
      assertThat(gathered.get(i - 1).get(5, TimeUnit.SECONDS).position())
          .isEqualTo(new Position(1, i));
    }
    assertThat(exchanges).filteredOn(path -> path.endsWith("/batch")).hasSize(1);
    assertThat(exchanges).filteredOn(path -> path.endsWith("/requests")).hasSize(7);
  }

  @Test
  void aLoadBalancersAddress_isKept_whenTheMembershipIsLearned() throws Exception {
    // The client was given one address, a load balancer's; the members it lists are behind it.
    members.put(NodeId.of("front"), URI.create("http://127.0.0.1:1"));
    RemoteRouting<Object, Object> routing = routing();
    Map<NodeId, URI> behind =
        Map.of(
            NodeId.of("n1"), URI.create("http://10.0.0.1:9443"),
            NodeId.of("n2"), URI.create("http://10.0.0.2:9443"));

    routing.adopt(behind);

    assertThat(routing.members()).containsOnlyKeys(NodeId.of("front"));
  }

  @Test
  void membersAddresses_followTheLearnedMembership() throws Exception {
    members.put(NodeId.of("n1"), URI.create("http://127.0.0.1:1"));
    members.put(NodeId.of("n2"), URI.create("http://127.0.0.1:2"));
    RemoteRouting<Object, Object> routing = routing();
    Map<NodeId, URI> grown =
        Map.of(
            NodeId.of("n1"), URI.create("http://127.0.0.1:1"),
            NodeId.of("n2"), URI.create("http://127.0.0.1:2"),
            NodeId.of("n3"), URI.create("http://127.0.0.1:3"));

    routing.adopt(grown);

    assertThat(routing.members()).isEqualTo(grown);
  }

  @Test
  void noMembers_isRefused() {
    members.clear();
    assertThatThrownBy(this::routing).isInstanceOf(IllegalArgumentException.class);
  }
}
