package io.steadfast.benchmarks.scenario;

import io.steadfast.codec.binary.BinaryCodec;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the SDK and a raw Ratis baseline in one run, in this JVM, on loopback: footprint,
 * throughput, switchover, failover, catch-up and checkpoint. Prints a table and writes {@code
 * benchmarks/target/results.json} (or {@code target/results.json} when started inside {@code
 * benchmarks/}).
 *
 * <p>Both systems are three nodes with a 150–300 ms election timeout. Footprint is measured first,
 * one system at a time; then both systems run side by side (the idle one costs the other a little
 * CPU, equally) and the measurements alternate between them: SDK then raw for each throughput load,
 * and SDK and raw rounds interleaved (order swapped every round) for failover and switchover.
 *
 * <p>Run from the repository root after {@code ./mvnw -B install -DskipTests}:
 *
 * <pre>
 * java -Xmx6g -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.ScenarioRunner --quick
 * </pre>
 *
 * <p>Without {@code --quick} the full run takes about 10 minutes. {@code --only a,b} runs some
 * scenarios ({@code footprint, throughput, switchover, failover, catchup, checkpoint}); those of
 * {@link Options#OPT_IN} ({@code curve-processes}, {@code curve-codec}, {@code
 * checkpoint-processes}) run only when named. {@code --load-threads virtual} (JDK 21 or later) runs
 * every session of the load, for the SDK and raw Ratis alike, on a virtual thread.
 */
public final class ScenarioRunner {

  private final Options options;
  private final Report report = new Report();

