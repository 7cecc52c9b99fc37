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
 * --member-property KEY=VALUE} are repeatable, as for {@link ProcessThroughput} (a GC log, say).
 * Prints the figures as one JSON-like map.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.ProcessCheckpoint \
 *     --records 1000000 --rounds 5
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
    List<String> properties = new ArrayList<>(List.of("checkpoint.every=1000000000"));
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
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + heap);
    options.add("-D" + BookServer.RECORDS + "=" + records);
    options.addAll(memberOptions);
    long start = System.nanoTime();
    try (ProcessTarget processes =
        ProcessTarget.start(
            properties, options, BookServer.class.getName(), Duration.ofMinutes(5))) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("records", records);
      figures.put("heap", heap);
      figures.put("startMs", Report.round((System.nanoTime() - start) / 1e6));
      System.out.println("members in " + processes.directory());
      Worker warm = processes.newWorker(1);
      long end = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
      long warmCommands = 0;
      while (System.nanoTime() < end) {
        warm.executeNext();
        warmCommands++;
      }
      figures.put("warmUpCommands", warmCommands);
      processes.awaitInSync(Duration.ofSeconds(60));
      figures.put("windows", CheckpointScenario.windows(processes, rounds));
      List<Long> checkpoints = new ArrayList<>();
      for (int member = 0; member < processes.size(); member++) {
        checkpoints.add(processes.lastCheckpointIndex(member));
      }
      figures.put("lastCheckpointIndexes", checkpoints);
      System.out.println(figures);
      processes.terminate();
    }
  }
}
