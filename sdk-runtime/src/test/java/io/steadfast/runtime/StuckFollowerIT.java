package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.internal.node.ReplicationWatch;
import io.steadfast.runtime.internal.ratis.RatisEngine;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.impl.LeaderBeliefs;
import org.junit.jupiter.api.Test;

/**
 * A follower that answers the primary but never receives the entries it lacks, because the engine's
 * leader wrongly believes it holds them (the state seen once in the membership system test, after a
 * member that had been primary was killed and restarted): the primary notices and hands its role
 * over, and the follower catches up under the new primary.
 */
class StuckFollowerIT {

  @Test
  void aFollowerTheLeaderWronglyBelievesCaughtUp_isRepairedByAHandOver() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).meterRegistry(registry).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("stuck-follower", "clerk"));
      long balance = 0;
      for (int i = 0; i < 20; i++) {
        balance = session.execute(new LedgerCommand.Deposit("acct", 1, "before-" + i));
      }
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      NodeId stuck =
          cluster.ids().stream().filter(id -> !id.equals(primary.id())).findFirst().orElseThrow();

      // The primary's status shows each voting member's commit index as the member counts it and
      // as the engine's leader records it.
      await(
          "the primary's status to show both followers' own commit indexes",
          Duration.ofSeconds(10),
          () ->
              followers(primary).size() == 2
                  && followers(primary).values().stream()
                      .allMatch(f -> f.get("commitIndex") instanceof Long));

      // The follower is away while the journal grows; the leader is then made to believe it
      // holds everything, so on its return it is sent heartbeats only and answers each one
      // "inconsistent".
      cluster.stop(stuck);
      for (int i = 0; i < 20; i++) {
        balance = session.execute(new LedgerCommand.Deposit("acct", 1, "away-" + i));
      }
      long believed = LeaderBeliefs.believeCaughtUp(division(primary), stuck.value());
      cluster.restart(stuck);

      // The status shows the disagreement: the leader's record is ahead of the member's own count.
      await(
          "the primary's status to show the stuck follower behind the engine's record of it",
          Duration.ofSeconds(10),
          () -> {
            Map<String, Object> seen = followers(primary).get(stuck.value());
            return seen != null
                && seen.get("commitIndex") instanceof Long own
                && seen.get("engineRecordCommitIndex") instanceof Long record
                && own < record;
          });

      // No more traffic: the leader sends heartbeats only (with entries to send, the engine would
      // fall back to the follower's own count). Within the watch's stall time and a few beats the
      // primary hands over.
      long deadline = System.nanoTime() + ReplicationWatch.STALL.plusSeconds(15).toNanos();
      while (handedOver(registry) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(handedOver(registry))
          .as(
              "hand-overs for a stalled follower (%s believed at %d, at %d by its own count;"
                  + " progress seen by %s: %s)",
              stuck,
              believed,
              engine(cluster.node(stuck)).commitIndex(),
              primary.id(),
              progress(primary))
          .isEqualTo(1);
      await(
          "a primary other than the stuck follower",
          Duration.ofSeconds(20),
          () -> cluster.nodes().stream().anyMatch(n -> n.isPrimary() && !n.id().equals(stuck)));
      assertThat(session.execute(new LedgerCommand.Deposit("acct", 1, "last")))
          .isEqualTo(balance + 1);
      assertThat(awaitConvergence(cluster)).hasSize(3);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> followers(
      SteadfastNode<LedgerCommand, Long> node) {
    return (Map<String, Map<String, Object>>) node.runtime().statusFields().get("followers");
  }

  private static double handedOver(SimpleMeterRegistry registry) {
    return registry
        .find("steadfast.replication.stalls")
        .tag("action", "handed-over")
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static Object progress(SteadfastNode<LedgerCommand, Long> node) throws Exception {
    return engine(node).voterProgress();
  }

  private static RatisEngine engine(SteadfastNode<LedgerCommand, Long> node) throws Exception {
    Field field = NodeRuntime.class.getDeclaredField("engine");
    field.setAccessible(true);
    return (RatisEngine) field.get(node.runtime());
  }

  private static RaftServer.Division division(SteadfastNode<LedgerCommand, Long> node)
      throws Exception {
    Field field = RatisEngine.class.getDeclaredField("server");
    field.setAccessible(true);
    RaftServer server = (RaftServer) field.get(engine(node));
    return server.getDivision(server.getGroupIds().iterator().next());
  }
}
