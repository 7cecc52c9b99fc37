package io.steadfast.testkit.cluster;

import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.SessionId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the replicas' applications and the nodes' role listeners reported during a scenario:
 * the apply calls by position (the first report of a position is kept, later ones are compared with
 * it), role changes as the runtime delivered them and as the application received them.
 *
 * <p>Thread-safe: written by every node's apply and role threads at once.
 */
final class Observations<C> {

  /**
   * A role change as one party saw it.
   *
   * @param change the change
   * @param threw what the application's {@code onRoleChange} threw, or null
   * @param overlapping whether another callback of the same node was still running
   * @param nanos when it was seen ({@link System#nanoTime()})
   */
  record RoleEvent(RoleChange change, String threw, boolean overlapping, long nanos) {}

  private final NavigableMap<Long, Applied<C>> byIndex = new ConcurrentSkipListMap<>();
  private final Map<SessionId, NavigableMap<Long, Applied<C>>> bySession =
      new ConcurrentHashMap<>();
  private final List<String> conflicts = new CopyOnWriteArrayList<>();
  private final Map<String, Long> callsPerNode = new ConcurrentHashMap<>();
  private final List<RoleEvent> delivered = new CopyOnWriteArrayList<>();
  private final List<RoleEvent> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> roleCallbacksRunning = new ConcurrentHashMap<>();

  void applied(Applied<C> call) {
    callsPerNode.merge(call.node(), 1L, Long::sum);
    Applied<C> first = byIndex.putIfAbsent(call.position().index(), call);
    if (first == null) {
      bySession
          .computeIfAbsent(call.session(), s -> new ConcurrentSkipListMap<>())
          .put(call.position().index(), call);
    } else if (!first.sameCall(call)) {
      conflicts.add(
          "position index "
              + call.position().index()
              + " was applied as\n  "
              + first
              + "\nand as\n  "
              + call);
    }
  }

  void delivered(RoleChange change) {
    delivered.add(new RoleEvent(change, "", false, System.nanoTime()));
  }

  /** Notes that a role callback started on {@code node}; true if another one is still running. */
  boolean enterRoleCallback(String node) {
    return roleCallbacksRunning.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet()
        > 1;
  }

  void leaveRoleCallback(String node) {
    java.util.Objects.requireNonNull(roleCallbacksRunning.get(node), "entered before")
        .decrementAndGet();
  }

  void received(RoleChange change, String threw, boolean overlapping) {
    received.add(new RoleEvent(change, threw, overlapping, System.nanoTime()));
  }

  /** Every apply call by position index (the first report of each). */
  NavigableMap<Long, Applied<C>> byIndex() {
    return Collections.unmodifiableNavigableMap(byIndex);
  }

  /** The apply calls of one session, in position order; the k-th is its request number k. */
  List<Applied<C>> ofSession(SessionId session) {
    NavigableMap<Long, Applied<C>> calls = bySession.get(session);
    return calls == null ? List.of() : new ArrayList<>(calls.values());
  }

  /** Positions reported twice with different content. */
  List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  /** How many apply calls each node made. */
  Map<String, Long> callsPerNode() {
    return Map.copyOf(callsPerNode);
  }

  /** Role changes as the nodes' listeners got them, in delivery order. */
  List<RoleEvent> delivered() {
    return List.copyOf(delivered);
  }

  /** Role changes as the applications got them, in delivery order. */
  List<RoleEvent> received() {
    return List.copyOf(received);
  }
}
