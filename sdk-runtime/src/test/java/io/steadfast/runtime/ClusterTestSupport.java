package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.role.RoleChange;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Builds ledger clusters for the runtime's cluster tests, and waits for conditions. */
final class ClusterTestSupport {

  static final JacksonCodec<LedgerCommand, Long> CODEC =
      JacksonCodec.of(LedgerCommand.class, Long.class);

  private ClusterTestSupport() {}

  static EmbeddedCluster.Builder<LedgerCommand, Long> ledgerCluster(List<RoleChange> changes) {
    return EmbeddedCluster.<LedgerCommand, Long>builder()
        .nodes(3)
        .application(LedgerApplication::new)
        .codec(CODEC)
        .requestDeadline(Duration.ofSeconds(15))
        .onNode(node -> node.addRoleListener(changes::add));
  }

  static List<RoleChange> newChangeLog() {
    return new CopyOnWriteArrayList<>();
  }

  /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    io.steadfast.runtime.testapp.Await.until(what, timeout, condition);
  }

  /** Waits until the primary's replicated record says {@code session} expired. */
  static void awaitExpired(Session<?, ?> session, Duration timeout) {
    await(
        "session " + session.id() + " to expire",
        timeout,
        () -> {
          try {
            session.resumePoint();
            return false;
          } catch (io.steadfast.api.session.SessionExpiredException expired) {
            return true;
          }
        });
  }

  /** Waits until every running node has applied the same journal index, then compares digests. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Map<String, StateDigest> awaitConvergence(EmbeddedCluster<LedgerCommand, Long> cluster) {
    await(
        "replicas to converge",
        Duration.ofSeconds(60),
        () -> {
          List<NodeStatus> statuses = cluster.status();
          long commit = statuses.stream().mapToLong(NodeStatus::commitIndex).max().orElse(-1);
          return statuses.size() == cluster.ids().size()
              && statuses.stream().allMatch(s -> s.appliedIndex() == commit);
        });
    // Fingerprints are comparable only at one journal index: an idle primary journals empty
    // entries (leader time moves), so take them again until all replicas stand at the same index.
    Map<String, StateDigest>[] taken = new Map[1];
    await(
        "replicas at one journal index",
        Duration.ofSeconds(30),
        () -> {
          taken[0] =
              cluster.nodes().stream()
                  .filter(n -> !n.stopped())
                  .collect(Collectors.toMap(n -> n.id().value(), n -> n.audit().digest()));
          return taken[0].values().stream().map(StateDigest::journalIndex).distinct().count() == 1;
        });
    Map<String, StateDigest> digests = taken[0];
    assertThat(digests.values().stream().map(StateDigest::sha256).distinct())
        .as("fingerprints of all replicas %s", digests)
        .hasSize(1);
    assertThat(digests.values().stream().map(StateDigest::position).distinct()).hasSize(1);
    return digests;
  }

  /**
   * The elements of {@code expected} that {@code actual} lacks (hash lookups: histories are large).
   */
  static java.util.Set<String> missing(
      java.util.Collection<String> expected, java.util.Collection<String> actual) {
    java.util.Set<String> missing = new java.util.TreeSet<>(expected);
    missing.removeAll(new java.util.HashSet<>(actual));
    return missing;
  }

  static Map<String, Integer> appliedCounts(SteadfastNode<LedgerCommand, Long> node) {
    return node.audit().inspect(app -> ((LedgerApplication) app).appliedCounts());
  }
}
