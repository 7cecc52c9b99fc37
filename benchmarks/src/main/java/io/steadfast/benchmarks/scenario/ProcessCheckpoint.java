package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints of a large mortgage book with one replica per JVM: three {@link BookServer} member
 * processes each build the same book of {@code --records N} loans (1,000,000) before they join,
 * take no checkpoint of their own, and after {@code --warmup S} seconds (60) of one remote session
 * sending commands back to back, the scenario measures that session's latencies in the quiet,
 * together and staggered windows of {@link CheckpointScenario} for {@code --rounds R} rounds (5).
 * {@code --heap SIZE} sets each member's {@code -Xmx} (4g); {@code --member-option OPT} and {@code
 * --member-property KEY=VALUE} are repeatable, as for {@link ProcessThroughput} (a GC log, or the
 * collector's pause target of docs/operations.md, say). Prints the figures as one map; {@code
 * ScenarioRunner --only checkpoint-processes} runs the same with the pause target and reports it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.ProcessCheckpoint \
 *     --records 1000000 --rounds 5 --member-option -XX:MaxGCPauseMillis=50
 * </pre>
 *
 * <p>This is the same question as the embedded scenario's windows, without the benchmark's one JVM
 * holding all three replicas: there, the collector's pauses over three large books set the slowest
 * commands.
 */
public final class ProcessCheckpoint {

  private ProcessCheckpoint() {}

  public static void main(String[] args) throws Exception {
    CommonPool.configure();
    int records = 1_000_000;
    int rounds = 5;
    int warmup = 60;
    String heap = "4g";
    List<String> memberOptions = new ArrayList<>();
    List<String> properties = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--heap" -> heap = args[++i];
        case "--member-option" -> memberOptions.add(args[++i]);
        case "--member-property" -> properties.add(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println(
        run(records, rounds, Duration.ofSeconds(warmup), heap, memberOptions, properties));
  }

  /**
   * Starts the three members, warms them up for {@code warmup}, measures {@code rounds} rounds of
   * windows and stops them.
   *
   * @param memberOptions extra JVM options of every member
   * @param properties extra launcher settings of every member ({@code key=value})
   * @return the figures: the book, the options, start-up time, and {@code windows}
   */
  static Map<String, Object> run(
      int records,
      int rounds,
      Duration warmup,
      String heap,
      List<String> memberOptions,
      List<String> properties)
      throws Exception {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + heap);
    options.add("-D" + BookServer.RECORDS + "=" + records);
    options.addAll(memberOptions);
    List<String> settings = new ArrayList<>(List.of("checkpoint.every=1000000000"));
    settings.addAll(properties);
    long start = System.nanoTime();
    try (ProcessTarget processes =
        ProcessTarget.start(settings, options, BookServer.class.getName(), Duration.ofMinutes(5))) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("records", records);
      figures.put("memberOptions", options);
      figures.put("memberSettings", settings);
      figures.put("startMs", Report.round((System.nanoTime() - start) / 1e6));
      System.out.println("members in " + processes.directory());
      Worker warm = processes.newWorker(1);
      long end = System.nanoTime() + warmup.toNanos();
      long warmCommands = 0;
      while (System.nanoTime() < end) {
        warm.executeNext();
        warmCommands++;
      }
      figures.put("warmUpCommands", warmCommands);
      processes.awaitInSync(Duration.ofSeconds(60));
      long epochBefore = processes.term(processes.primary());
      figures.put("windows", CheckpointScenario.windows(processes, rounds));
      figures.put("epochsDuringWindows", processes.term(processes.primary()) - epochBefore);
      List<Long> checkpoints = new ArrayList<>();
      for (int member = 0; member < processes.size(); member++) {
        checkpoints.add(processes.lastCheckpointIndex(member));
      }
      figures.put("lastCheckpointIndexes", checkpoints);
      processes.terminate();
      return figures;
    }
  }
}
