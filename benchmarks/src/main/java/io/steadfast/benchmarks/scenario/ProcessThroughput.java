package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Closed-loop throughput of three member processes, for profiling the remote path: {@code
 * --sessions N} (64), {@code --seconds S} (30), {@code --warmup S} (10), {@code --member-option
 * OPT} (repeatable, for example a flight recording), {@code --member-property KEY=VALUE}
 * (repeatable, a launcher property of docs/operations.md, for example {@code
 * group-commit=256,1048576,1}), {@code --cpu-by-thread true} (each member's and this JVM's CPU per
 * command by thread group, from {@code jcmd} and {@code /proc}; Linux). Prints the throughput
 * figures and each process's share of the CPU.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.ProcessThroughput \
 *     --sessions 64 --seconds 30
 * </pre>
 */
public final class ProcessThroughput {

  private ProcessThroughput() {}

  private static ProcessThreadCpu[] threadTimes(ProcessTarget processes) {
    ProcessThreadCpu[] times = new ProcessThreadCpu[3];
    for (int i = 0; i < 3; i++) {
      times[i] = ProcessThreadCpu.of(processes.pid(i));
    }
    return times;
  }

  public static void main(String[] args) throws Exception {
    CommonPool.configure();
    int sessions = 64;
    int seconds = 30;
    int warmup = 10;
    boolean byThread = false;
    List<String> memberOptions = new ArrayList<>();
    List<String> properties = new ArrayList<>(List.of("checkpoint.every=5000"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sessions" -> sessions = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--member-option" -> memberOptions.add(args[++i]);
        case "--member-property" -> properties.add(args[++i]);
        case "--cpu-by-thread" -> byThread = Boolean.parseBoolean(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (ProcessTarget processes = ProcessTarget.start(properties, memberOptions)) {
      System.out.println("members in " + processes.directory());
      // A first pass warms the members' JIT up; its figures are dropped.
      ThroughputScenario.run(
          processes, sessions, Duration.ofSeconds(1), Duration.ofSeconds(warmup));
      long[] before = processes.cpuNanos();
      ProcessThreadCpu[] threadsBefore = byThread ? threadTimes(processes) : null;
      ThreadCpuTimes ownBefore = ThreadCpuTimes.now();
      Map<String, Object> figures =
          ThroughputScenario.run(
              processes, sessions, Duration.ofSeconds(0), Duration.ofSeconds(seconds));
      long[] after = processes.cpuNanos();
      ProcessThreadCpu[] threadsAfter = byThread ? threadTimes(processes) : null;
      ThreadCpuTimes ownAfter = ThreadCpuTimes.now();
      System.out.println(figures);
      long commands = ((Number) figures.get("commands")).longValue();
      for (int i = 0; i < 3; i++) {
        System.out.printf(
            "member %d: %.0f µs of CPU per command%n", i, (after[i] - before[i]) / 1e3 / commands);
        if (threadsBefore != null && threadsAfter != null) {
          threadsAfter[i]
              .perCommandSince(threadsBefore[i], commands)
              .forEach((group, us) -> System.out.println("    " + group + " " + us));
        }
      }
      if (byThread) {
        System.out.println("this JVM (the clients), by thread:");
        ownAfter
            .perCommandSince(ownBefore, commands)
            .forEach((group, us) -> System.out.println("    " + group + " " + us));
      }
      processes.terminate();
    }
  }
}
