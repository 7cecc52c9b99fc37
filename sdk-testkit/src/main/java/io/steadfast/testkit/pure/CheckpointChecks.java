package io.steadfast.testkit.pure;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.SteadfastException;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.checkpoint.Fingerprint;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.io.IOException;
import java.util.Arrays;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** CP-1, CP-2, CP-5 and CP-6: checkpoint and restore in one JVM. */
final class CheckpointChecks {

  private static final int ALL_CUTS_UP_TO = 256;
  private static final int SAMPLED_CUTS = 200;
  private static final int BIT_FLIPS = 64;
  private static final int FOREIGN_PAYLOADS = 16;

  private CheckpointChecks() {}

  /**
   * CP-1: restore at sampled positions, into a fresh and into a used instance, then compare the
   * next K outcomes.
   */
  static <C, R> CheckOutcome roundTrip(CheckContext<C, R> context) {
    Trace<C, R> trace = context.trace();
    int n = trace.size();
    int horizon = context.settings().roundTripHorizon();
    Coverage coverage = new Coverage();
    NavigableSet<Integer> ks = positions(context, n, 0x4350_2D31L);
    Replica<C, R> sweep = context.newReplica();
    Replica<C, R> used = context.newReplica();
    for (int i = 0; i < Math.min(n, 7); i++) {
      used.apply(trace.entry(n - 1 - i));
    }
    int applied = 0;
    for (int k : ks) {
      while (applied < k) {
        sweep.apply(trace.entry(applied++));
      }
      Replica.Snapshot snapshot = sweep.snapshot();
      for (boolean fresh : new boolean[] {true, false}) {
        Replica<C, R> target = fresh ? context.newReplica() : used;
        String into = fresh ? "a fresh instance" : "an instance that already held other state";
        try {
          target.restore(snapshot);
        } catch (IOException | RuntimeException e) {
          return CheckOutcome.fail(
                  "restore refused the application's own checkpoint at " + snapshot.position(),
                  "restoring into " + into + ": " + Evidence.describe(e))
              .with(coverage);
        }
        coverage.increment(fresh ? "restoresFresh" : "restoresUsed");
        for (int i = k; i < Math.min(n, k + horizon); i++) {
          Outcome<R> outcome = target.apply(trace.entry(i));
          coverage.increment("commandsCompared");
          if (!outcome.equals(trace.outcome(i))) {
            return CheckOutcome.fail(
                    "the state restored from the checkpoint at "
                        + snapshot.position()
                        + " behaves differently at entry #"
                        + (i + 1),
                    "checkpoint after entry #"
                        + k
                        + " ("
                        + snapshot.payload().length
                        + " bytes) restored into "
                        + into
                        + "\n"
                        + Evidence.entry(context, i)
                        + "\noriginal: "
                        + trace.outcome(i)
                        + "\nrestored: "
                        + outcome)
                .with(coverage);
          }
        }
      }
    }
    if (coverage.get("commandsCompared") == 0) {
      return CheckOutcome.unknown("no command followed any checkpoint position").with(coverage);
    }
    return CheckOutcome.pass(
            "restores at "
                + ks.size()
                + " positions gave identical results for the next "
                + horizon
                + " commands ("
                + coverage.get("commandsCompared")
                + " compared)")
        .with(coverage);
  }

