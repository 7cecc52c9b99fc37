package io.steadfast.benchmarks.scenario;

import io.steadfast.api.Position;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.runtime.checkpoint.StreamCheckpointReader;
import io.steadfast.runtime.checkpoint.StreamCheckpointWriter;
import io.steadfast.runtime.internal.checkpoint.CheckpointFile;
import io.steadfast.runtime.internal.checkpoint.CheckpointHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoint cost against the size of the mortgage book.
 *
 * <p><b>Offline</b>, per size: build the book without a runtime, then time each step of a
 * checkpoint: the application's {@code freeze()} (all that stops apply in the runtime, which writes
 * the frozen state on its checkpoint thread), serializing the application alone into memory,
 * writing the checkpoint file as the runtime does (serialize, CRC32C and MD5 on the way out, force,
 * atomic move; what an application without {@code freeze()} stops apply for), and reading it back
 * (verify, restore).
 *
 * <p><b>Live</b>, per size: a three-node SDK cluster whose nodes all start from the same book of
 * that size (each node's application is restored from the same bytes, so replicas agree), with a
 * checkpoint every 200 commands; one session sends commands back to back until the primary has
 * taken the requested number of checkpoints. Apply and checkpoint share one thread, so the
 * session's slowest command bounds the apply stall a checkpoint causes (it includes one ordinary
 * command's latency). The runtime's own clock of the apply thread's share of each checkpoint is
 * reported beside it. The first {@value #WARM_UP_COMMANDS} commands warm up and are not counted.
 *
 * <p><b>Windows</b>, for the largest live size: one warm cluster with no automatic checkpoint, one
 * session sending commands back to back, and its latencies sorted into three windows that take
 * turns: <i>quiet</i> (no checkpoint being written; before each round at least 2 s or as long as
 * the longest <i>together</i> window so far, and after each <i>together</i> window as long as it),
 * <i>together</i> (all three members asked to checkpoint at the same moment, until each has
 * finished) and <i>staggered</i> (the members asked one after another, each when the one before has
 * finished). The checkpoint windows ask every member's status after each command (for member
 * processes, at most every 25 ms) to see when its write has finished; the quiet windows do not,
 * which counts against the checkpoint windows. Comparing the windows at p99, p99.9 and max
 * separates what a checkpoint costs a command from what the machine's scheduling costs it anyway,
 * and shows what spreading the replicas' writes would gain.
 */
final class CheckpointScenario {

  private static final int WARM_UP_COMMANDS = 200;

  private CheckpointScenario() {}

  static Map<String, Object> run(
      List<Integer> offlineSizes, List<Integer> liveSizes, int reps, int checkpoints)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> offline = new LinkedHashMap<>();
    Map<String, Object> live = new LinkedHashMap<>();
    Map<String, Object> windows = new LinkedHashMap<>();
    Path dir = Files.createTempDirectory("steadfast-checkpoint-scenario-");
    try {
      for (int size : offlineSizes) {
        System.out.printf("  checkpoint offline: %,d records%n", size);
        Offline result = offline(size, reps, dir);
        offline.put(Integer.toString(size), result.figures);
        if (liveSizes.contains(size)) {
          System.out.printf("  checkpoint live: %,d records%n", size);
          live.put(Integer.toString(size), live(result.payload, checkpoints));
          if (size == liveSizes.get(liveSizes.size() - 1)) {
            System.out.printf("  checkpoint windows: %,d records%n", size);
            windows.put(Integer.toString(size), windows(result.payload, checkpoints));
          }
        }
      }
    } finally {
      Polling.deleteTree(dir);
    }
    out.put("offline", offline);
    out.put("live", live);
    out.put("windows", windows);
    return out;
  }

  private record Offline(Map<String, Object> figures, byte[] payload) {}

  private static Offline offline(int size, int reps, Path dir) throws IOException {
    long buildStart = System.nanoTime();
    MortgageLoanApplication app = MortgageFixtures.loanBook(size);
    double buildMs = (System.nanoTime() - buildStart) / 1e6;
    Latencies serialize = new Latencies();
    Latencies write = new Latencies();
    Latencies freeze = new Latencies();
    Latencies read = new Latencies();
    byte[] payload = new byte[0];
    long fileBytes = 0;
    Path file = dir.resolve("bench-" + size + ".ckpt");
    CheckpointHeader header =
        new CheckpointHeader(
            CheckpointFile.FORMAT_VERSION, app.checkpointVersion(), 1, size, new Position(size, 1));
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      ByteArrayOutputStream memory = new ByteArrayOutputStream(1 << 20);
      StreamCheckpointWriter writer = new StreamCheckpointWriter(memory);
      app.checkpoint(writer);
      writer.flush();
      payload = memory.toByteArray();
      long t1 = System.nanoTime();
      fileBytes =
          CheckpointFile.write(
                  file,
                  header,
                  new byte[64],
                  out -> {
                    StreamCheckpointWriter w = new StreamCheckpointWriter(out);
                    app.checkpoint(w);
                    w.flush();
                  })
              .size();
      long t2 = System.nanoTime();
      FrozenState frozen = app.freeze();
      long t3 = System.nanoTime();
      if (frozen == null) {
        throw new IllegalStateException("the mortgage application no longer freezes its state");
      }
      MortgageLoanApplication fresh = new MortgageLoanApplication();
      try (CheckpointFile.Opened opened = CheckpointFile.open(file, fresh.checkpointVersion())) {
        fresh.restore(
            new StreamCheckpointReader(
                opened.payload(),
                opened.header().applicationVersion(),
                opened.header().position()));
      }
      long t4 = System.nanoTime();
      serialize.add(t1 - t0);
      write.add(t2 - t1);
      freeze.add(t3 - t2);
      read.add(t4 - t3);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("records", size);
    figures.put("buildMs", Report.round(buildMs));
    figures.put("fileBytes", fileBytes);
    figures.put("fileMb", Report.round(fileBytes / 1e6));
    figures.put("serializeToMemoryMs", Report.round(serialize.percentileMillis(50)));
    figures.put("writeFileMs", Report.round(write.percentileMillis(50)));
    figures.put("freezeMs", Report.round(freeze.percentileMillis(50)));
    figures.put("readAndRestoreMs", Report.round(read.percentileMillis(50)));
    figures.put("writeMsPerMb", Report.round(write.percentileMillis(50) / (fileBytes / 1e6)));
    figures.put("readMsPerMb", Report.round(read.percentileMillis(50) / (fileBytes / 1e6)));
    figures.put("repetitions", reps);
    Files.deleteIfExists(file);
    return new Offline(figures, payload);
  }

  private static Map<String, Object> live(byte[] payload, int checkpoints) throws Exception {
    long startBegin = System.nanoTime();
    SdkTarget<?, ?> target = SdkTarget.start(() -> restored(payload), 200);
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      out.put("clusterStartMs", Report.round((System.nanoTime() - startBegin) / 1e6));
      Worker probe = target.newWorker(1);
      // Warm up (session open, JIT, the first entries of the new primary) before measuring.
      for (int i = 0; i < WARM_UP_COMMANDS; i++) {
        probe.executeNext();
      }
      Latencies latencies = new Latencies();
      long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      int primary = target.primary();
      long first = target.lastCheckpointIndex(primary);
      long seen = first;
      int taken = 0;
      long slowestNanos = 0;
      long runStart = System.nanoTime();
      while (taken < checkpoints && System.nanoTime() < end) {
        long t0 = System.nanoTime();
        probe.executeNext();
        long took = System.nanoTime() - t0;
        latencies.add(took);
        slowestNanos = Math.max(slowestNanos, took);
        long now = target.lastCheckpointIndex(primary);
        if (now != seen) {
          seen = now;
          taken++;
        }
      }
      out.put("checkpointsTaken", taken);
      out.put("commands", latencies.count());
      out.put("seconds", Report.round((System.nanoTime() - runStart) / 1e9));
      out.put("latency", latencies.summary());
      out.put("longestApplyStallMs", Report.round(slowestNanos / 1e6));
      double held = 0;
      for (int member = 0; member < 3; member++) {
        held = Math.max(held, target.longestCheckpointHoldMillis(member));
      }
      out.put("longestCheckpointHoldOfApplyThreadMs", Report.round(held));
    } finally {
      target.close();
    }
    return out;
  }

  private static Map<String, Object> windows(byte[] payload, int rounds) throws Exception {
    try (SdkTarget<?, ?> target = SdkTarget.start(() -> restored(payload), 1_000_000_000L)) {
      return windows(target, rounds);
    }
  }

  /**
   * The quiet, together and staggered windows (see the class comment) on a warm {@code target} that
   * takes no checkpoint of its own; {@code rounds} rounds of the three.
   */
  static Map<String, Object> windows(CheckpointTarget target, int rounds) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Worker probe = target.newWorker(2);
    for (int i = 0; i < WARM_UP_COMMANDS * 5; i++) {
      probe.executeNext();
    }
    Window quiet = new Window();
    Window together = new Window();
    Window staggered = new Window();
    long windowNanos = Duration.ofSeconds(2).toNanos();
    for (int round = 0; round < rounds; round++) {
      run(probe, quiet, windowNanos);
      long t0 = System.nanoTime();
      long[] before = checkpointIndexes(target);
      for (int member = 0; member < target.size(); member++) {
        target.checkpointNow(member);
      }
      runUntil(probe, together, target, before, -1);
      long togetherNanos = System.nanoTime() - t0;
      run(probe, quiet, togetherNanos);
      for (int member = 0; member < target.size(); member++) {
        long[] now = checkpointIndexes(target);
        target.checkpointNow(member);
        runUntil(probe, staggered, target, now, member);
      }
      windowNanos = Math.max(windowNanos, togetherNanos);
    }
    out.put("rounds", rounds);
    out.put("quiet", windowSummary(quiet));
    out.put("together", windowSummary(together));
    out.put("staggered", windowSummary(staggered));
    return out;
  }

  private static Map<String, Object> windowSummary(Window window) {
    Map<String, Object> out = new LinkedHashMap<>(window.latencies.summary());
    out.put("p999Ms", Report.round(window.latencies.percentileMillis(99.9)));
    out.put("slowestStartedAt", String.valueOf(window.slowestAt));
    return out;
  }

  /**
   * One kind of window's latencies, and when its slowest command was sent (wall clock, to find it
   * in the members' GC logs and logs).
   */
  private static final class Window {
    final Latencies latencies = new Latencies();
    long slowestNanos = -1;
    java.time.@org.jspecify.annotations.Nullable Instant slowestAt;

    void add(java.time.Instant sent, long nanos) {
      latencies.add(nanos);
      if (nanos > slowestNanos) {
        slowestNanos = nanos;
        slowestAt = sent;
      }
    }
  }

  /** Sends one command and adds its latency to {@code into}. */
  private static void timed(Worker probe, Window into) throws Exception {
    java.time.Instant sent = java.time.Instant.now();
    long t0 = System.nanoTime();
    probe.executeNext();
    into.add(sent, System.nanoTime() - t0);
  }

  private static long[] checkpointIndexes(CheckpointTarget target) {
    long[] out = new long[target.size()];
    for (int member = 0; member < out.length; member++) {
      out[member] = target.lastCheckpointIndex(member);
    }
    return out;
  }

  private static void run(Worker probe, Window into, long nanos) throws Exception {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      timed(probe, into);
    }
  }

  /**
   * Sends commands until every member ({@code only} = -1) or member {@code only} has a newer
   * checkpoint than {@code before}; at most 60 s. Asks the members at most every {@link
   * Target#readyPollMillis()} (each question is an HTTP request to a member process).
   */
  private static void runUntil(
      Worker probe, Window into, CheckpointTarget target, long[] before, int only)
      throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long poll = Duration.ofMillis(target.readyPollMillis()).toNanos();
    long asked = System.nanoTime();
    while (System.nanoTime() < end) {
      timed(probe, into);
      if (System.nanoTime() - asked < poll) {
        continue;
      }
      asked = System.nanoTime();
      boolean done = true;
      for (int member = 0; member < before.length; member++) {
        if ((only < 0 || only == member) && target.lastCheckpointIndex(member) <= before[member]) {
          done = false;
        }
      }
      if (done) {
        return;
      }
    }
    throw new IllegalStateException("a requested checkpoint did not finish within 60 s");
  }

  private static MortgageLoanApplication restored(byte[] payload) {
    MortgageLoanApplication app = new MortgageLoanApplication();
    try {
      app.restore(
          new StreamCheckpointReader(
              new ByteArrayInputStream(payload), app.checkpointVersion(), Position.ZERO));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return app;
  }
}
