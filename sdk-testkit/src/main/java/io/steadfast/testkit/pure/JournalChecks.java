package io.steadfast.testkit.pure;

import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.apply.Outcome;
import io.steadfast.testkit.checkpoint.Fingerprint;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.rule.Capability;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** JR-1 to JR-4: applying the journal. */
final class JournalChecks {

  /** Traces up to this long are replayed from every checkpoint position (JR-2). */
  static final int EXHAUSTIVE_REPLAY = 200;

  private JournalChecks() {}

  /** JR-1: two runs, in two environments, apart in time, compared entry by entry. */
  static <C, R> CheckOutcome deterministicApply(CheckContext<C, R> context) throws Exception {
    Trace<C, R> trace = context.trace();
    Coverage coverage = new Coverage();
    Run<R> first = Environment.FIRST.call(() -> run(context));
    Thread.sleep(context.settings().clockPause().toMillis());
    Run<R> second = Environment.SECOND.call(() -> run(context));
    for (int i = 0; i < trace.size(); i++) {
      Outcome<R> reference = trace.outcome(i);
      Outcome<R> a = first.outcomes.get(i);
      Outcome<R> b = second.outcomes.get(i);
      if (!a.equals(b) || !a.equals(reference)) {
        return CheckOutcome.fail(
                "instances disagree on the result of entry #" + (i + 1),
                Evidence.entry(context, i)
                    + "\nreference run: "
                    + reference
                    + "\nunder "
                    + Environment.FIRST
                    + ": "
                    + a
                    + "\nunder "
                    + Environment.SECOND
                    + ", later: "
                    + b)
            .with(coverage);
      }
      if (!first.fingerprints.get(i).equals(second.fingerprints.get(i))) {
        return CheckOutcome.fail(
                "instances disagree on the state after entry #" + (i + 1),
                Evidence.entry(context, i)
                    + "\nfingerprint under "
                    + Environment.FIRST
                    + ": "
                    + first.fingerprints.get(i)
                    + "; under "
                    + Environment.SECOND
                    + ", "
                    + context.settings().clockPause().toMillis()
                    + " ms later: "
                    + second.fingerprints.get(i)
                    + "\n(apply reads the wall clock, the default zone or locale, or iterates an"
                    + " unordered collection)")
            .with(coverage);
      }
      coverage.increment("entriesCompared");
    }
    coverage.set("environments", 2);
    if (trace.size() == 0) {
      return CheckOutcome.unknown("empty trace").with(coverage);
    }
    return CheckOutcome.pass(
            "two instances agreed after each of "
                + trace.size()
                + " entries under "
                + Environment.FIRST
                + " and "
                + Environment.SECOND)
        .with(coverage);
  }

  private record Run<R>(List<Outcome<R>> outcomes, List<Fingerprint> fingerprints) {}

  private static <C, R> Run<R> run(CheckContext<C, R> context) {
    Replica<C, R> replica = context.newReplica();
    List<Outcome<R>> outcomes = new ArrayList<>();
    List<Fingerprint> fingerprints = new ArrayList<>();
    for (var entry : context.trace().entries()) {
      outcomes.add(replica.apply(entry));
      fingerprints.add(replica.fingerprint());
    }
    return new Run<>(outcomes, fingerprints);
  }

