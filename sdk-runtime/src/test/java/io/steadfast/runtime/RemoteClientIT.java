package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.appliedCounts;
import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.runtime.security.JwtAuthenticator;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import io.steadfast.runtime.testapp.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote client over HTTP, and the load balancer's primary check. */
class RemoteClientIT {

  private static final List<RoleChange> CHANGES = ClusterTestSupport.newChangeLog();
  private static EmbeddedCluster<LedgerCommand, Long> cluster;
  private static TestTokens tokens;
  @TempDir static Path keys;

  @BeforeAll
  static void start() throws Exception {
    tokens = TestTokens.issuer(keys.resolve("jwks.json"));
    cluster =
        ClusterTestSupport.ledgerCluster(CHANGES)
            .authenticator(JwtAuthenticator.jwks(tokens.jwks()))
            .start();
  }

  /** A remote client that proves to be {@code user} with {@code roles}. */
  private static SteadfastClient<LedgerCommand, Long> clientOf(String user, String... roles) {
    return cluster.remoteClient(
        ClientCredentials.none().bearerToken(() -> tokens.token(user, roles)));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void everyRunningNodeOfTheClusterBecomesReady_andAStoppedOneIsNot() {
    // What the launcher's rehearsal and a load balancer's readiness probe rely on.
    await(
        "every running node ready",
        Duration.ofSeconds(30),
        () -> cluster.nodes().stream().filter(n -> !n.stopped()).allMatch(SteadfastNode::isReady));
    assertThat(cluster.primary().isReady()).isTrue();
    NodeId backup =
        cluster.nodes().stream().filter(n -> !n.isPrimary()).findFirst().orElseThrow().id();
    cluster.stop(backup);
    try {
      assertThat(cluster.node(backup).isReady()).isFalse();
    } finally {
      cluster.restart(backup);
    }
  }

  @Test
  void remoteSessions_acrossKills_exactlyOnceAndResumeAtPosition() throws Exception {
    try (LedgerLoad load = new LedgerLoad(user -> clientOf(user, "clerk"), 6, Long.MAX_VALUE)) {
      for (int kill = 1; kill <= 5; kill++) {
        long before = load.acknowledged.size();
        await(
            "remote progress",
            Duration.ofSeconds(30),
            () -> load.acknowledged.size() > before + 10);
        NodeId victim = cluster.primary().id();
        cluster.crash(victim);
        cluster.primary();
        cluster.restart(victim);
      }
      long after = load.acknowledged.size();
      await(
          "remote progress after kills",
          Duration.ofSeconds(30),
          () -> load.acknowledged.size() > after + 10);
      load.stop();
      assertThat(load.errors).hasValue(0);
      awaitConvergence(cluster);
      Map<String, Integer> counts = appliedCounts(cluster.primary());
      assertThat(ClusterTestSupport.missing(load.acknowledged, counts.keySet())).isEmpty();
      assertThat(counts.values()).allMatch(n -> n == 1);
      for (Map.Entry<String, Session<LedgerCommand, Long>> e : load.sessions.entrySet()) {
        assertThat(e.getValue().resumePoint()).isEqualTo(load.lastResumePoint.get(e.getKey()));
      }
    }
  }

  @Test
  void loadBalancerCheck_answers200OnlyOnThePrimary() throws Exception {
    NodeId primary = cluster.primary().id();
    HttpClient http = HttpClient.newHttpClient();
    assertThat(cluster.nodes()).filteredOn(n -> !n.stopped()).hasSizeGreaterThanOrEqualTo(2);
    for (Map.Entry<NodeId, URI> member : cluster.endpoints().entrySet()) {
      if (cluster.node(member.getKey()).stopped()) {
        continue;
      }
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(member.getValue().resolve("/steadfast/v1/primary"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode())
          .as("check on %s", member.getKey())
          .isEqualTo(member.getKey().equals(primary) ? 200 : 503);
    }
  }

  @Test
  void remoteQuery_readsLinearizably_asTheAuthenticatedUserOnly() {
    Session<LedgerCommand, Long> session =
        clientOf("reader", "clerk").openSession(Principal.of("reader"));
    session.execute(new LedgerCommand.Deposit("q-acct", 5, "q-1"));
    // Linearizable: the deposit just acknowledged is visible to the next query, wherever it lands.
    assertThat(
            clientOf("reader", "clerk")
                .query(Principal.of("reader"), new LedgerCommand.Balance("q-acct")))
        .isEqualTo(5L);
    assertThatThrownBy(
            () ->
                clientOf("reader", "clerk")
                    .query(Principal.of("someone-else"), new LedgerCommand.Balance("q-acct")))
        .isInstanceOf(NotAuthorizedException.class);
    assertThatThrownBy(
            () ->
                cluster
                    .remoteClient(ClientCredentials.none())
                    .query(Principal.of("reader"), new LedgerCommand.Balance("q-acct")))
        .isInstanceOf(io.steadfast.api.session.NotAuthenticatedException.class);
  }

  @Test
  void staleQuery_isAnsweredByABackupFromItsAppliedState_onlyWhenAskedFor() throws Exception {
    Session<LedgerCommand, Long> session =
        clientOf("stale-reader", "clerk").openSession(Principal.of("stale-reader"));
    session.execute(new LedgerCommand.Deposit("s-acct", 7, "s-1"));
    SteadfastClient<LedgerCommand, Long> reader = clientOf("stale-reader", "clerk");
    // A backup may be a few entries behind: poll until it has the deposit.
    await(
        "a stale read that sees the deposit",
        Duration.ofSeconds(10),
        () ->
            Long.valueOf(7)
                .equals(
                    reader.queryStale(
                        Principal.of("stale-reader"), new LedgerCommand.Balance("s-acct"))));
    assertThatThrownBy(
            () ->
                reader.queryStale(Principal.of("other-user"), new LedgerCommand.Balance("s-acct")))
        .isInstanceOf(NotAuthorizedException.class);

    NodeId primary = cluster.primary().id();
    Map.Entry<NodeId, URI> backup =
        cluster.endpoints().entrySet().stream()
            .filter(e -> !e.getKey().equals(primary) && !cluster.node(e.getKey()).stopped())
            .findFirst()
            .orElseThrow();
    byte[] query =
        io.steadfast.runtime.internal.node.Queries.appQuery(
            Principal.of("stale-reader"),
            ClusterTestSupport.CODEC.encodeCommand(new LedgerCommand.Balance("s-acct")));
    HttpClient http = HttpClient.newHttpClient();
    String token = tokens.token("stale-reader", "clerk");
    java.util.function.Function<String, HttpResponse<byte[]>> post =
        path -> {
          try {
            return http.send(
                HttpRequest.newBuilder(backup.getValue().resolve(path))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(query))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        };
    assertThat(post.apply("/steadfast/v1/query").statusCode())
        .as("a linearizable query on a backup is sent to the primary")
        .isEqualTo(421);
    await(
        "the backup answers a stale query itself",
        Duration.ofSeconds(10),
        () -> {
          HttpResponse<byte[]> response = post.apply("/steadfast/v1/query?consistency=stale");
          return response.statusCode() == 200
              && Long.valueOf(7)
                  .equals(
                      io.steadfast.runtime.internal.node.Queries.decodeAppReply(
                          response.body(), ClusterTestSupport.CODEC));
        });
    assertThat(post.apply("/steadfast/v1/query?consistency=eventual").statusCode()).isEqualTo(400);
  }

  @Test
  void remoteRefusal_forMissingRole_isTyped() {
    Session<LedgerCommand, Long> session =
        clientOf("remote-clerk", "clerk").openSession(Principal.of("remote-clerk"));
    assertThatThrownBy(() -> session.execute(new LedgerCommand.CloseBooks()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> {
              assertThat(e.requiredRoles()).containsExactly("auditor");
              assertThat(e.user()).isEqualTo("remote-clerk");
            });
    assertThat(session.execute(new LedgerCommand.Deposit("r", 2, "remote-ok"))).isEqualTo(2L);
  }

  @Test
  void webTierRestart_attachContinuesNumberingAndResumePoint_primaryToldOnResume() {
    Principal user = Principal.of("attacher", "clerk");
    Session<LedgerCommand, Long> first = clientOf("attacher", "clerk").openSession(user);
    first.execute(new LedgerCommand.Deposit("att", 1, "att-1"));
    first.execute(new LedgerCommand.Deposit("att", 1, "att-2"));
    cluster.crash(cluster.primary().id());

    Session<LedgerCommand, Long> again = clientOf("attacher", "clerk").attach(first.id(), user);
    assertThat(again.lastSequence()).isEqualTo(2);
    assertThat(again.resumePoint()).isEqualTo(ResumePoint.of("account", "att", "op", "att-2"));
    assertThat(again.execute(new LedgerCommand.Deposit("att", 1, "att-3"))).isEqualTo(3L);
    SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
    await(
        "onResume on the primary",
        Duration.ofSeconds(5),
        () ->
            primary
                .audit()
                .inspect(
                    app ->
                        ((LedgerApplication) app)
                            .resumed.stream()
                                .anyMatch(
                                    r -> r.session().equals(first.id()) && r.lastSequence() == 2)));
    for (SteadfastNode<LedgerCommand, Long> node : cluster.nodes()) {
      if (node.stopped()) {
        cluster.restart(node.id());
      }
    }
  }
}