  /** CP-2. */
  static <C, R> CheckOutcome canonical(CheckContext<C, R> context) throws IOException {
    Trace<C, R> trace = context.trace();
    int n = trace.size();
    Coverage coverage = new Coverage();
    // Checkpointing after every entry must not change what the commands do or the final state.
    Replica<C, R> checkpointed = context.newReplica();
    Replica<C, R> plain = context.newReplica();
    for (int i = 0; i < n; i++) {
      Outcome<R> outcome = checkpointed.apply(trace.entry(i));
      Checkpoints.take(checkpointed.application());
      plain.apply(trace.entry(i));
      coverage.increment("checkpointsInterleaved");
      String changed = StateGraph.firstDifference(checkpointed.application(), plain.application());
      if (changed != null) {
        return CheckOutcome.fail(
                "taking a checkpoint changed the state later commands see, after entry #" + (i + 1),
                Evidence.entry(context, i)
                    + "\nwith a checkpoint after every entry against without: "
                    + changed
                    + "\ncheckpoint must only read the state (sort a copy, not the field; a"
                    + " cache it fills belongs in a transient field)")
            .with(coverage);
      }
      if (!outcome.equals(trace.outcome(i))) {
        return CheckOutcome.fail(
                "checkpointing changed the state: entry #" + (i + 1) + " gives another result",
                Evidence.entry(context, i)
                    + "\nwithout checkpoints: "
                    + trace.outcome(i)
                    + "\nwith a checkpoint after every entry: "
                    + outcome)
            .with(coverage);
      }
    }
    Fingerprint withCheckpoints = checkpointed.fingerprint();
    Fingerprint without = plain.fingerprint();
    if (!withCheckpoints.equals(without)) {
      return CheckOutcome.fail(
              "checkpointing changed the state: the final fingerprint differs",
              "with a checkpoint after every entry: " + withCheckpoints + "; without: " + without)
          .with(coverage);
    }
    // The same state reached through a restore must give the same bytes.
    NavigableSet<Integer> ks = positions(context, n + 1, 0x4350_2D32L);
    Replica<C, R> sweep = context.newReplica();
    int applied = 0;
    for (int k : ks) {
      while (applied < k) {
        sweep.apply(trace.entry(applied++));
      }
      byte[] original = Checkpoints.take(sweep.application());
      if (k > 1) {
        // The same state by another history: restored half-way, then replayed to here.
        int j = k / 2;
        Replica<C, R> first = context.newReplica();
        for (int i = 0; i < j; i++) {
          first.apply(trace.entry(i));
        }
        Replica<C, R> resumed = context.newReplica();
        resumed.restore(first.snapshot());
        for (int i = j; i < k; i++) {
          resumed.apply(trace.entry(i));
        }
        byte[] other = Checkpoints.take(resumed.application());
        coverage.increment("historiesCompared");
        if (!Arrays.equals(original, other)) {
          return CheckOutcome.fail(
                  "the same state reached by two histories gives different checkpoint bytes at "
                      + sweep.position(),
                  "replayed from the start to entry #"
                      + k
                      + ": "
                      + original.length
                      + " bytes ("
                      + Fingerprint.of(original)
                      + "); restored at entry #"
                      + j
                      + " and replayed to #"
                      + k
                      + ": "
                      + other.length
                      + " bytes ("
                      + Fingerprint.of(other)
                      + "), first difference at byte "
                      + Evidence.firstDifference(original, other)
                      + "\nthe encoding depends on history: sort what is unordered (a HashMap's"
                      + " order depends on its capacity and on what was inserted and removed)")
              .with(coverage);
        }
      }
      byte[] twice = Checkpoints.take(sweep.application());
      ResilientApplication<C, R> restored = context.newApplication();
      Checkpoints.restore(restored, original, restored.checkpointVersion(), sweep.position());
      byte[] again = Checkpoints.take(restored);
      coverage.increment("roundTripsCompared");
      if (!Arrays.equals(original, twice) || !Arrays.equals(original, again)) {
        byte[] other = Arrays.equals(original, twice) ? again : twice;
        return CheckOutcome.fail(
                "the same state gives different checkpoint bytes at "
                    + sweep.position()
                    + (Arrays.equals(original, twice)
                        ? " after a round trip"
                        : " when taken twice"),
                "after entry #"
                    + k
                    + ": "
                    + original.length
                    + " bytes ("
                    + Fingerprint.of(original)
                    + ") then "
                    + other.length
                    + " bytes ("
                    + Fingerprint.of(other)
                    + "), first difference at byte "
                    + Evidence.firstDifference(original, other)
                    + "\nthe restored state behaves the same (CP-1 passed), so the encoding"
                    + " depends on history: sort what is unordered (a HashMap's order depends on"
                    + " its capacity and insertion history)")
            .with(coverage);
      }
    }
    return CheckOutcome.pass(
            "checkpoints canonical at "
                + ks.size()
                + " states, and checkpointing after each of "
                + n
                + " entries changed nothing")
        .with(coverage);
  }