  /** JR-3. */
  static <C, R> CheckOutcome failureAtomicity(CheckContext<C, R> context) throws Exception {
    Trace<C, R> trace = context.trace();
    Coverage coverage = new Coverage();
    boolean declaredNone = context.capabilities().contains(Capability.NO_REJECTIONS);
    if (declaredNone) {
      for (int i = 0; i < trace.size(); i++) {
        if (trace.outcome(i).isRejected()) {
          return CheckOutcome.fail(
              "the application declares NO_REJECTIONS but rejected entry #" + (i + 1),
              Evidence.entry(context, i) + "\n" + trace.outcome(i));
        }
      }
      return CheckOutcome.waived(Capability.NO_REJECTIONS);
    }
    Replica<C, R> replica = context.newReplica();
    for (int i = 0; i < trace.size(); i++) {
      Outcome<R> reference = trace.outcome(i);
      if (!reference.isRejected()) {
        Outcome<R> outcome = replica.apply(trace.entry(i));
        if (outcome.isRejected()) {
          return CheckOutcome.fail(
                  "entry #" + (i + 1) + " was accepted on one instance and rejected on another",
                  Evidence.entry(context, i) + "\nreference: " + reference + "\nhere: " + outcome)
              .with(coverage);
        }
        continue;
      }
      Fingerprint before = replica.fingerprint();
      var resumeBefore = new java.util.TreeMap<>(replica.resumePoints());
      Outcome<R> outcome = replica.apply(trace.entry(i));
      Fingerprint after = replica.fingerprint();
      coverage.increment("rejections");
      if (trace.entry(i).injected()) {
        coverage.increment("injectedRejections");
      }
      if (!outcome.equals(reference)) {
        return CheckOutcome.fail(
                "entry #" + (i + 1) + " is rejected differently on another instance",
                Evidence.entry(context, i) + "\nreference: " + reference + "\nhere: " + outcome)
            .with(coverage);
      }
      if (!after.equals(before) || !replica.resumePoints().equals(resumeBefore)) {
        return CheckOutcome.fail(
                "rejected entry #" + (i + 1) + " changed the state",
                Evidence.entry(context, i)
                    + "\n"
                    + outcome
                    + "\nfingerprint before "
                    + before
                    + ", after "
                    + after
                    + " (apply changed the state before it threw)")
            .with(coverage);
      }
    }
    CheckOutcome derived = derivedRejections(context, coverage);
    if (derived != null) {
      return derived.with(coverage);
    }
    if (coverage.get("rejections") == 0 && coverage.get("derivedRejections") == 0) {
      return CheckOutcome.unknown(
              "no command of the trace was rejected, so failure atomicity was not exercised;"
                  + " give the workload invalidCommands() or declare NO_REJECTIONS")
          .with(coverage);
    }
    return CheckOutcome.pass(
            coverage.get("rejections")
                + " rejected commands left the state unchanged and were"
                + " rejected identically on a second instance; so did "
                + coverage.get("derivedRejections")
                + " rejected variants of accepted commands (a zero, minus one, empty or null"
                + " field; "
                + coverage.get("derivedCommands")
                + " variants tried)")
        .with(coverage);
  }

  /**
   * Positions of the trace whose accepted command is varied (JR-3), drawn at random; the first,
   * middle and last acceptance of each command type are added to them.
   */
  static final int DERIVED_POSITIONS = 24;

