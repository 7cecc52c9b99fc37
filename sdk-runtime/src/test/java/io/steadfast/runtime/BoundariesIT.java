package io.steadfast.runtime;

import static io.steadfast.runtime.ClusterTestSupport.CODEC;
import static io.steadfast.runtime.ClusterTestSupport.appliedCounts;
import static io.steadfast.runtime.ClusterTestSupport.await;
import static io.steadfast.runtime.ClusterTestSupport.awaitConvergence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.ApplicationFaultException;
import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.ResultUnavailableException;
import io.steadfast.api.role.Role;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.SessionExpiredException;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.ratis.NodeHooks;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exactly-once at the boundaries, through the public API on a real 3-node cluster: one test per
 * finding of the exactly-once issue (re-open, outcomes of batches in flight, expiry, failures after
 * apply, hostile input, errors, replicated text, stale promotions, shutdown).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundariesIT {

  private static final Principal CLERK = Principal.of("carol", "clerk");
  private static final Duration TTL = Duration.ofMinutes(5);

  private final List<RoleChange> changes = ClusterTestSupport.newChangeLog();
  private EmbeddedCluster<LedgerCommand, Long> cluster;

  /** The ledger's codec, except that a payload naming "explode" makes decoding throw a bug. */
  static final class ExplodingCodec extends io.steadfast.runtime.testapp.ForwardingLedgerCodec {
    @Override
    public LedgerCommand decodeCommand(byte[] bytes) {
      if (new String(bytes, StandardCharsets.UTF_8).contains("explode")) {
        throw new IllegalStateException("codec defect");
      }
      return super.decodeCommand(bytes);
    }
  }

  @BeforeAll
  void start() {
    cluster =
        EmbeddedCluster.<LedgerCommand, Long>builder()
            .nodes(3)
            .application(io.steadfast.runtime.testapp.LedgerApplication::new)
            .codec(new ExplodingCodec())
            .requestDeadline(Duration.ofSeconds(15))
            .onNode(node -> node.addRoleListener(changes::add))
            .start();
  }

  @AfterEach
  void everyNodeRunning() {
    for (SteadfastNode<LedgerCommand, Long> node : cluster.nodes()) {
      if (node.stopped()) {
        cluster.restart(node.id());
      }
    }
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private static LedgerCommand.Deposit deposit(String account, long amount, String op) {
    return new LedgerCommand.Deposit(account, amount, op);
  }

  /** Finding 1: a re-opened session went on numbering from 0 and the journal took Y for a retry. */
  @Test
  void reopenedSession_appliesItsNewCommand_andCloseThenReopenKeepsLateRetriesRight() {
    SteadfastClient<LedgerCommand, Long> client = cluster.client();
    SessionId id = SessionId.of("reopen-u1");
    Session<LedgerCommand, Long> first = client.openSession(id, CLERK, TTL);
    assertThat(first.execute(deposit("reopen", 5, "reopen-x"))).isEqualTo(5);

    Session<LedgerCommand, Long> again = client.openSession(id, CLERK, TTL);
    assertThat(again.execute(deposit("reopen", 7, "reopen-y"))).isEqualTo(12);
    assertThat(again.lastSequence()).isEqualTo(2);

    again.close();
    Session<LedgerCommand, Long> afterClose = client.openSession(id, CLERK, TTL);
    // A late retry of the session's last request gets that request's outcome, not a collision;
    // a retry of one since superseded is refused as stale, never answered with another's result.
    assertThat(again.audit().resend(2, deposit("reopen", 7, "reopen-y"))).isEqualTo(12);
    assertThatThrownBy(() -> first.audit().resend(1, deposit("reopen", 5, "reopen-x")))
        .isInstanceOf(io.steadfast.api.session.OutOfSequenceException.class);
    assertThat(afterClose.lastSequence()).isEqualTo(2);
    assertThat(afterClose.execute(deposit("reopen", 1, "reopen-z"))).isEqualTo(13);
    assertThat(appliedCounts(cluster.primary()))
        .containsEntry("reopen-x", 1)
        .containsEntry("reopen-y", 1)
        .containsEntry("reopen-z", 1);
  }

  /**
   * Finding 2: sessions opened on the primary got NotPrimaryException ("nothing journaled") for
   * commands that committed, and their retry() could only reach the dead node.
   */
  @Test
  void sessionsOnTheKilledPrimary_neverHearNotJournaledForWhatCommits_andSettleThroughTheCluster()
      throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> refused = ConcurrentHashMap.newKeySet();
    Set<String> unsettled = ConcurrentHashMap.newKeySet();
    for (int round = 1; round <= 4; round++) {
      SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        Session<LedgerCommand, Long> session = primary.openSession(Principal.of("w" + w, "clerk"));
        String prefix = "np-" + round + "-" + w + "-";
        Thread worker =
            new Thread(
                () -> {
                  for (int k = 1; running.get() && k < 100_000; k++) {
                    String op = prefix + k;
                    try {
                      session.execute(deposit("np", 1, op));
                      acknowledged.add(op);
                    } catch (NotPrimaryException e) {
                      refused.add(op);
                    } catch (IndeterminateOutcomeException e) {
                      try {
                        session.retry();
                        acknowledged.add(op);
                      } catch (RuntimeException again) {
                        unsettled.add(op + ": " + again);
                        return;
                      }
                    }
                  }
                },
                "np-worker-" + w);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
      long before = acknowledged.size();
      await(
          "load before the kill", Duration.ofSeconds(20), () -> acknowledged.size() > before + 80);
      cluster.crash(primary.id());
      long atKill = acknowledged.size();
      await("load after the kill", Duration.ofSeconds(20), () -> acknowledged.size() > atKill + 80);
      running.set(false);
      for (Thread worker : workers) {
        worker.join(30_000);
      }
      cluster.restart(primary.id());
    }
    awaitConvergence(cluster);
    Map<String, Integer> counts = appliedCounts(cluster.primary());
    assertThat(unsettled).as("requests retry() could not settle").isEmpty();
    assertThat(
            acknowledged.stream()
                .filter(op -> counts.getOrDefault(op, 0) != 1)
                .collect(Collectors.toList()))
        .as("acknowledged but not applied exactly once")
        .isEmpty();
    assertThat(refused.stream().filter(op -> counts.containsKey(op)).collect(Collectors.toList()))
        .as("reported as not journaled, yet applied")
        .isEmpty();
  }

  /** Finding 3: the session expired before the retry, and the applied command's answer was lost. */
  @Test
  void expiredSession_lateRetryOfItsLastCommand_getsTheOriginalResult() {
    Session<LedgerCommand, Long> session =
        cluster.client().openSession(SessionId.of("expiring"), CLERK, Duration.ofMillis(300));
    long result = session.execute(deposit("expiring", 9, "expire-x"));
    ClusterTestSupport.awaitExpired(session, Duration.ofSeconds(15));
    assertThat(session.audit().resend(1, deposit("expiring", 9, "expire-x"))).isEqualTo(result);
    assertThatThrownBy(() -> session.execute(deposit("expiring", 1, "expire-y")))
        .isInstanceOf(SessionExpiredException.class);
    assertThat(appliedCounts(cluster.primary()))
        .containsEntry("expire-x", 1)
        .doesNotContainKey("expire-y");
  }

  /** Finding 4: a null result was recorded as applied and decoded by the client as "malformed". */
  @Test
  void nullResult_isReportedApplied_withoutAResult() {
    Session<LedgerCommand, Long> session = cluster.client().openSession(CLERK);
    assertThatThrownBy(() -> session.execute(new LedgerCommand.ReturnNothing("null-1")))
        .isInstanceOf(ResultUnavailableException.class)
        .hasMessageContaining("apply returned null");
    assertThat(appliedCounts(cluster.primary())).containsEntry("null-1", 1);
    // The number was used: a retry gets the same answer, and the next command goes on.
    assertThatThrownBy(() -> session.audit().resend(1, new LedgerCommand.ReturnNothing("null-1")))
        .isInstanceOf(ResultUnavailableException.class);
    assertThat(session.execute(deposit("after-null", 1, "null-2"))).isEqualTo(1);
    assertThat(appliedCounts(cluster.primary())).containsEntry("null-1", 1);
  }

  /**
   * Journals {@code requests} as one batch straight through {@code node}'s engine, as a client that
   * skips the door would (a command sent with its session's OPEN, or a foreign client on the
   * engine's port), and returns their outcomes.
   */
  private static List<Outcome> journalPastTheDoor(SteadfastNode<?, ?> node, Request... requests)
      throws Exception {
    Field field = NodeRuntime.class.getDeclaredField("engine");
    field.setAccessible(true);
    io.steadfast.runtime.internal.ratis.RatisEngine engine =
        (io.steadfast.runtime.internal.ratis.RatisEngine) field.get(node.runtime());
    byte[] reply =
        engine
            .write(
                io.steadfast.runtime.internal.journal.WireFormat.encode(
                    new io.steadfast.runtime.internal.journal.JournalEntry.Batch(
                        System.currentTimeMillis(), List.of(requests))))
            .get(15, TimeUnit.SECONDS);
    return io.steadfast.runtime.internal.journal.WireFormat.decodeOutcomes(reply);
  }

  /** Finding 5: a command journaled with its session's OPEN skipped the door's checks. */
  @Test
  void commandJournaledWithItsOpen_isStillAuthorized_fromTheJournaledPrincipal() throws Exception {
    SessionId id = SessionId.of("mallory-1");
    List<Outcome> outcomes =
        journalPastTheDoor(
            cluster.primary(),
            Request.open(id, Principal.of("mallory", "guest"), TTL),
            Request.command(id, 1, CODEC.encodeCommand(deposit("vault", 1_000_000, "steal-1"))));

    assertThat(outcomes.get(0).status()).hasToString("APPLIED");
    assertThat(outcomes.get(1).status()).hasToString("NOT_AUTHORIZED");
    awaitConvergence(cluster);
    for (SteadfastNode<LedgerCommand, Long> node : cluster.nodes()) {
      assertThat(appliedCounts(node)).doesNotContainKey("steal-1");
    }
  }

  /** Finding 5: a codec exception on the apply path closed the engine on every replica. */
  @Test
  void codecDefectOnTheApplyPath_isMalformed_andNoReplicaStops() throws Exception {
    SessionId id = SessionId.of("explode-1");
    List<Outcome> outcomes =
        journalPastTheDoor(
            cluster.primary(),
            Request.open(id, CLERK, TTL),
            Request.command(id, 1, CODEC.encodeCommand(deposit("a", 1, "explode"))));

    assertThat(outcomes.get(1).status()).hasToString("MALFORMED");
    Session<LedgerCommand, Long> after = cluster.client().openSession(CLERK);
    assertThat(after.execute(deposit("after-bad-codec", 3, "bad-codec-after"))).isEqualTo(3);
    awaitConvergence(cluster);
    assertThat(cluster.nodes()).noneMatch(SteadfastNode::stopped);
  }

  /** The Error policy: an AssertionError from apply is a fault on every replica, not an outage. */
  @Test
  void errorFromApply_isAnApplicationFault_andTheClusterKeepsServing() {
    Session<LedgerCommand, Long> session = cluster.client().openSession(CLERK);
    assertThatThrownBy(() -> session.execute(new LedgerCommand.Fail("fail-1")))
        .isInstanceOf(ApplicationFaultException.class)
        .hasMessageContaining("AssertionError");
    assertThat(session.execute(deposit("after-fail", 2, "fail-2"))).isEqualTo(2);
    awaitConvergence(cluster);
    for (SteadfastNode<LedgerCommand, Long> node : cluster.nodes()) {
      assertThat(node.stopped()).isFalse();
      assertThat(node.status().applicationFaults()).isPositive();
      assertThat(appliedCounts(node)).containsEntry("fail-1", 1);
    }
  }

  /** Finding 6: a rejection's message with an identity hash made the replicas' states differ. */
  @Test
  void rejectionWithReplicaSpecificMessage_leavesEqualReplicas() {
    Session<LedgerCommand, Long> session = cluster.client().openSession(CLERK);
    assertThatThrownBy(() -> session.execute(new LedgerCommand.Refuse()))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("java.lang.Object@");
    awaitConvergence(cluster);
  }

  /**
   * Finding 7: Raft's "ready as leader" notice can arrive after Raft already demoted the node (its
   * not-leader notice came first). Deliver such a late notice to a backup: it must stay a backup.
   */
  @Test
  void lateLeaderReadyNotice_onANodeThatDoesNotLead_doesNotMakeItPrimary() throws Exception {
    SteadfastNode<LedgerCommand, Long> primary = cluster.primary();
    SteadfastNode<LedgerCommand, Long> backup =
        cluster.nodes().stream()
            .filter(n -> !n.id().equals(primary.id()))
            .findFirst()
            .orElseThrow();
    long epoch = backup.status().epoch();
    hooksOf(backup).primaryReady(epoch, epoch - 1, null);

    assertThat(backup.role()).isEqualTo(Role.BACKUP);
    assertThat(backup.isPrimary()).isFalse();
    assertThat(changes)
        .noneMatch(
            c -> c.node().equals(backup.id()) && c.to() == Role.PRIMARY && c.epoch() == epoch);
  }

  private static NodeHooks hooksOf(SteadfastNode<?, ?> node) throws ReflectiveOperationException {
    Object adapter = node.runtime().stateMachine();
    Field hooks = adapter.getClass().getDeclaredField("hooks");
    hooks.setAccessible(true);
    return (NodeHooks) hooks.get(adapter);
  }

  /** Finding 8: closing the whole cluster told the last primary's application FAILOVER. */
  @Test
  void closingACluster_isNeverReportedAsAFailover_andLeavesNoThreadsBehind() {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    List<RoleChange> log = ClusterTestSupport.newChangeLog();
    EmbeddedCluster<LedgerCommand, Long> own = ClusterTestSupport.ledgerCluster(log).start();
    // The last node in close order leads, so it watches its backups go one by one.
    SteadfastNode<LedgerCommand, Long> last = own.nodes().get(own.nodes().size() - 1);
    own.switchover(last.id());
    own.client().openSession(CLERK).execute(deposit("close", 1, "close-1"));
    int beforeClose = log.size();
    own.close();

    List<RoleChange> atClose = List.copyOf(log.subList(beforeClose, log.size()));
    assertThat(atClose).noneMatch(c -> c.reason() == RoleChange.Reason.FAILOVER);
    assertThat(atClose).filteredOn(c -> c.to() == Role.ENDED).hasSize(3);
    List<String> left = new ArrayList<>();
    try {
      await(
          "non-daemon threads started by the cluster to end",
          Duration.ofSeconds(10),
          () -> {
            left.clear();
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                .forEach(t -> left.add(t.getName()));
            return left.isEmpty();
          });
    } catch (AssertionError e) {
      throw new AssertionError("threads still running after close: " + left, e);
    }
  }
}