  /** CP-5. */
  static <C, R> CheckOutcome versions(CheckContext<C, R> context) {
    Replica<C, R> replica = stateAtEnd(context);
    Replica.Snapshot snapshot = replica.snapshot();
    Coverage coverage = new Coverage();
    int current = snapshot.version();
    for (int future : new int[] {current + 1, current + 100}) {
      ResilientApplication<C, R> target = context.newApplication();
      @Nullable Throwable refusal = null;
      try {
        Checkpoints.restore(target, snapshot.payload(), future, snapshot.position());
      } catch (IOException | SteadfastException definite) {
        coverage.increment("futureVersionsRefused");
        continue;
      } catch (RuntimeException other) {
        refusal = other;
      }
      return CheckOutcome.fail(
              refusal == null
                  ? "restore accepted a checkpoint of future version " + future
                  : "restore failed on future version " + future + " without a definite error",
              "the application writes version "
                  + current
                  + "; restore must refuse version "
                  + future
                  + " with an IOException or CheckpointException naming the version"
                  + (refusal == null ? "" : "\nit threw " + Evidence.describe(refusal)))
          .with(coverage);
    }
    for (GoldenCheckpoint golden : context.goldenCheckpoints()) {
      ResilientApplication<C, R> target = context.newApplication();
      try {
        Checkpoints.restore(target, golden.payload(), golden.version(), snapshot.position());
      } catch (IOException | RuntimeException e) {
        return CheckOutcome.fail(
                "golden checkpoint "
                    + golden.name()
                    + " (version "
                    + golden.version()
                    + ") no longer restores",
                Evidence.describe(e))
            .with(coverage);
      }
      Fingerprint restored = Checkpoints.fingerprint(target);
      if (golden.expected().isPresent() && !golden.expected().get().equals(restored)) {
        return CheckOutcome.fail(
                "golden checkpoint " + golden.name() + " restores to another state",
                "expected fingerprint " + golden.expected().get().hex() + ", got " + restored.hex())
            .with(coverage);
      }
      coverage.increment("goldenRestored");
    }
    return CheckOutcome.pass(
            "future versions refused; "
                + coverage.get("goldenRestored")
                + " golden checkpoints restored")
        .with(coverage);
  }

