package io.steadfast.testkit.pure;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.checkpoint.Fingerprint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * CP-7: a frozen state writes what {@code checkpoint} wrote when it was frozen, however much was
 * applied since, and freezing changes nothing.
 *
 * <p>One instance applies the trace and is frozen at the start, a quarter, half and three quarters
 * of the way through. Each frozen state is written only once the instance has applied every entry
 * up to the next freeze (or the end of the trace), and on a thread of its own while the check's
 * thread plays the apply thread, as the runtime does; as in the runtime, one frozen state is
 * outstanding at a time.
 */
final class FrozenStateCheck {

  private static final int FREEZES = 4;

  private FrozenStateCheck() {}

  static <C, R> CheckOutcome check(CheckContext<C, R> context) throws InterruptedException {
    Trace<C, R> trace = context.trace();
    int n = trace.size();
    if (n == 0) {
      return CheckOutcome.unknown("empty trace");
    }
    TreeSet<Integer> ks = new TreeSet<>();
    for (int i = 0; i < FREEZES; i++) {
      ks.add(i * n / FREEZES);
    }
    Coverage coverage = new Coverage();
    Replica<C, R> replica = context.newReplica();
    ResilientApplication<C, R> application = replica.application();
    ExecutorService checkpointThread = CheckThreads.single("steadfast-check-CP-7-writer");
    try {
      int applied = 0;
      for (int k : ks) {
        while (applied < k) {
          replica.apply(trace.entry(applied++));
        }
        String where = "frozen after entry #" + k + " (" + replica.position() + ")";
        byte[] before = Checkpoints.take(application);
        FrozenState frozen = application.freeze();
        byte[] atFreeze = Checkpoints.take(application);
        if (!Arrays.equals(before, atFreeze)) {
          return CheckOutcome.fail(
                  "freeze() changed the state",
                  where
                      + ": checkpoint() wrote "
                      + describe(before)
                      + " just before freeze() and "
                      + describe(atFreeze)
                      + " just after, first difference at byte "
                      + Evidence.firstDifference(before, atFreeze))
              .with(coverage);
        }
        if (frozen == null) {
          coverage.increment("freezesDeclined");
          continue;
        }
        coverage.increment("freezes");
        Integer next = ks.higher(k);
        int end = next == null ? n : next;
        while (applied < end) {
          replica.apply(trace.entry(applied++));
          coverage.increment("entriesAppliedWhileFrozen");
        }
        byte[] live = Checkpoints.take(application);
        byte[] written;
        try {
          written = checkpointThread.submit(() -> Checkpoints.write(frozen)).get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          return CheckOutcome.fail(
                  "writing a frozen state failed",
                  where + ", written after entry #" + end + ": " + Evidence.describe(cause))
              .with(coverage);
        }
        if (!Arrays.equals(written, atFreeze)) {
          return CheckOutcome.fail(
                  "a frozen state wrote other bytes than checkpoint() wrote when it was frozen",
                  where
                      + ", written after entry #"
                      + end
                      + " on another thread\n"
                      + "checkpoint() at the freeze: "
                      + describe(atFreeze)
                      + "\n"
                      + "writeTo afterwards:         "
                      + describe(written)
                      + "\n"
                      + "first difference at byte "
                      + Evidence.firstDifference(atFreeze, written)
                      + (Arrays.equals(written, live)
                          ? "\nwriteTo wrote the state as it is now, not as it was: freeze() must"
                              + " capture a copy or copy-on-write view, and writeTo read only that"
                          : ""))
              .with(coverage);
        }
        byte[] afterWrite = Checkpoints.take(application);
        if (!Arrays.equals(live, afterWrite)) {
          return CheckOutcome.fail(
                  "writing a frozen state changed the live state",
                  where
                      + ", written after entry #"
                      + end
                      + ": checkpoint() wrote "
                      + describe(live)
                      + " before writeTo and "
                      + describe(afterWrite)
                      + " after, first difference at byte "
                      + Evidence.firstDifference(live, afterWrite))
              .with(coverage);
        }
        coverage.increment(
            Arrays.equals(live, atFreeze) ? "unchangedWhileFrozen" : "changedWhileFrozen");
      }
    } finally {
      checkpointThread.shutdownNow();
    }
    if (coverage.get("freezes") == 0) {
      return CheckOutcome.notApplicable(
              "freeze() returned null at all "
                  + ks.size()
                  + " positions tried, so the runtime checkpoints on the apply thread")
          .with(coverage);
    }
    if (coverage.get("changedWhileFrozen") == 0) {
      return CheckOutcome.unknown(
              "the state never changed between a freeze and the write of its"
                  + " frozen state, so a frozen state that reads the live state would go unnoticed")
          .with(coverage);
    }
    return CheckOutcome.pass(
            coverage.get("freezes")
                + " frozen states wrote exactly what checkpoint() wrote when"
                + " they were frozen ("
                + coverage.get("changedWhileFrozen")
                + " after the state"
                + " had changed); freeze() changed nothing")
        .with(coverage);
  }

  private static String describe(byte[] payload) {
    return payload.length + " bytes (" + Fingerprint.of(payload) + ")";
  }
}