  /**
   * JR-3's second half: at sampled positions, copies of the accepted command with one field set to
   * a boundary value ({@link BoundaryVariants}) are applied to the state before it; each one that
   * is rejected must leave the state and the session table as they were. Reaches rejection paths
   * the workload never takes.
   */
  private static <C, R> @Nullable CheckOutcome derivedRejections(
      CheckContext<C, R> context, Coverage coverage) throws Exception {
    Trace<C, R> trace = context.trace();
    java.util.TreeSet<Integer> positions =
        new java.util.TreeSet<>(
            Sampling.upTo(
                trace.size(), DERIVED_POSITIONS, context.settings().seed() ^ 0x4A52_2D33L));
    // Every command type the trace accepted, at its first, middle and last acceptance, so that a
    // rare type is varied too.
    java.util.Map<String, List<Integer>> byType = new java.util.TreeMap<>();
    for (int i = 0; i < trace.size(); i++) {
      if (!trace.outcome(i).isRejected()) {
        byType
            .computeIfAbsent(trace.entry(i).command().getClass().getName(), k -> new ArrayList<>())
            .add(i);
      }
    }
    for (List<Integer> accepted : byType.values()) {
      positions.add(accepted.get(0));
      positions.add(accepted.get(accepted.size() / 2));
      positions.add(accepted.get(accepted.size() - 1));
    }
    Replica<C, R> replica = context.newReplica();
    for (int i = 0; i < trace.size(); i++) {
      TraceEntry<C> entry = trace.entry(i);
      if (positions.contains(i)
          && !trace.outcome(i).isRejected()
          && entry.command().getClass().isRecord()
          && !context.workload().isQuery(entry.command())) {
        List<BoundaryVariants.Variant<C>> variants =
            BoundaryVariants.of(entry.command(), context.codec());
        Replica.Snapshot before = replica.snapshot();
        for (BoundaryVariants.Variant<C> variant : variants) {
          Replica<C, R> probe = context.newReplica();
          probe.restore(before);
          Fingerprint start = probe.fingerprint();
          Outcome<R> outcome;
          try {
            outcome =
                probe.apply(
                    new TraceEntry<>(
                        entry.position(),
                        entry.sessionId(),
                        entry.principal(),
                        entry.timestamp(),
                        variant.command(),
                        entry.user(),
                        true));
          } catch (Error error) {
            // An application fault, not a rejection: the runtime records it as such.
            coverage.increment("derivedFaults");
            continue;
          }
          coverage.increment("derivedCommands");
          if (!outcome.isRejected()) {
            continue;
          }
          coverage.increment("derivedRejections");
          Fingerprint after = probe.fingerprint();
          if (!after.equals(start) || !probe.resumePoints().equals(before.resumePoints())) {
            Replica<C, R> untouched = context.newReplica();
            untouched.restore(before);
            String field = StateGraph.firstDifference(probe.application(), untouched.application());
            return CheckOutcome.fail(
                "a rejected variant of entry #"
                    + (i + 1)
                    + " ("
                    + variant.change()
                    + ") changed the state",
                Evidence.entry(context, i)
                    + "\nthe same command with "
                    + variant.change()
                    + ": "
                    + outcome
                    + "\nfingerprint before "
                    + start
                    + ", after "
                    + after
                    + (field == null ? "" : "\nchanged: " + field)
                    + "\n(apply changed the state before it threw; validate everything first, then"
                    + " change)");
          }
        }
      }
      replica.apply(entry);
    }
    return null;
  }

  /** JR-4. */
  static <C, R> CheckOutcome malformedInput(CheckContext<C, R> context) {
    CommandCodec<C, R> codec = context.codec();
    Trace<C, R> trace = context.trace();
    Coverage coverage = new Coverage();
    SplittableRandom random = new SplittableRandom(context.settings().seed() ^ 0x4A52_2D34L);
    List<Probe> probes = new ArrayList<>();
    probes.add(new Probe("empty", new byte[0]));
    for (int i = 0; i < 24; i++) {
      byte[] garbage = new byte[1 + random.nextInt(64)];
      random.nextBytes(garbage);
      probes.add(new Probe("garbage", garbage));
    }
    probes.add(
        new Probe("garbage", "\u0000\u00ff not a command".getBytes(StandardCharsets.ISO_8859_1)));
    int unknownTypes = 0;
    int truncated = 0;
    for (int i = 0; i < trace.size() && (unknownTypes < 8 || truncated < 8); i++) {
      C command = trace.entry(i).command();
      byte[] bytes = codec.encodeCommand(command);
      if (bytes.length > 1 && truncated < 8) {
        probes.add(new Probe("truncated", Arrays.copyOf(bytes, bytes.length / 2)));
        truncated++;
      }
      String name = command.getClass().getSimpleName();
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (unknownTypes < 8 && !name.isEmpty() && text.contains('"' + name + '"')) {
        String foreign = text.replace('"' + name + '"', "\"NoSuch" + name + "Command\"");
        probes.add(new Probe("unknownType", foreign.getBytes(StandardCharsets.UTF_8)));
        unknownTypes++;
      }
    }
    Replica<C, R> replica = context.newReplica();
    for (var entry : trace.entries()) {
      replica.apply(entry);
    }
    Fingerprint before = replica.fingerprint();
    for (Probe probe : probes) {
      C decoded;
      try {
        decoded = codec.decodeCommand(probe.bytes);
      } catch (MalformedCommandException expected) {
        coverage.increment(probe.kind);
        continue;
      } catch (RuntimeException wrongType) {
        return CheckOutcome.fail(
                probe.kind
                    + " input refused with "
                    + wrongType.getClass().getName()
                    + " instead of MalformedCommandException",
                "input: " + Outcome.describe(probe.bytes) + "\n" + Evidence.describe(wrongType))
            .with(coverage);
      }
      return CheckOutcome.fail(
              probe.kind + " input was decoded instead of refused",
              "input: " + Outcome.describe(probe.bytes) + "\ndecoded as: " + decoded)
          .with(coverage);
    }
    Fingerprint after = replica.fingerprint();
    if (!after.equals(before)) {
      return CheckOutcome.fail(
              "refusing malformed input changed the application state",
              "fingerprint before " + before + ", after " + after)
          .with(coverage);
    }
    String note =
        unknownTypes == 0
            ? " (the encoding shows no type names, so no unknown-type probe was possible)"
            : "";
    return CheckOutcome.pass(
            probes.size() + " malformed inputs refused with MalformedCommandException" + note)
        .with(coverage);
  }