  /** CP-6. */
  static <C, R> CheckOutcome corruption(CheckContext<C, R> context) {
    Replica<C, R> running = stateAtEnd(context);
    Replica.Snapshot snapshot = running.snapshot();
    byte[] payload = snapshot.payload();
    Fingerprint before = running.fingerprint();
    Coverage coverage = new Coverage();
    if (payload.length == 0) {
      return CheckOutcome.unknown(
          "the checkpoint at the end of the trace is empty; nothing to truncate");
    }
    SplittableRandom random = new SplittableRandom(context.settings().seed() ^ 0x4350_2D36L);
    NavigableSet<Integer> cuts =
        Sampling.upTo(
            payload.length,
            payload.length <= ALL_CUTS_UP_TO ? payload.length : SAMPLED_CUTS,
            random.nextLong());
    for (int cut : cuts) {
      byte[] truncated = Arrays.copyOf(payload, cut);
      Attempt attempt = attempt(context, truncated, snapshot);
      if (attempt == Attempt.CRASHED || attempt.accepted()) {
        return CheckOutcome.fail(
                attempt == Attempt.CRASHED
                    ? "restore of a truncated payload crashed with an Error"
                    : "restore silently accepted a payload truncated to "
                        + cut
                        + " of "
                        + payload.length
                        + " bytes",
                "checkpoint at "
                    + snapshot.position()
                    + ", "
                    + payload.length
                    + " bytes, cut at "
                    + cut
                    + "; restore must read what it wrote and fail on a short payload (an"
                    + " EOFException from the reader is enough)")
            .with(coverage);
      }
      coverage.increment("truncationsRefused");
    }
    for (int i = 0; i < BIT_FLIPS; i++) {
      byte[] flipped = payload.clone();
      int offset = random.nextInt(payload.length);
      flipped[offset] ^= (byte) (1 << random.nextInt(8));
      tally(coverage, "bitFlips", attempt(context, flipped, snapshot));
    }
    for (int i = 0; i < FOREIGN_PAYLOADS; i++) {
      byte[] foreign = new byte[1 + random.nextInt(Math.max(2, payload.length))];
      random.nextBytes(foreign);
      tally(coverage, "foreign", attempt(context, foreign, snapshot));
    }
    if (coverage.get("bitFlipsCrashed") + coverage.get("foreignCrashed") > 0) {
      return CheckOutcome.fail(
              "restore of a corrupt payload crashed with an Error",
              "an Error (such as OutOfMemoryError from a corrupt length) stops the node; check"
                  + " lengths and counts before allocating")
          .with(coverage);
    }
    Fingerprint after = running.fingerprint();
    if (!after.equals(before)) {
      return CheckOutcome.fail(
              "failed restores into other instances changed the running instance",
              "running instance fingerprint "
                  + before
                  + " became "
                  + after
                  + " (state shared between instances, e.g. static fields)")
          .with(coverage);
    }
    return CheckOutcome.pass(
            coverage.get("truncationsRefused")
                + " truncations refused; running state unchanged;"
                + " bit flips refused "
                + coverage.get("bitFlipsRefused")
                + "/"
                + BIT_FLIPS
                + " (the runtime's CRC32C catches the rest)")
        .with(coverage);
  }

  private enum Attempt {
    REFUSED,
    ACCEPTED_SAME,
    ACCEPTED_OTHER,
    CRASHED;

    boolean accepted() {
      return this == ACCEPTED_SAME || this == ACCEPTED_OTHER;
    }
  }

  private static <C, R> Attempt attempt(
      CheckContext<C, R> context, byte[] bytes, Replica.Snapshot like) {
    ResilientApplication<C, R> target = context.newApplication();
    try {
      Checkpoints.restore(target, bytes, like.version(), like.position());
    } catch (Exception refused) {
      return Attempt.REFUSED;
    } catch (StackOverflowError | OutOfMemoryError crashed) {
      return Attempt.CRASHED;
    }
    try {
      return Checkpoints.fingerprint(target).equals(like.fingerprint())
          ? Attempt.ACCEPTED_SAME
          : Attempt.ACCEPTED_OTHER;
    } catch (RuntimeException e) {
      return Attempt.ACCEPTED_OTHER;
    }
  }

  private static void tally(Coverage coverage, String kind, Attempt attempt) {
    switch (attempt) {
      case REFUSED -> coverage.increment(kind + "Refused");
      case ACCEPTED_SAME -> coverage.increment(kind + "Harmless");
      case ACCEPTED_OTHER -> coverage.increment(kind + "Undetected");
      case CRASHED -> coverage.increment(kind + "Crashed");
      default -> throw new IllegalStateException("unexpected attempt " + attempt);
    }
  }

  /** Every position of a short trace, a seeded sample of a long one. */
  private static NavigableSet<Integer> positions(CheckContext<?, ?> context, int bound, long salt) {
    int limit =
        bound <= JournalChecks.EXHAUSTIVE_REPLAY + 1 ? bound : context.settings().replaySamples();
    return Sampling.upTo(bound, limit, context.settings().seed() ^ salt);
  }

  private static <C, R> Replica<C, R> stateAtEnd(CheckContext<C, R> context) {
    Replica<C, R> replica = context.newReplica();
    for (var entry : context.trace().entries()) {
      replica.apply(entry);
    }
    return replica;
  }
}