  private ScenarioRunner(Options options) {
    this.options = options;
  }

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    CommonPool.configure();
    // Ratis is chatty at INFO (and logs stack traces when a node is killed): keep the table
    // readable.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // If anything ends the JVM before the run is done (a library calling System.exit, a signal),
    // say so and show where every thread was: the table alone would just be missing.
    java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!finished.get()) {
                    System.err.println(
                        "[bench] the JVM is exiting before the run finished; threads:");
                    Thread.getAllStackTraces()
                        .forEach(
                            (thread, stack) -> {
                              System.err.println("  " + thread.getName());
                              for (StackTraceElement frame : stack) {
                                System.err.println("      at " + frame);
                              }
                            });
                  }
                },
                "bench-exit-report"));
    try {
      new ScenarioRunner(options).run();
    } catch (Throwable e) {
      // Ratis replaces the JVM's default handler of uncaught exceptions, which would hide this.
      System.err.println("[bench] the run failed:");
      e.printStackTrace();
      finished.set(true);
      System.exit(1);
    }
    finished.set(true);
    System.exit(0);
  }

  private void run() throws Exception {
    long begin = System.nanoTime();
    var os = ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("mode", options.quick() ? "quick" : "full");
    run.put("startedAt", Instant.now().toString());
    run.put("processors", Runtime.getRuntime().availableProcessors());
    run.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    run.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1 << 20));
    run.put("loadAverageAtStart", Report.round(os.getSystemLoadAverage()));
    run.put("nodesPerSystem", 3);
    run.put(
        "electionTimeoutMs",
        ElectionTimeout.min().toMillis() + "-" + ElectionTimeout.max().toMillis());
    run.put("transport", "gRPC over loopback, all nodes in this JVM");
    run.put("loadThreads", LoadThreads.chosen().name().toLowerCase(java.util.Locale.ROOT));
    report.put("run", run);

    if (options.runs("footprint")) {
      footprint();
    }
    boolean clusters =
        options.runs("throughput")
            || options.runs("curve")
            || options.runs("switchover")
            || options.runs("failover")
            || options.runs("catchup");
    if (clusters) {
      say("starting the SDK cluster and the raw Ratis cluster");
      try (SdkTarget<?, ?> sdk = SdkTarget.start();
          RawTarget raw = RawTarget.start()) {
        if (options.runs("throughput")) {
          throughput(sdk, raw);
        }
        if (options.runs("curve")) {
          curve(sdk, raw);
        }
        if (options.runs("switchover")) {
          switchover(sdk, raw);
        }
        if (options.runs("failover")) {
          failover(sdk, raw);
        }
        if (options.runs("catchup")) {
          catchUp(sdk, raw);
        }
        say("stopping both clusters");
      }
    }
    if (options.runs("checkpoint")) {
      checkpoint();
    }
    if (options.runs("checkpoint-processes")) {
      checkpointProcesses();
    }
    if (options.runs("curve-processes")) {
      curveProcesses();
    }
    if (options.runs("curve-codec")) {
      curveCodec();
    }
    run.put("loadAverageAtEnd", Report.round(os.getSystemLoadAverage()));
    run.put("wallSeconds", Report.round((System.nanoTime() - begin) / 1e9));
    report.write(options.out());
    report.print();
    say(
        "results written to %s (%.0f s)",
        options.out().toAbsolutePath(), (System.nanoTime() - begin) / 1e9);
  }

  private void footprint() throws Exception {
    // Start and stop each system once first, so that neither pays class loading in its figures.
    say("footprint: warming up (start and stop each system once)");
    SdkTarget.start().close();
    RawTarget.start().close();
    say("footprint: idle SDK cluster");
    Map<String, Object> sdk = FootprintScenario.run(SdkTarget::start, options.footprintIdle());
    say("footprint: idle raw Ratis cluster");
    Map<String, Object> raw = FootprintScenario.run(RawTarget::start, options.footprintIdle());
    report.put("footprint", sides(sdk, raw));
    for (String[] f :
        new String[][] {
          {"threadsPerNode", "threads per node", ""},
          {"heapMbPerNode", "heap per node (after GC)", "MB"},
          {"idleCpuPercentOfCorePerNode", "idle CPU per node", "% core"},
          {"startMs", "start 3 nodes", "ms"},
          {"closeMs", "close 3 nodes", "ms"},
          {"threadsLeftAfterClose", "threads left 1 s after close", ""}
        }) {
      report.row("footprint", f[1], num(sdk, f[0]), num(raw, f[0]), f[2]);
    }
  }

  private void throughput(SdkTarget<?, ?> sdk, RawTarget raw) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>();
    say("throughput: starting a third cluster, the SDK running the counter application");
    try (SdkTarget<?, ?> counter = SdkTarget.counter()) {
      warmUp("throughput", List.of(sdk, counter, raw));
      for (int sessions : List.of(1, 64)) {
        say("throughput: %d session(s), SDK (mortgage)", sessions);
        Map<String, Object> s =
            ThroughputScenario.run(
                sdk, sessions, options.throughputWarmup(), options.throughputSeconds());
        say("throughput: %d session(s), SDK (counter)", sessions);
        Map<String, Object> c =
            ThroughputScenario.run(
                counter, sessions, options.throughputWarmup(), options.throughputSeconds());
        say("throughput: %d session(s), raw Ratis", sessions);
        Map<String, Object> r =
            ThroughputScenario.run(
                raw, sessions, options.throughputWarmup(), options.throughputSeconds());
        String name = sessions == 1 ? "sequential" : "concurrent64";
        Map<String, Object> figures = sides(s, r);
        figures.put("sdkCounterApp", c);
        all.put(name, figures);
        throughputRows(sessions, s, c, r);
      }
    }
    long elections = 0;
    for (Object v : all.values()) {
      elections += (long) ((Map<?, ?>) ((Map<?, ?>) v).get("sdk")).get("termChanges");
      elections += (long) ((Map<?, ?>) ((Map<?, ?>) v).get("sdkCounterApp")).get("termChanges");
    }
    report.target(
        "no election in SDK throughput runs (both apps)",
        "0 term changes",
        (double) elections,
        elections == 0);
    report.put("throughput", all);
  }

  /**
   * Lets the JIT compile every system's hot path under load first (64 sessions, closed loop, not
   * measured): otherwise the first phases share the CPU with the compiler threads and measure
   * warm-up.
   */
  /** The member processes' extra warm-up before their curve, in seconds. */
  private static final int PROCESS_WARMUP_S = 150;

  private void warmUp(String scenario, List<Target> targets) throws InterruptedException {
    say("%s: warming up every system at 64 sessions (not measured)", scenario);
    for (Target target : targets) {
      ThroughputScenario.run(target, 64, Duration.ZERO, options.throughputWarmup().multipliedBy(2));
    }
  }

  private void curve(SdkTarget<?, ?> sdk, RawTarget raw) throws Exception {
    say("curve: starting a third cluster, the SDK running the counter application");
    try (SdkTarget<?, ?> counter = SdkTarget.counter()) {
      warmUp("curve", List.of(sdk, counter, raw));
      Map<String, Target> systems = new LinkedHashMap<>();
      systems.put("SDK mortgage", sdk);
      systems.put("SDK counter", counter);
      systems.put("raw Ratis", raw);
      Map<String, List<Map<String, Object>>> curves =
          sweepCurves("curve", options.curveSessions(), systems);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("heldMeans", "achieved >= " + OpenLoopScenario.HELD + " x offered");
      figures.put("latencyFrom", "when the command was due (corrected for coordinated omission)");
      figures.put("sdk", curves.get("SDK mortgage"));
      figures.put("sdkCounterApp", curves.get("SDK counter"));
      figures.put("raw", curves.get("raw Ratis"));
      report.put("curve", figures);
      LoadCurve.judge(
          report, curves.get("SDK mortgage"), curves.get("SDK counter"), curves.get("raw Ratis"));
      CurveChart.write(curves, options.chart());
      say("curve: chart written to %s", options.chart().toAbsolutePath());
    }
  }

  /**
   * Sweeps the load curve of each system over {@code sessions} and adds each one's capacity and CPU
   * per command at capacity to the report's {@code section}.
   */
  private Map<String, List<Map<String, Object>>> sweepCurves(
      String section, List<Integer> sessions, Map<String, Target> systems)
      throws InterruptedException {
    LoadCurve curve =
        new LoadCurve(
            sessions,
            Options.CURVE_FIRST_RATE,
            Options.CURVE_MAX_RATE,
            options.curveWarmup(),
            options.curveMeasure(),
            line -> say("%s", line));
    Map<String, List<Map<String, Object>>> curves = curve.sweep(systems);
    for (Map.Entry<String, List<Map<String, Object>>> c : curves.entrySet()) {
      Map<String, Object> top = LoadCurve.capacity(c.getValue());
      report.row(
          section,
          c.getKey() + " capacity (" + top.get("sessions") + " sessions)",
          num(top, "achievedPerSecond"),
          "ops/s");
      report.row(
          section,
          c.getKey() + " CPU at capacity",
          num(top, "processCpuMicrosPerCommand"),
          "us/op");
    }
    return curves;
  }

  /** Session counts of the codec comparison. */
  private static final List<Integer> CODEC_CURVE_SESSIONS = List.of(64, 256, 1024);

  /**
   * The mortgage example's load curve twice in one run, on two embedded clusters taking turns at
   * each session count: one with the example's JSON codec, one with {@link BinaryCodec}. Nothing
   * else differs, so the difference is what the codec costs end to end.
   */
  private void curveCodec() throws Exception {
    say("curve-codec: starting two SDK clusters, JSON and binary codec");
    try (SdkTarget<?, ?> json = SdkTarget.start();
        SdkTarget<?, ?> binary =
            SdkTarget.start(BinaryCodec.of(LoanCommand.class, LoanResult.class))) {
      warmUp("curve-codec", List.of(json, binary));
      Map<String, Target> systems = new LinkedHashMap<>();
      systems.put("SDK mortgage, JSON", json);
      systems.put("SDK mortgage, binary", binary);
      Map<String, List<Map<String, Object>>> curves =
          sweepCurves("curve-codec", CODEC_CURVE_SESSIONS, systems);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("json", curves.get("SDK mortgage, JSON"));
      figures.put("binary", curves.get("SDK mortgage, binary"));
      report.put("curveCodec", figures);
      Path chart = options.chart().resolveSibling("load-curve-codec.svg");
      CurveChart.write(curves, chart);
      say("curve-codec: chart written to %s", chart.toAbsolutePath());
    }
  }

  /**
   * The mortgage system's load curve twice in one run: as the embedded cluster (three members and
   * the clients in this JVM, in-process clients) and as three member processes with remote clients
   * over HTTP, as an operator runs it. Per-command CPU counts this JVM and the member processes.
   * Session counts are {@link Options#PROCESS_CURVE_SESSIONS}.
   */
  private void curveProcesses() throws Exception {
    say("curve-processes: starting the embedded cluster and three member processes");
    try (SdkTarget<?, ?> embedded = SdkTarget.start(MortgageLoanApplication::new, 5000);
        ProcessTarget processes =
            ProcessTarget.start(List.of("checkpoint.every=5000"), List.of())) {
      warmUp("curve-processes", List.of(embedded, processes));
      // Four JVMs share two cores: the members' JIT compilers are still busy after the common
      // warm-up (a member spent a core-second per second compiling at 50 s), which the curve
      // would count as the SDK's cost per command.
      say("curve-processes: warming the member processes up for %d s more", PROCESS_WARMUP_S);
      ThroughputScenario.run(processes, 64, Duration.ZERO, Duration.ofSeconds(PROCESS_WARMUP_S));
      Map<String, Target> systems = new LinkedHashMap<>();
      systems.put("embedded", embedded);
      systems.put("processes", processes);
      Map<String, List<Map<String, Object>>> curves =
          sweepCurves("curve-processes", Options.PROCESS_CURVE_SESSIONS, systems);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("application", "mortgage, checkpoint every 5,000 entries on both");
      figures.put("heldMeans", "achieved >= " + OpenLoopScenario.HELD + " x offered");
      figures.put("cpu", "this JVM plus the member processes");
      figures.put("embedded", curves.get("embedded"));
      figures.put("processes", curves.get("processes"));
      report.put("curveProcesses", figures);
      CurveChart.write(curves, options.processChart());
      say("curve-processes: chart written to %s", options.processChart().toAbsolutePath());
    }
  }

  private void throughputRows(
      int sessions, Map<String, Object> s, Map<String, Object> c, Map<String, Object> r) {
    {
      String label = sessions == 1 ? "1 session: " : "64 sessions: ";
      report.row(
          "throughput", label + "ops/s", num(s, "opsPerSecond"), num(r, "opsPerSecond"), "/s");
      report.row(
          "throughput", label + "p50 latency", latency(s, "p50Ms"), latency(r, "p50Ms"), "ms");
      report.row(
          "throughput", label + "p99 latency", latency(s, "p99Ms"), latency(r, "p99Ms"), "ms");
      report.row(
          "throughput",
          label + "commands per journal entry",
          num(s, "commandsPerEntry"),
          num(r, "commandsPerEntry"),
          "");
      report.row(
          "throughput",
          label + "commands per Raft log index",
          num(s, "commandsPerLogIndex"),
          num(r, "commandsPerLogIndex"),
          "");
      report.row(
          "throughput",
          label + "term changes (elections)",
          num(s, "termChanges"),
          num(r, "termChanges"),
          "");
      report.row(
          "throughput",
          label + "process CPU per command",
          num(s, "processCpuMicrosPerCommand"),
          num(r, "processCpuMicrosPerCommand"),
          "us");
      report.row(
          "throughput",
          label + "ops/s, SDK running the counter app",
          num(c, "opsPerSecond"),
          num(r, "opsPerSecond"),
          "/s");
      report.row(
          "throughput",
          label + "p99, SDK running the counter app",
          latency(c, "p99Ms"),
          latency(r, "p99Ms"),
          "ms");
      report.row(
          "throughput",
          label + "cmds/entry, SDK running the counter app",
          num(c, "commandsPerEntry"),
          num(r, "commandsPerEntry"),
          "");
      if (sessions == 64) {
        double ratio = num(s, "opsPerSecond") / num(r, "opsPerSecond");
        report.target("64 sessions: SDK ops/s >= 10x raw", ">= 10x", ratio, ratio >= 10);
        report.target(
            "64 sessions: SDK p99 latency",
            "<= 50 ms",
            latency(s, "p99Ms"),
            latency(s, "p99Ms") <= 50);
        double counterRatio = num(c, "opsPerSecond") / num(r, "opsPerSecond");
        report.target(
            "64 sessions: SDK (counter app) ops/s >= 10x raw",
            ">= 10x",
            counterRatio,
            counterRatio >= 10);
      }
    }
  }

  private void switchover(SdkTarget<?, ?> sdk, RawTarget raw) throws Exception {
    HandoverScenario rounds = new HandoverScenario();
    Latencies s = new Latencies();
    Latencies r = new Latencies();
    Latencies sCall = new Latencies();
    Latencies rCall = new Latencies();
    Worker sdkProbe = sdk.newWorker(7);
    Worker rawProbe = raw.newWorker(7);
    for (int i = 0; i < options.switchoverRounds(); i++) {
      say("switchover round %d of %d", i + 1, options.switchoverRounds());
      for (Target t : i % 2 == 0 ? List.<Target>of(sdk, raw) : List.<Target>of(raw, sdk)) {
        HandoverScenario.Round round = rounds.switchoverRound(t, t == sdk ? sdkProbe : rawProbe);
        (t == sdk ? s : r).add(round.ack());
        (t == sdk ? sCall : rCall).add(round.ready());
      }
    }
    Map<String, Object> sdkFigures = withSamples(s);
    sdkFigures.put("switchoverCall", sCall.summary());
    Map<String, Object> rawFigures = withSamples(r);
    rawFigures.put("switchoverCall", rCall.summary());
    report.put("switchover", sides(sdkFigures, rawFigures));
    latencyRows("switchover", "time to next ack", s, r);
    report.row(
        "switchover",
        "of which the switchover call, p50",
        sCall.percentileMillis(50),
        rCall.percentileMillis(50),
        "ms");
    report.target(
        "switchover p99 (SDK)", "<= 100 ms", s.percentileMillis(99), s.percentileMillis(99) <= 100);
  }

  private void failover(SdkTarget<?, ?> sdk, RawTarget raw) throws Exception {
    HandoverScenario rounds = new HandoverScenario();
    Latencies s = new Latencies();
    Latencies r = new Latencies();
    Latencies sReady = new Latencies();
    Latencies rReady = new Latencies();
    Worker sdkProbe = sdk.newWorker(9);
    Worker rawProbe = raw.newWorker(9);
    for (int i = 0; i < options.failoverRounds(); i++) {
      say("failover round %d of %d", i + 1, options.failoverRounds());
      for (Target t : i % 2 == 0 ? List.<Target>of(sdk, raw) : List.<Target>of(raw, sdk)) {
        HandoverScenario.Round round = rounds.failoverRound(t, t == sdk ? sdkProbe : rawProbe);
        (t == sdk ? s : r).add(round.ack());
        if (round.ready() >= 0) {
          (t == sdk ? sReady : rReady).add(round.ready());
        }
      }
    }
    Map<String, Object> sdkFigures = withSamples(s);
    sdkFigures.put("newPrimaryReady", withSamples(sReady));
    Map<String, Object> rawFigures = withSamples(r);
    rawFigures.put("newPrimaryReady", withSamples(rReady));
    Map<String, Object> figures = sides(sdkFigures, rawFigures);
    double p50Ratio = s.percentileMillis(50) / r.percentileMillis(50);
    double p99Ratio = s.percentileMillis(99) / r.percentileMillis(99);
    figures.put("ratioP50", Report.round(p50Ratio));
    figures.put("ratioP99", Report.round(p99Ratio));
    report.put("failover", figures);
    latencyRows("failover", "kill to next ack", s, r);
    report.row(
        "failover",
        "kill to new primary ready p50",
        sReady.percentileMillis(50),
        rReady.percentileMillis(50),
        "ms");
    report.row(
        "failover",
        "kill to new primary ready p99",
        sReady.percentileMillis(99),
        rReady.percentileMillis(99),
        "ms");
    report.target(
        "failover p99 (SDK)", "<= 300 ms", s.percentileMillis(99), s.percentileMillis(99) <= 300);
    report.target("failover SDK/raw ratio (p99)", "<= 1.25", p99Ratio, p99Ratio <= 1.25);
    report.target("failover SDK/raw ratio (p50)", "<= 1.25", p50Ratio, p50Ratio <= 1.25);
  }

  private void catchUp(SdkTarget<?, ?> sdk, RawTarget raw) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>();
    for (int commands : options.catchUpSizes()) {
      say("catch-up after %,d commands: SDK", commands);
      Map<String, Object> s = CatchUpScenario.run(sdk, commands);
      say("catch-up after %,d commands: raw Ratis", commands);
      Map<String, Object> r = CatchUpScenario.run(raw, commands);
      all.put(Integer.toString(commands), sides(s, r));
      String label = String.format("%,d commands: ", commands);
      report.row(
          "catch-up",
          label + "entries behind",
          num(s, "entriesBehind"),
          num(r, "entriesBehind"),
          "");
      report.row(
          "catch-up", label + "restart to in sync", num(s, "catchUpMs"), num(r, "catchUpMs"), "ms");
      report.row(
          "catch-up",
          label + "digests match (1 = yes)",
          Boolean.TRUE.equals(s.get("digestsMatch")) ? 1 : 0,
          Boolean.TRUE.equals(r.get("digestsMatch")) ? 1 : 0,
          "");
      report.row(
          "catch-up", label + "checkpoints received (SDK)", num(s, "checkpointsInstalled"), "");
      if (commands == 100_000) {
        report.target(
            "catch-up of 100k commands (SDK)",
            "<= 2000 ms",
            num(s, "catchUpMs"),
            num(s, "catchUpMs") <= 2000 && Boolean.TRUE.equals(s.get("digestsMatch")));
      }
    }
    report.put("catchUp", all);
  }

  private void checkpoint() throws Exception {
    say(
        "checkpoint: sizes %s offline, %s live",
        options.checkpointSizes(), options.liveCheckpointSizes());
    Map<String, Object> figures =
        CheckpointScenario.run(
            options.checkpointSizes(),
            options.liveCheckpointSizes(),
            options.checkpointReps(),
            options.liveCheckpoints());
    figures.put("raw", "not applicable: the counter baseline has no application state");
    report.put("checkpoint", figures);
    Map<?, ?> offline = (Map<?, ?>) figures.get("offline");
    Map<?, ?> live = (Map<?, ?>) figures.get("live");
    for (Object key : offline.keySet()) {
      Map<?, ?> o = (Map<?, ?>) offline.get(key);
      String label = String.format("%,d records: ", Integer.parseInt(key.toString()));
      report.row("checkpoint", label + "file size", num(o, "fileMb"), "MB");
      report.row(
          "checkpoint", label + "write (serialize+crc+md5+fsync)", num(o, "writeFileMs"), "ms");
      report.row("checkpoint", label + "freeze (runtime's stall)", num(o, "freezeMs"), "ms");
      report.row("checkpoint", label + "read + restore", num(o, "readAndRestoreMs"), "ms");
      Map<?, ?> l = (Map<?, ?>) live.get(key);
      if (l != null) {
        report.row(
            "checkpoint", label + "live: slowest command", num(l, "longestApplyStallMs"), "ms");
        report.row(
            "checkpoint",
            label + "live: apply thread held by a checkpoint",
            num(l, "longestCheckpointHoldOfApplyThreadMs"),
            "ms");
        report.row("checkpoint", label + "live: p50 command latency", latency(l, "p50Ms"), "ms");
      }
    }
    String largest =
        live.keySet().stream()
            .map(Object::toString)
            .max((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
            .orElse(null);
    if (largest != null) {
      Map<?, ?> l = (Map<?, ?>) live.get(largest);
      String at =
          " at "
              + largest
              + " records"
              + (largest.equals("1000000") ? "" : " (1M in the full run)");
      double held = num(l, "longestCheckpointHoldOfApplyThreadMs");
      report.target("checkpoint: apply thread held" + at, "<= 50 ms", held, held <= 50);
      double slowest = num(l, "longestApplyStallMs");
      report.target(
          "checkpoint: slowest command during checkpoints" + at,
          "<= 100 ms",
          slowest,
          slowest <= 100);
    }
    Map<?, ?> windows = (Map<?, ?>) figures.get("windows");
    for (Object key : windows.keySet()) {
      Map<?, ?> w = (Map<?, ?>) windows.get(key);
      String label = String.format("%,d records, window ", Integer.parseInt(key.toString()));
      for (String window : List.of("quiet", "together", "staggered")) {
        Map<?, ?> summary = (Map<?, ?>) w.get(window);
        report.row("checkpoint", label + window + ": p99", num(summary, "p99Ms"), "ms");
        report.row("checkpoint", label + window + ": p99.9", num(summary, "p999Ms"), "ms");
        report.row("checkpoint", label + window + ": max", num(summary, "maxMs"), "ms");
      }
    }
  }

  /**
   * The checkpoint windows of {@link ProcessCheckpoint}: three member processes each holding one
   * replica of the largest live book, with the collector's pause target docs/operations.md
   * recommends for members with a large state. The target reads the staggered window, which is how
   * the members write on their own (a third of the interval apart).
   */
  private void checkpointProcesses() throws Exception {
    int records = options.liveCheckpointSizes().get(options.liveCheckpointSizes().size() - 1);
    say("checkpoint-processes: three member processes, each building a book of %,d loans", records);
    Map<String, Object> figures =
        ProcessCheckpoint.run(
            records,
            options.quick() ? 2 : 5,
            Duration.ofSeconds(options.quick() ? 20 : 60),
            "4g",
            List.of("-XX:MaxGCPauseMillis=" + MEMBER_PAUSE_TARGET_MS),
            List.of());
    report.put("checkpointProcesses", figures);
    Map<?, ?> windows = (Map<?, ?>) figures.get("windows");
    String label = String.format("%,d records, processes, window ", records);
    for (String window : List.of("quiet", "together", "staggered")) {
      Map<?, ?> summary = (Map<?, ?>) windows.get(window);
      report.row("checkpoint", label + window + ": p99", num(summary, "p99Ms"), "ms");
      report.row("checkpoint", label + window + ": max", num(summary, "maxMs"), "ms");
    }
    double slowest = num((Map<?, ?>) windows.get("staggered"), "maxMs");
    report.target(
        "checkpoint: slowest command, member processes writing apart, at "
            + records
            + " records"
            + (records == 1_000_000 ? "" : " (1M in the full run)"),
        "<= 100 ms",
        slowest,
        slowest <= 100);
  }

  /** The G1 pause target the process checkpoint scenario gives its members (docs/operations.md). */
  private static final int MEMBER_PAUSE_TARGET_MS = 50;

  private void latencyRows(String section, String what, Latencies s, Latencies r) {
    report.row(section, what + " p50", s.percentileMillis(50), r.percentileMillis(50), "ms");
    report.row(section, what + " p99", s.percentileMillis(99), r.percentileMillis(99), "ms");
    report.row(section, what + " max", s.maxMillis(), r.maxMillis(), "ms");
    report.row(section, "rounds", s.count(), r.count(), "");
  }

  private static Map<String, Object> withSamples(Latencies latencies) {
    Map<String, Object> out = latencies.summary();
    out.put("samplesMs", latencies.millis());
    return out;
  }

  private static Map<String, Object> sides(Map<String, Object> sdk, Map<String, Object> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sdk", sdk);
    out.put("raw", raw);
    return out;
  }

  private static double num(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static double latency(Map<?, ?> map, String key) {
    return num((Map<?, ?>) map.get("latency"), key);
  }

  private static void say(String format, Object... args) {
    System.out.printf(
        "[bench %s] %s%n",
        java.time.LocalTime.now(java.time.ZoneOffset.UTC)
            .truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        String.format(java.util.Locale.ROOT, format, args));
  }
}
