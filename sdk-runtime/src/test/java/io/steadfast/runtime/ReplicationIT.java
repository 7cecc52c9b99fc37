package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.appliedCounts;
import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replication, rejection and redirection on one shared three-node cluster. */
class ReplicationIT {

  private static final List<RoleChange> CHANGES = ClusterTestSupport.newChangeLog();
  private static EmbeddedCluster<LedgerCommand, Long> cluster;

  @BeforeAll
  static void start() {
    cluster = ClusterTestSupport.ledgerCluster(CHANGES).checkpointEvery(200).start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void concurrentSubmitters_tenThousandCommands_allReplicasEndIdentical() throws Exception {
    long handedOverBefore = handedOver();
    try (LedgerLoad load = new LedgerLoad(cluster.client(), 16, 625)) {
      load.awaitDone(240_000);
      assertThat(load.errors).hasValue(0);
      assertThat(load.acknowledged).hasSize(10_000);
    }
    // The primary applied the commands its door had decoded, not decoding them a second time (all
    // of them unless leadership moved while batches were in flight).
    assertThat(handedOver() - handedOverBefore).isGreaterThanOrEqualTo(9_000);
    Map<String, StateDigest> digests = awaitConvergence(cluster);
    assertThat(digests).hasSize(3);
    for (SteadfastNode<LedgerCommand, Long> node : cluster.nodes()) {
      Map<String, Integer> counts = appliedCounts(node);
      assertThat(counts.entrySet().stream().filter(e -> e.getKey().startsWith("u")))
          .hasSize(10_000)
          .allMatch(e -> e.getValue() == 1);
    }
  }

  private static long handedOver() {
    return cluster.nodes().stream()
        .mapToLong(node -> node.runtime().stateMachine().decodedAtDoor().handedOver())
        .sum();
  }

  @Test
  void firstPrimary_seesStartThenPrimaryWithPositiveEpoch() {
    NodeId primary = cluster.primary().id();
    await(
        "role change delivered",
        Duration.ofSeconds(5),
        () -> CHANGES.stream().anyMatch(c -> c.node().equals(primary) && c.to() == Role.PRIMARY));
    RoleChange promotion =
        CHANGES.stream()
            .filter(c -> c.node().equals(primary) && c.to() == Role.PRIMARY)
            .findFirst()
            .orElseThrow();
    assertThat(promotion.reason()).isEqualTo(RoleChange.Reason.START);
    assertThat(promotion.epoch()).isPositive();
    assertThat(
            CHANGES.stream().filter(c -> c.node().equals(primary)).findFirst().orElseThrow().to())
        .isEqualTo(Role.BACKUP);
  }

  @Test
  void applyThrows_rejectionIsTypedAndChangesNothing() {
    Session<LedgerCommand, Long> session =
        cluster.client().openSession(Principal.of("rejecter", "clerk"));
    session.execute(new LedgerCommand.Deposit("reject-acct", 5, "reject-1"));
    StateDigest before = cluster.primary().audit().digest();

    assertThatThrownBy(() -> session.execute(new LedgerCommand.Overdraw("reject-acct")))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("IllegalStateException")
        .hasMessageContaining("insufficient funds in reject-acct");
    // A retry of the same request returns the same rejection, still without effect (its type: the
    // message is not kept in replicated state); the same number with another payload is refused.
    assertThatThrownBy(session::retry).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                session
                    .audit()
                    .resend(session.lastSequence(), new LedgerCommand.Overdraw("reject-acct")))
        .isInstanceOfSatisfying(
            CommandRejectedException.class,
            e -> assertThat(e.errorType()).isEqualTo("IllegalStateException"));
    assertThatThrownBy(
            () -> session.audit().resend(session.lastSequence(), new LedgerCommand.Overdraw("x")))
        .isInstanceOf(io.steadfast.api.session.SequenceConflictException.class);

    assertThat(
            cluster
                .primary()
                .query(Principal.of("auditor"), new LedgerCommand.Balance("reject-acct")))
        .isEqualTo(5L);
    StateDigest after = cluster.primary().audit().digest();
    assertThat(after.position().index()).isEqualTo(before.position().index() + 1);
    awaitConvergence(cluster);
  }

  @Test
  void backup_refusesWritesWithSuggestedPrimary() {
    SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
    SteadfastNode<LedgerCommand, Long> backup =
        cluster.nodes().stream()
            .filter(n -> !n.id().equals(primary.id()))
            .findFirst()
            .orElseThrow();
    await(
        "backup knows the primary",
        Duration.ofSeconds(5),
        () -> backup.status().primary().equals(java.util.Optional.of(primary.id())));

    await(
        "backup hears the primary",
        Duration.ofSeconds(5),
        () -> backup.status().sinceLastContact().isPresent());
    assertThat(backup.status().sinceLastContact().orElseThrow()).isLessThan(Duration.ofSeconds(2));
    assertThat(backup.status().role()).isEqualTo(Role.BACKUP);
    assertThat(primary.status().primary()).contains(primary.id());
    assertThatThrownBy(() -> backup.openSession(Principal.of("someone", "clerk")))
        .isInstanceOfSatisfying(
            NotPrimaryException.class,
            e -> {
              assertThat(e.node()).isEqualTo(backup.id());
              assertThat(e.suggestedPrimary()).contains(primary.id());
            });
  }

  @Test
  void malformedCommand_isRefusedBeforeJournalWithTypedError() {
    long before = cluster.primary().appliedPosition().index();
    assertThatThrownBy(
            () ->
                ClusterTestSupport.CODEC.decodeCommand(
                    "{\"@type\":\"Launder\",\"amount\":1}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("Launder");
    assertThatThrownBy(() -> ClusterTestSupport.CODEC.decodeCommand(new byte[] {1, 2, 3}))
        .isInstanceOf(MalformedCommandException.class);
    Session<LedgerCommand, Long> session =
        cluster.client().openSession(Principal.of("mal", "clerk"));
    io.steadfast.runtime.internal.journal.Outcome outcome =
        cluster
            .primary()
            .runtime()
            .submit(
                io.steadfast.runtime.internal.journal.Request.command(
                    session.id(),
                    1,
                    "{\"@type\":\"Launder\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .handle(
                (o, e) -> {
                  assertThat(e).isInstanceOf(MalformedCommandException.class);
                  return o;
                })
            .join();
    assertThat(outcome).isNull();
    assertThat(cluster.primary().appliedPosition().index()).isEqualTo(before);
  }

  @Test
  void missingRole_refusedBeforeJournal() {
    Session<LedgerCommand, Long> clerk =
        cluster.client().openSession(Principal.of("clerk1", "clerk"));
    long before = cluster.primary().appliedPosition().index();
    assertThatThrownBy(() -> clerk.execute(new LedgerCommand.CloseBooks()))
        .isInstanceOfSatisfying(
            NotAuthorizedException.class,
            e -> {
              assertThat(e.requiredRoles()).containsExactly("auditor");
              assertThat(e.user()).isEqualTo("clerk1");
            });
    assertThat(cluster.primary().appliedPosition().index()).isEqualTo(before);
    // The number was not used: the next request goes through.
    assertThat(clerk.execute(new LedgerCommand.Deposit("auth-acct", 3, "auth-1"))).isEqualTo(3L);
  }
}
