package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A primary whose process ends is found dead by a backup (its journal port refuses connections),
 * which stands for election at once instead of waiting out the election timeout.
 */
class DeadPrimaryIT {

  @Test
  void aCrashedPrimary_isFoundDeadByABackup_whichStandsForElection() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).meterRegistry(registry).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("dead-primary", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 5, "d-1"));
      NodeId victim = cluster.primary().id();

      crashAndAwaitSuccessor(cluster, victim);

      double stood = foundDead(registry, "election", "started");
      assertThat(stood).as("elections started because the primary's port refused").isPositive();
      assertThat(session.execute(new LedgerCommand.Deposit("acct", 5, "d-2"))).isEqualTo(10L);
    }
  }

  @Test
  void aCrashedPrimary_isNoticedByItsConnectionsEnding_longBeforeItsSilenceWouldTell() {
    // With a 3-6 s election timeout the silence alone would be noticed after 2 s at the earliest
    // (two thirds of the minimum); the crash closes the primary's connections at once.
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .electionTimeout(Duration.ofSeconds(3), Duration.ofSeconds(6))
            .meterRegistry(registry)
            .start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("connections", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 5, "c-1"));
      NodeId victim = cluster.primary().id();

      crashAndAwaitSuccessor(cluster, victim);
      // The member that stands probed either because a connection of its own ended or because
      // the other backup, whose connection ended, asked where its journal ends.
      assertThat(
              foundDead(registry, "noticed", "connection_ended")
                  + foundDead(registry, "noticed", "peer_asked"))
          .as("elections started after a connection from the primary ended")
          .isPositive();
      assertThat(foundDead(registry, "noticed", "silence")).isZero();
      assertThat(session.execute(new LedgerCommand.Deposit("acct", 5, "c-2"))).isEqualTo(10L);
    }
  }

  @Test
  void withTheProbeOff_failoverWaitsForTheElectionTimeout_andNobodyStandsEarly() {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes)
            .deadPrimaryProbe(false)
            .meterRegistry(registry)
            .start()) {
      NodeId victim = cluster.primary().id();
      crashAndAwaitSuccessor(cluster, victim);
      assertThat(registry.find("steadfast.primary.found.dead").counters()).isEmpty();
    }
  }

  @Test
  void aMemberAwaitingAnElection_holdsRefusedRequests_untilAPrimaryIsReady() throws Exception {
    List<RoleChange> changes = ClusterTestSupport.newChangeLog();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(changes).start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("held", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 5, "h-1"));
      NodeId primary = cluster.primary().id();
      List<NodeId> backups =
          cluster.nodes().stream()
              .map(SteadfastNode::id)
              .filter(id -> !id.equals(primary))
              .toList();
      NodeId stander = backups.get(0);
      NodeId other = backups.get(1);
      java.util.concurrent.Executor inline = Runnable::run;

      assertThat(runtime(cluster, stander).primarySettled(Duration.ofSeconds(30), inline))
          .as("a backup with a live primary does not wait")
          .isCompletedWithValue(false);
      assertThat(runtime(cluster, primary).primarySettled(Duration.ofSeconds(30), inline))
          .as("the ready primary does not wait")
          .isCompletedWithValue(false);

      // With one backup down and then the primary killed, the last member finds the primary dead
      // and stands, but cannot win alone: it waits for a primary that does not come yet.
      cluster.crash(other);
      cluster.crash(primary);
      await(
          "the remaining member to expect an election",
          Duration.ofSeconds(20),
          () -> runtime(cluster, stander).primarySettled(Duration.ZERO, inline).join());
      java.util.concurrent.CompletableFuture<Boolean> held =
          runtime(cluster, stander).primarySettled(Duration.ofSeconds(60), inline);
      assertThat(held).as("held while no primary can be elected").isNotDone();

      cluster.restart(other);
      assertThat(held.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("released once a primary is ready")
          .isTrue();
      // Released when it became the ready primary or heard of the new one: either way a request
      // tried again now is served, or refused naming a live member.
      assertThat(cluster.node(stander).status().primary())
          .as("the primary the held member knows when the hold ended")
          .isPresent()
          .get()
          .isNotEqualTo(primary);
    }
  }

  @Test
  void aBackupAsksAnotherWhereItsJournalEnds_andTheQuestionUnseatsNoLivePrimary() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EmbeddedCluster<LedgerCommand, Long> cluster =
        ClusterTestSupport.ledgerCluster(ClusterTestSupport.newChangeLog())
            .meterRegistry(registry)
            .start()) {
      Session<LedgerCommand, Long> session =
          cluster.client().openSession(Principal.of("journal-ends", "clerk"));
      session.execute(new LedgerCommand.Deposit("acct", 5, "j-1"));
      NodeId primary = cluster.primary().id();
      List<NodeId> backups = cluster.ids().stream().filter(id -> !id.equals(primary)).toList();
      NodeRuntime<LedgerCommand, Long> asking = runtime(cluster, backups.get(0));
      NodeRuntime<LedgerCommand, Long> asked = runtime(cluster, backups.get(1));

      io.steadfast.runtime.internal.node.DeadPrimaryWatch.JournalEnd answer =
          asking.askJournalEnd(asked.id()).get(10, java.util.concurrent.TimeUnit.SECONDS);
      io.steadfast.runtime.internal.node.DeadPrimaryWatch.JournalEnd own =
          java.util.Objects.requireNonNull(asked.journalEnd());
      // The primary may append an entry of its own between the answer and the read.
      assertThat(answer.term()).isEqualTo(own.term());
      assertThat(answer.index()).isPositive().isLessThanOrEqualTo(own.index());
      // The question made the asked backup probe the primary; it found it listening: nobody stood.
      assertThat(foundDead(registry, "election", "started")).isZero();
      assertThat(cluster.primary().id()).isEqualTo(primary);
    }
  }

  private static NodeRuntime<LedgerCommand, Long> runtime(
      EmbeddedCluster<LedgerCommand, Long> cluster, NodeId id) {
    return cluster.node(id).runtime();
  }

  /** Crashes {@code victim} and waits until another member is the ready primary. */
  private static void crashAndAwaitSuccessor(
      EmbeddedCluster<LedgerCommand, Long> cluster, NodeId victim) {
    cluster.crash(victim);
    await(
        "a new primary",
        Duration.ofSeconds(20),
        () -> cluster.nodes().stream().anyMatch(n -> !n.id().equals(victim) && n.isPrimary()));
  }

  /** The dead-primary elections counted with tag {@code key} = {@code value}, over all members. */
  private static double foundDead(SimpleMeterRegistry registry, String key, String value) {
    return registry.find("steadfast.primary.found.dead").tag(key, value).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
