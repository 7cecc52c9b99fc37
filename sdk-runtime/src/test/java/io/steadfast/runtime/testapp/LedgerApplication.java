package io.steadfast.runtime.testapp;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.QueryContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.role.RoleChange;
import io.steadfast.api.session.ResumePoint;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small ledger for runtime tests: balances per account, and for each operation id how many times
 * it was applied, so tests can prove that nothing is applied twice.
 */
public final class LedgerApplication implements ResilientApplication<LedgerCommand, Long> {

  private final TreeMap<String, Long> balances = new TreeMap<>();
  private final TreeMap<String, Integer> applied = new TreeMap<>();
  private final List<RoleChange> roleChanges = new CopyOnWriteArrayList<>();
  private volatile String node = "";

  /**
   * The application version the next instances' code supports: rolling-upgrade tests raise it
   * before restarting members one by one, as an operator installs new code.
   */
  public static final java.util.concurrent.atomic.AtomicInteger CODE_VERSION =
      new java.util.concurrent.atomic.AtomicInteger(1);

  private final int supported = CODE_VERSION.get();

  @Override
  public int supportedVersion() {
    return supported;
  }

  /** Nodes whose ledger reports itself DOWN: a switch for health tests, not replicated state. */
  public static final java.util.Set<String> DOWN_NODES =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A deposit to this account makes apply sleep this long on every replica: lets tests prove that a
   * long apply blocks neither heartbeats nor health probes. Sleeping changes no state.
   */
  public static final String SLOW_ACCOUNT = "slow-account";

  /** How long a deposit to {@link #SLOW_ACCOUNT} sleeps in apply. */
  public static final java.time.Duration SLOW_APPLY = java.time.Duration.ofMillis(1500);

  /** Counts health() calls in this JVM, whatever the node. */
  public static final java.util.concurrent.atomic.AtomicLong HEALTH_CALLS =
      new java.util.concurrent.atomic.AtomicLong();

  /** Apply threads inside a slow deposit right now. */
  public static final java.util.concurrent.atomic.AtomicInteger IN_SLOW_APPLY =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public Long apply(LedgerCommand command, ApplyContext context) {
    if (command instanceof LedgerCommand.Deposit slow && slow.account().equals(SLOW_ACCOUNT)) {
      IN_SLOW_APPLY.incrementAndGet();
      try {
        Thread.sleep(SLOW_APPLY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        IN_SLOW_APPLY.decrementAndGet();
      }
    }
    if (command instanceof LedgerCommand.Deposit deposit) {
      long balance = balances.merge(deposit.account(), deposit.amount(), Long::sum);
      applied.merge(deposit.op(), 1, Integer::sum);
      context.setResumePoint(ResumePoint.of("account", deposit.account(), "op", deposit.op()));
      return balance;
    }
    if (command instanceof LedgerCommand.Interest interest) {
      if (context.activeVersion() < 2) {
        throw new IllegalStateException("interest needs version 2");
      }
      long balance = balances.getOrDefault(interest.account(), 0L);
      long next = balance + balance * interest.percent() / 100;
      balances.put(interest.account(), next);
      applied.merge(interest.op(), 1, Integer::sum);
      return next;
    }
    if (command instanceof LedgerCommand.Overdraw overdraw) {
      throw new IllegalStateException("insufficient funds in " + overdraw.account());
    }
    if (command instanceof LedgerCommand.ReturnNothing nothing) {
      applied.merge(nothing.op(), 1, Integer::sum);
      return null;
    }
    if (command instanceof LedgerCommand.Fail fail) {
      applied.merge(fail.op(), 1, Integer::sum);
      throw new AssertionError("broken invariant at " + fail.op());
    }
    if (command instanceof LedgerCommand.Refuse) {
      throw new IllegalStateException("refused by " + new Object());
    }
    if (command instanceof LedgerCommand.CloseBooks) {
      return (long) balances.size();
    }
    throw new IllegalArgumentException("not a command: " + command);
  }

  @Override
  public Long query(LedgerCommand request, QueryContext context) {
    if (request instanceof LedgerCommand.Balance balance) {
      return balances.getOrDefault(balance.account(), 0L);
    }
    throw new IllegalArgumentException("not a query: " + request);
  }

  /**
   * While set, a frozen checkpoint waits for this latch before writing: lets tests prove that apply
   * goes on during a slow background write. Not replicated state.
   */
  public static volatile java.util.concurrent.@org.jspecify.annotations.Nullable CountDownLatch
      frozenWriteGate;

  @Override
  public void checkpoint(CheckpointWriter out) throws IOException {
    write(balances, applied, out);
  }

  /** Captures copies of both maps (small in tests) and writes them later. */
  @Override
  public FrozenState freeze() {
    Map<String, Long> balancesNow = new TreeMap<>(balances);
    Map<String, Integer> appliedNow = new TreeMap<>(applied);
    return out -> {
      java.util.concurrent.CountDownLatch gate = frozenWriteGate;
      if (gate != null) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted at the test's gate");
        }
      }
      write(balancesNow, appliedNow, out);
    };
  }

  private static void write(
      Map<String, Long> balances, Map<String, Integer> applied, CheckpointWriter out)
      throws IOException {
    out.writeInt(balances.size());
    for (Map.Entry<String, Long> e : balances.entrySet()) {
      out.writeString(e.getKey());
      out.writeLong(e.getValue());
    }
    out.writeInt(applied.size());
    for (Map.Entry<String, Integer> e : applied.entrySet()) {
      out.writeString(e.getKey());
      out.writeInt(e.getValue());
    }
  }

  @Override
  public void restore(CheckpointReader in) throws IOException {
    if (in.version() != 1) {
      throw new IOException("unknown ledger checkpoint version " + in.version());
    }
    balances.clear();
    applied.clear();
    int accounts = in.readInt();
    for (int i = 0; i < accounts; i++) {
      balances.put(in.readString(), in.readLong());
    }
    int ops = in.readInt();
    for (int i = 0; i < ops; i++) {
      applied.put(in.readString(), in.readInt());
    }
  }

  @Override
  public void onRoleChange(RoleChange change) {
    node = change.node().value();
    roleChanges.add(change);
  }

  /** Sessions this instance was told re-attached, in order. */
  public final List<io.steadfast.api.session.SessionResumed> resumed = new CopyOnWriteArrayList<>();

  @Override
  public void onResume(io.steadfast.api.session.SessionResumed session) {
    resumed.add(session);
  }

  @Override
  public io.steadfast.api.Health health() {
    HEALTH_CALLS.incrementAndGet();
    return DOWN_NODES.contains(node)
        ? io.steadfast.api.Health.down("switched off by the test")
        : io.steadfast.api.Health.up();
  }

  /**
   * Changes a balance outside any command, as a replica with a non-deterministic bug or damaged
   * memory would drift from the others. Tests of the replica audit only.
   */
  public void drift(String account, long amount) {
    balances.merge(account, amount, Long::sum);
  }

  /** How many times each operation id was applied. Apply thread only, or after quiescence. */
  public Map<String, Integer> appliedCounts() {
    return new TreeMap<>(applied);
  }

  /** Role changes received, in order. */
  public List<RoleChange> roleChanges() {
    return List.copyOf(roleChanges);
  }
}