  private record Probe(String kind, byte[] bytes) {}

  /** JR-2. */
  static <C, R> CheckOutcome replayEquivalence(CheckContext<C, R> context) throws Exception {
    Trace<C, R> trace = context.trace();
    int n = trace.size();
    Coverage coverage = new Coverage();
    Replica<C, R> full = context.newReplica();
    for (var entry : trace.entries()) {
      full.apply(entry);
    }
    Fingerprint expected = full.fingerprint();
    var expectedSessions = full.resumePoints();
    int limit = n <= EXHAUSTIVE_REPLAY ? n : context.settings().replaySamples();
    var ks = Sampling.upTo(n, limit, context.settings().seed() ^ 0x4A52_2D32L);
    Replica<C, R> sweep = context.newReplica();
    int applied = 0;
    for (int k : ks) {
      while (applied < k) {
        sweep.apply(trace.entry(applied++));
      }
      Replica.Snapshot snapshot = sweep.snapshot();
      Replica<C, R> restored = context.newReplica();
      restored.restore(snapshot);
      for (int i = k; i < n; i++) {
        Outcome<R> outcome = restored.apply(trace.entry(i));
        coverage.increment("entriesReplayed");
        if (!outcome.equals(trace.outcome(i))) {
          return CheckOutcome.fail(
                  "replay from the checkpoint at "
                      + snapshot.position()
                      + " diverges at entry #"
                      + (i + 1),
                  Evidence.entry(context, i)
                      + "\nreplay from 1: "
                      + trace.outcome(i)
                      + "\nreplay from checkpoint after entry #"
                      + k
                      + ": "
                      + outcome)
              .with(coverage);
        }
      }
      Fingerprint end = restored.fingerprint();
      coverage.increment("checkpointPositions");
      if (!end.equals(expected) || !restored.resumePoints().equals(expectedSessions)) {
        return CheckOutcome.fail(
                "checkpoint after entry #"
                    + k
                    + " + replay of #"
                    + (k + 1)
                    + ".."
                    + n
                    + " does not equal replay of #1.."
                    + n,
                "fingerprint "
                    + end
                    + " instead of "
                    + expected
                    + "; checkpoint at "
                    + snapshot.position()
                    + " was "
                    + snapshot.payload().length
                    + " bytes")
            .with(coverage);
      }
    }
    if (coverage.get("checkpointPositions") == 0) {
      return CheckOutcome.unknown("empty trace").with(coverage);
    }
    return CheckOutcome.pass(
            "replay from "
                + coverage.get("checkpointPositions")
                + " checkpoint positions"
                + (ks.size() == n ? " (every one)" : " (sampled)")
                + " equals replay of all "
                + n
                + " entries")
        .with(coverage);
  }
}
