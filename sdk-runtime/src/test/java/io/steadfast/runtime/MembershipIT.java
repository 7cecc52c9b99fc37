package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.appliedCounts;
import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.security.ClientCredentials;
import io.steadfast.runtime.security.JwtAuthenticator;
import io.steadfast.runtime.testapp.LedgerCommand;
import io.steadfast.runtime.testapp.TestTokens;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members are added, removed and replaced while sessions run: nothing acknowledged is lost or
 * applied twice, every member (a restarted one included) knows the configuration in force, and the
 * replicas converge.
 */
class MembershipIT {

  @Test
  void membersAreAddedRemovedAndReplaced_underLoad_withNothingLost() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .checkpointEvery(500)
            .segmentSize(64 * 1024)
            .start()) {
      try (LedgerLoad load = new LedgerLoad(cluster.client(), 8, 1_000_000)) {
        await("load to run", Duration.ofSeconds(20), () -> load.acknowledged.size() > 1_500);
        // The journal was purged up to a checkpoint by now: the new member needs the checkpoint.
        await(
            "a checkpoint to purge the journal",
            Duration.ofSeconds(60),
            () -> cluster.status().stream().allMatch(s -> s.journalStartIndex() > 0));

        SteadfastNode<LedgerCommand, Long> added = cluster.addNode();
        assertThat(added.id()).isEqualTo(NodeId.of("n4"));
        assertMembers(cluster, "n1", "n2", "n3", "n4");
        assertThat(added.status().lastCheckpointIndex())
            .as("the new member started from the primary's checkpoint")
            .isPositive();
        long before = load.acknowledged.size();
        await(
            "commands after the addition",
            Duration.ofSeconds(20),
            () -> load.acknowledged.size() > before + 200);

        NodeId backup = backupOtherThan(cluster, added.id());
        cluster.removeNode(backup);
        assertMembers(cluster, without(List.of("n1", "n2", "n3", "n4"), backup.value()));

        NodeId lost = backupOtherThan(cluster, added.id());
        cluster.crash(lost);
        SteadfastNode<LedgerCommand, Long> replacement = cluster.replaceNode(lost);
        assertThat(replacement.id()).isEqualTo(NodeId.of("n5"));
        List<String> expected =
            without(without(List.of("n1", "n2", "n3", "n4", "n5"), backup.value()), lost.value());
        assertMembers(cluster, expected.toArray(String[]::new));

        // A restarted member uses the journaled configuration, not the one it was built with.
        NodeId restarted =
            cluster.primary().id().equals(added.id()) ? replacement.id() : added.id();
        cluster.crash(restarted);
        SteadfastNode<LedgerCommand, Long> again = cluster.restart(restarted);
        assertThat(again.members().stream().map(m -> m.id().value()).toList())
            .containsExactlyElementsOf(expected);
        long later = load.acknowledged.size();
        await(
            "commands after the replacement",
            Duration.ofSeconds(20),
            () -> load.acknowledged.size() > later + 200);
        load.stop();
        assertThat(load.errors).hasValue(0);
        assertThat(load.indeterminate).isEmpty();
        Map<String, StateDigest> digests = awaitConvergence(cluster);
        assertThat(digests).containsOnlyKeys(expected);
        for (SteadfastNode<LedgerCommand, Long> node : cluster.nodes()) {
          Map<String, Integer> counts = appliedCounts(node);
          assertThat(ClusterTestSupport.missing(load.acknowledged, counts.keySet()))
              .as("acknowledged operations missing on %s", node.id())
              .isEmpty();
          assertThat(counts.values()).as("applied twice on %s", node.id()).allMatch(c -> c == 1);
        }
      }
    }
  }

  @Test
  void badChanges_areRefusedWithTheReason_andChangeNothing() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).start()) {
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      SteadfastNode<LedgerCommand, Long> backup =
          cluster.nodes().stream().filter(n -> !n.isPrimary()).findFirst().orElseThrow();
      Member existing = primary.members().get(0);
      assertThatThrownBy(() -> primary.addMember(existing))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("is a member already");
      assertThatThrownBy(() -> primary.removeMember(NodeId.of("n9")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("n9 is not a member");
      assertThatThrownBy(() -> primary.removeMember(primary.id()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("switch over to another member first");
      Member https =
          new Member(
              NodeId.of("n7"),
              InetSocketAddress.createUnresolved("127.0.0.1", 1),
              java.net.URI.create("https://127.0.0.1:2"));
      assertThatThrownBy(() -> primary.addMember(https))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("the endpoint must be http://");
      assertThatThrownBy(() -> backup.removeMember(primary.id()))
          .isInstanceOf(NotPrimaryException.class);
      // A member that never answers: the change is abandoned after the staging timeout, and the
      // configuration stays as it was.
      Member silent =
          new Member(NodeId.of("n8"), InetSocketAddress.createUnresolved("127.0.0.1", 1), null);
      assertThatThrownBy(() -> primary.addMember(silent))
          .isInstanceOf(io.steadfast.api.SteadfastException.class);
      assertMembers(cluster, "n1", "n2", "n3");
    }
  }

  @Test
  void aRemoteClient_learnsMembersAddedAfterItWasBuilt(@TempDir Path keys) throws Exception {
    TestTokens tokens = TestTokens.issuer(keys.resolve("jwks.json"));
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .authenticator(JwtAuthenticator.jwks(tokens.jwks()))
            .start()) {
      // Built when the members were n1, n2 and n3.
      SteadfastClient<LedgerCommand, Long> client =
          cluster.remoteClient(
              ClientCredentials.none().bearerToken(() -> tokens.token("alice", "clerk")));
      Session<LedgerCommand, Long> session = client.openSession(Principal.of("alice", "clerk"));
      assertThat(session.execute(new LedgerCommand.Deposit("a", 1, "r-1"))).isEqualTo(1L);
      NodeId first = cluster.primary().id();
      List<NodeId> others = cluster.ids().stream().filter(id -> !id.equals(first)).toList();
      NodeId newest = null;
      for (NodeId old : others) {
        newest = cluster.replaceNode(old).id();
      }
      cluster.switchover(java.util.Objects.requireNonNull(newest));
      assertThat(session.execute(new LedgerCommand.Deposit("a", 1, "r-2"))).isEqualTo(2L);
      // The last member the client was built with goes away: only what it learned reaches the
      // cluster now.
      cluster.removeNode(first);
      assertThat(session.execute(new LedgerCommand.Deposit("a", 1, "r-3"))).isEqualTo(3L);
      assertThat(appliedCounts(cluster.primary()))
          .containsEntry("r-1", 1)
          .containsEntry("r-2", 1)
          .containsEntry("r-3", 1);
    }
  }

  private static NodeId backupOtherThan(EmbeddedCluster<LedgerCommand, Long> cluster, NodeId keep) {
    NodeId primary = cluster.primary().id();
    return cluster.ids().stream()
        .filter(id -> !id.equals(primary) && !id.equals(keep))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> without(List<String> ids, String gone) {
    return ids.stream().filter(id -> !id.equals(gone)).toList();
  }

  private static void assertMembers(EmbeddedCluster<LedgerCommand, Long> cluster, String... ids) {
    List<String> expected = List.of(ids);
    await(
        "every running member to know the members " + expected,
        Duration.ofSeconds(20),
        () ->
            cluster.nodes().stream()
                .filter(n -> !n.stopped())
                .allMatch(
                    n -> n.members().stream().map(m -> m.id().value()).toList().equals(expected)));
  }

  private static void assertMembers(
      EmbeddedCluster<LedgerCommand, Long> cluster, List<String> ids) {
    assertMembers(cluster, ids.toArray(String[]::new));
  }
}
