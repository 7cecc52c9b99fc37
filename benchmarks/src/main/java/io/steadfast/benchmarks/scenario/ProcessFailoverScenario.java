package io.steadfast.benchmarks.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failover with members as separate processes against the embedded cluster, in the same run and
 * with the same election timeout:
 *
 * <ol>
 *   <li><b>kill</b>: rounds alternate between an {@link EmbeddedCluster} of three nodes in this JVM
 *       (the primary crashed in-process) and three {@code MortgageServer} processes (the primary
 *       sent {@code kill -9}); each round is {@link HandoverScenario#failoverRound}, the time from
 *       the kill to the probe session's next acknowledgement, plus when a new primary was first
 *       ready;
 *   <li><b>freeze</b> (processes only): the primary is sent SIGSTOP, the probe's next command is
 *       timed to its acknowledgement, then the primary is sent SIGCONT and rejoins;
 *   <li><b>calm</b> (processes only): eight sessions without pause for the given minutes, no
 *       faults; the figure is how many elections the members' epochs show (the goal is none).
 * </ol>
 *
 * Run from the repository root after {@code ./mvnw -B install -DskipTests}:
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.ProcessFailoverScenario \
 *     --rounds 20 --calm-minutes 10
 * </pre>
 *
 * Options: {@code --rounds N} kill rounds per side (20), {@code --freeze-rounds N} (10), {@code
 * --calm-minutes M} (10; 0 skips), {@code --election-timeout MIN,MAX} (the runtime's default),
 * {@code --out FILE} ({@code benchmarks/target/process-failover.json}), {@code --rehearsal N} (the
 * members' {@code rehearsal.commands}; 0 turns the rehearsal of the primary's path off). Prints a
 * table and writes the figures as JSON. {@code -Dsteadfast.bench.member-options="…"} adds JVM
 * options to the member processes (for example a log level: {@code
 * -Dorg.slf4j.simpleLogger.log.org.apache.ratis.server.impl=info}); {@code
 * -Dsteadfast.bench.keep=true} keeps their logs and storage; {@code -Dsteadfast.bench.trace=true}
 * prints the UTC time of each kill, to line the rounds up with the members' logs.
 */
public final class ProcessFailoverScenario {

  private ProcessFailoverScenario() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    CommonPool.configure();
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    int rounds = 20;
    int freezeRounds = 10;
    double calmMinutes = 10;
    Path out = Path.of("benchmarks", "target", "process-failover.json");
    int rehearsal = -1;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--freeze-rounds" -> freezeRounds = Integer.parseInt(value);
        case "--calm-minutes" -> calmMinutes = Double.parseDouble(value);
        case "--out" -> out = Path.of(value);
        case "--rehearsal" -> rehearsal = Integer.parseInt(value);
        case "--election-timeout" -> {
          int comma = value.indexOf(',');
          ElectionTimeout.set(
              Duration.ofMillis(Long.parseLong(value.substring(0, comma))),
              Duration.ofMillis(Long.parseLong(value.substring(comma + 1))));
        }
        default -> {
          System.err.println("unknown option " + args[i] + "; see the class comment");
          System.exit(2);
        }
      }
    }
    Report report = new Report("processes", "embedded", "issue 17");
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("processors", Runtime.getRuntime().availableProcessors());
    run.put("rehearsalCommands", rehearsal >= 0 ? rehearsal : "member default");
    run.put(
        "electionTimeoutMs",
        ElectionTimeout.min().toMillis() + "-" + ElectionTimeout.max().toMillis());
    run.put(
        "loadAverageAtStart",
        Report.round(
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
    report.put("run", run);
    long begin = System.nanoTime();
    try (SdkTarget<?, ?> embedded = SdkTarget.start();
        ProcessTarget processes = ProcessTarget.start(memberSettings(rehearsal), memberOptions())) {
      say("members' logs in " + processes.directory());
      kills(report, rounds, embedded, processes);
      freezes(report, freezeRounds, processes);
      if (calmMinutes > 0) {
        calm(report, calmMinutes, processes);
      }
    }
    run.put("wallSeconds", Report.round((System.nanoTime() - begin) / 1e9));
    report.write(out);
    report.print();
    System.exit(0);
  }

  private static void kills(
      Report report, int rounds, SdkTarget<?, ?> embedded, ProcessTarget processes)
      throws InterruptedException {
    HandoverScenario scenario = new HandoverScenario();
    Latencies p = new Latencies();
    Latencies e = new Latencies();
    Latencies pReady = new Latencies();
    Latencies eReady = new Latencies();
    Worker pProbe = processes.newWorker(9);
    Worker eProbe = embedded.newWorker(9);
    for (int i = 0; i < rounds; i++) {
      for (Target t :
          i % 2 == 0
              ? List.<Target>of(processes, embedded)
              : List.<Target>of(embedded, processes)) {
        if (t == embedded) {
          // The member processes settle (a restarted one compiles and rehearses for seconds)
          // before an embedded round too, so that neither side is measured beside them.
          processes.awaitInSync(Duration.ofSeconds(60));
        }
        HandoverScenario.Round round = scenario.failoverRound(t, t == processes ? pProbe : eProbe);
        (t == processes ? p : e).add(round.ack());
        if (round.ready() >= 0) {
          (t == processes ? pReady : eReady).add(round.ready());
        }
        say(
            "kill round %d %s: next ack %d ms, new primary ready %d ms",
            i + 1, t.side().key(), round.ack() / 1_000_000, round.ready() / 1_000_000);
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("processes", summary(p, pReady));
    figures.put("embedded", summary(e, eReady));
    double p50 = p.percentileMillis(50) / e.percentileMillis(50);
    double p99 = p.percentileMillis(99) / e.percentileMillis(99);
    figures.put("ratioP50", Report.round(p50));
    figures.put("ratioP99", Report.round(p99));
    report.put("kill", figures);
    for (int q : new int[] {50, 99}) {
      report.row(
          "kill -9", "kill to next ack p" + q, p.percentileMillis(q), e.percentileMillis(q), "ms");
    }
    report.row("kill -9", "kill to next ack max", p.maxMillis(), e.maxMillis(), "ms");
    for (int q : new int[] {50, 99}) {
      report.row(
          "kill -9",
          "kill to new primary ready p" + q,
          pReady.percentileMillis(q),
          eReady.percentileMillis(q),
          "ms");
    }
    report.target("failover processes/embedded (p50)", "<= 1.25", p50, p50 <= 1.25);
    report.target("failover processes/embedded (p99)", "<= 1.25", p99, p99 <= 1.25);
  }

  // The background load only has to run while the round does; the body never touches it.
  @SuppressWarnings("try")
  private static void freezes(Report report, int rounds, ProcessTarget processes)
      throws InterruptedException {
    Latencies frozen = new Latencies();
    Worker probe = processes.newWorker(10);
    for (int i = 0; i < rounds; i++) {
      processes.awaitInSync(Duration.ofSeconds(60));
      try (Load background = new Load(List.of(processes.newWorker(100 + i)), 10)) {
        for (int k = 0; k < 3; k++) {
          probe.executeNext();
        }
        Polling.sleepMillis(37L * i % 100);
        int victim = processes.primary();
        long at = System.nanoTime();
        processes.signal(victim, "STOP");
        long took;
        try {
          probe.executeNext();
          took = System.nanoTime() - at;
          frozen.add(took);
        } finally {
          processes.signal(victim, "CONT");
        }
        // This round's figure (before, the line printed the slowest round so far).
        say("freeze round %d: next ack %d ms", i + 1, took / 1_000_000);
      }
    }
    report.put("freeze", frozen.summary());
    report.row("SIGSTOP", "freeze to next ack p50", frozen.percentileMillis(50), "ms");
    report.row("SIGSTOP", "freeze to next ack p99", frozen.percentileMillis(99), "ms");
  }

  private static void calm(Report report, double minutes, ProcessTarget processes) {
    processes.awaitInSync(Duration.ofSeconds(60));
    long before = maxTerm(processes);
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      workers.add(processes.newWorker(200 + i));
    }
    long acknowledged;
    long errors;
    say("calm: eight sessions for %.1f minutes, no faults", minutes);
    try (Load load = new Load(workers, 0)) {
      Polling.sleepMillis((long) (minutes * 60_000));
      acknowledged = load.acknowledged();
      errors = load.errors();
    }
    long elections = maxTerm(processes) - before;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("minutes", minutes);
    figures.put("acknowledged", acknowledged);
    figures.put("errors", errors);
    figures.put("elections", elections);
    report.put("calm", figures);
    report.row("calm", "commands acknowledged", (double) acknowledged, "");
    report.row("calm", "elections without a fault", (double) elections, "");
    report.target("elections in a calm run under load", "0", (double) elections, elections == 0);
  }

  /** The members' settings: {@code rehearsal} commands when given (at least 0). */
  private static List<String> memberSettings(int rehearsal) {
    List<String> settings = new ArrayList<>(List.of("checkpoint.every=5000"));
    if (rehearsal >= 0) {
      settings.add("rehearsal.commands=" + rehearsal);
    }
    return settings;
  }

  /** Extra JVM options for the member processes: {@code -Dsteadfast.bench.member-options="…"}. */
  private static List<String> memberOptions() {
    String options = System.getProperty("steadfast.bench.member-options", "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  private static long maxTerm(ProcessTarget processes) {
    long max = -1;
    for (int i = 0; i < processes.size(); i++) {
      max = Math.max(max, processes.term(i));
    }
    return max;
  }

  private static Map<String, Object> summary(Latencies ack, Latencies ready) {
    Map<String, Object> figures = new LinkedHashMap<>(ack.summary());
    figures.put("newPrimaryReady", ready.summary());
    return figures;
  }

  private static void say(String format, Object... args) {
    System.out.printf(java.util.Locale.ROOT, "[processes] " + format + "%n", args);
  }
}
