package io.steadfast.testkit.pure;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.journal.Replica;
import io.steadfast.testkit.journal.Trace;
import io.steadfast.testkit.journal.TraceEntry;
import io.steadfast.testkit.rule.CheckContext;
import io.steadfast.testkit.rule.CheckOutcome;
import io.steadfast.testkit.rule.Coverage;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * CP-3: restores checkpoints in a forked JVM with another default time zone, locale and charset.
 *
 * <p>A forked JVM is the only way to change the default charset (fixed at JVM start), and it also
 * gives a fresh class loader and fresh static state for free. The fork is started with the running
 * JVM's {@code java} binary and a class path that loads what this JVM loads ({@link ForkClassPath}:
 * {@code java.class.path}, which under Surefire is a manifest-only jar naming the real class path,
 * plus the test runner's own class loaders and the code sources of the application, the codec and
 * the testkit).
 */
final class SelfContainedCheck<C, R> {

  /** The fork's environment: UTC+14, Turkish, ISO-8859-1. */
  static final String ZONE = "Pacific/Kiritimati";

  static final String LANGUAGE = "tr";
  static final String COUNTRY = "TR";
  static final String CHARSET = "ISO-8859-1";

  CheckOutcome check(CheckContext<C, R> context) throws Exception {
    if (!context.settings().forkJvm()) {
      return CheckOutcome.unknown(
          "forking a JVM is disabled (steadfast.fork=false); CP-3 not checked");
    }
    Trace<C, R> trace = context.trace();
    int n = trace.size();
    int horizon = context.settings().roundTripHorizon();
    CommandCodec<C, R> codec = context.codec();
    TreeSet<Integer> ks = new TreeSet<>(List.of(n / 3, (2 * n) / 3, Math.max(0, n - horizon)));
    List<ForkProtocol.Case> cases = new ArrayList<>();
    List<Replica.Snapshot> snapshots = new ArrayList<>();
    List<String> expectedEnd = new ArrayList<>();
    Replica<C, R> sweep = context.newReplica();
    int applied = 0;
    for (int k : ks) {
      while (applied < k) {
        sweep.apply(trace.entry(applied++));
      }
      Replica.Snapshot snapshot = sweep.snapshot();
      Replica<C, R> local = context.newReplica();
      local.restore(snapshot);
      List<ForkProtocol.Entry> entries = new ArrayList<>();
      for (int i = k; i < Math.min(n, k + horizon); i++) {
        TraceEntry<C> e = trace.entry(i);
        local.apply(e);
        entries.add(
            new ForkProtocol.Entry(
                e.position().toString(),
                e.sessionId().value(),
                e.principal().user(),
                List.copyOf(e.principal().roles()),
                e.timestamp().toString(),
                codec.encodeCommand(e.command()),
                e.user(),
                e.injected()));
      }
      expectedEnd.add(local.fingerprint().hex());
      snapshots.add(snapshot);
      cases.add(
          new ForkProtocol.Case(
              snapshot.payload(),
              snapshot.version(),
              snapshot.position().toString(),
              ForkedRestore.encode(snapshot.resumePoints()),
              entries));
    }
    Path dir = Files.createTempDirectory("steadfast-cp3-");
    try {
      ForkProtocol.Reply reply =
          fork(context, new ForkProtocol.Request(context.suiteClass().getName(), cases), dir);
      if (reply == null) {
        String log =
            Files.exists(dir.resolve("fork.log"))
                ? tail(Files.readString(dir.resolve("fork.log"), StandardCharsets.ISO_8859_1))
                : "";
        return CheckOutcome.unknown("the forked JVM gave no answer; " + log.strip());
      }
      if (reply.error() != null) {
        return CheckOutcome.unknown(
            "the forked JVM could not create the application: " + reply.error());
      }
      Coverage coverage = new Coverage();
      int index = 0;
      for (int k : ks) {
        Replica.Snapshot snapshot = snapshots.get(index);
        ForkProtocol.Result result = reply.results().get(index);
        String where =
            "checkpoint at "
                + snapshot.position()
                + " (after entry #"
                + k
                + ") in a JVM"
                + " with zone "
                + reply.zone()
                + ", locale "
                + reply.locale()
                + ", charset "
                + reply.charset();
        if (result.restoreError() != null) {
          return CheckOutcome.fail(
                  "the checkpoint does not restore in a fresh JVM",
                  where + ": " + result.restoreError())
              .with(coverage);
        }
        if (!snapshot.fingerprint().hex().equals(result.fingerprintAfterRestore())) {
          return CheckOutcome.fail(
                  "the checkpoint restores to another state in a fresh JVM",
                  where
                      + ": fingerprint "
                      + result.fingerprintAfterRestore()
                      + " instead of "
                      + snapshot.fingerprint().hex())
              .with(coverage);
        }
        for (int j = 0; j < result.outcomes().size(); j++) {
          String expected = trace.outcome(k + j).toString();
          if (!expected.equals(result.outcomes().get(j))) {
            return CheckOutcome.fail(
                    "the state restored in a fresh JVM behaves differently at entry #"
                        + (k + j + 1),
                    where
                        + "\n"
                        + Evidence.entry(context, k + j)
                        + "\nhere: "
                        + expected
                        + "\nthere: "
                        + result.outcomes().get(j))
                .with(coverage);
          }
          coverage.increment("commandsCompared");
        }
        if (!expectedEnd.get(index).equals(result.fingerprintAfterEntries())) {
          return CheckOutcome.fail(
                  "the state restored in a fresh JVM diverges",
                  where
                      + ": after "
                      + result.outcomes().size()
                      + " entries fingerprint "
                      + result.fingerprintAfterEntries()
                      + " instead of "
                      + expectedEnd.get(index))
              .with(coverage);
        }
        coverage.increment("checkpointsRestored");
        index++;
      }
      String differs =
          Charset.defaultCharset().name().equals(reply.charset())
              ? " (note: the fork kept this JVM's charset)"
              : "";
      return CheckOutcome.pass(
              coverage.get("checkpointsRestored")
                  + " checkpoints restored in a fresh JVM ("
                  + reply.zone()
                  + ", "
                  + reply.locale()
                  + ", "
                  + reply.charset()
                  + ")"
                  + differs
                  + " to equal states with identical results")
          .with(coverage);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private ForkProtocol.@Nullable Reply fork(
      CheckContext<C, R> context, ForkProtocol.Request request, Path dir)
      throws IOException, InterruptedException {
    ObjectMapper mapper = new ObjectMapper();
    Path in = dir.resolve("request.json");
    Path out = dir.resolve("reply.json");
    mapper.writeValue(in.toFile(), request);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(
            java.toString(),
            "-cp",
            ForkClassPath.of(
                ForkedRestore.class,
                context.newApplication().getClass(),
                context.codec().getClass()),
            "-Duser.timezone=" + ZONE,
            "-Duser.language=" + LANGUAGE,
            "-Duser.country=" + COUNTRY,
            "-Dfile.encoding=" + CHARSET,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            ForkedRestore.class.getName(),
            in.toString(),
            out.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("fork.log").toFile())
            .start();
    if (!process.waitFor(context.settings().ruleTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return null;
    }
    if (!Files.exists(out)) {
      return null;
    }
    return mapper.readValue(out.toFile(), ForkProtocol.Reply.class);
  }

  private static String tail(String log) {
    return log.length() <= 800 ? log : log.substring(log.length() - 800);
  }
}
