package io.steadfast.benchmarks.scenario;

import java.time.Duration;
import java.util.Map;

/**
 * The closed loop used to compare two builds of the per-command path: the counter application (or
 * with {@code --app mortgage} the mortgage example, its JSON codec and loan book) on an embedded
 * cluster of three, {@code --sessions} sessions each sending its next command when the last is
 * answered, measured for {@code --seconds} after {@code --warmup} seconds, {@code --rounds} times
 * in one JVM, the sessions on platform threads or, with {@code --threads virtual} on JDK 21 or
 * later, on virtual threads. On two cores the JIT compiles for about the first minute of a run (its
 * compiler threads used a fifth of the process's CPU in the second 25-second round), so compare the
 * last of the default three rounds. Sets the common fork-join pool's parallelism as the launcher
 * does (without it, every append on a backup started a thread).
 *
 * <p>{@code java -Xmx4g -Dsteadfast.log.level=error -Dsteadfast.log.ratis=error -cp
 * benchmarks/target/benchmarks.jar io.steadfast.benchmarks.scenario.ClosedLoop --sessions 1024
 * --seconds 20}. Each round prints one line starting with {@code RESULT}: commands per second,
 * latency, and the process CPU per command (three replicas and the client together); with {@code
 * --cpu-by-thread true} also the CPU per command of each group of threads. Run the two builds
 * alternately, several JVMs each: on a two-core machine one run's spread is as wide as most single
 * changes.
 */
public final class ClosedLoop {

  private ClosedLoop() {}

  /** Runs the loop; see the class comment for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    CommonPool.configure();
    int sessions = 1024;
    int seconds = 20;
    int warmup = 10;
    int rounds = 3;
    LoadThreads threads = LoadThreads.chosen();
    boolean byThread = false;
    String app = "counter";
    long checkpointEvery = SdkTarget.RUNTIME_DEFAULT;
    for (int i = 0; i < args.length; i += 2) { // each argument is a name and its value
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--sessions" -> sessions = positive(args[i], value);
        case "--seconds" -> seconds = positive(args[i], value);
        case "--warmup" -> warmup = positive(args[i], value);
        case "--rounds" -> rounds = positive(args[i], value);
        case "--threads" -> threads = LoadThreads.named(value);
        case "--cpu-by-thread" -> byThread = Boolean.parseBoolean(value);
        case "--app" -> app = application(value);
        case "--checkpoint-every" -> checkpointEvery = positive(args[i], value);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; known: --sessions N, --seconds N, --warmup N, --rounds N,"
                    + " --threads platform|virtual, --cpu-by-thread true|false,"
                    + " --app counter|mortgage, --checkpoint-every N (mortgage)");
      }
    }
    try (SdkTarget<?, ?> target =
        app.equals("mortgage")
            ? SdkTarget.start(
                io.steadfast.examples.mortgage.MortgageLoanApplication::new, checkpointEvery)
            : SdkTarget.counter()) {
      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> result =
            ThroughputScenario.run(
                target,
                sessions,
                Duration.ofSeconds(warmup),
                Duration.ofSeconds(seconds),
                threads,
                byThread);
        System.out.println("RESULT round " + round + " " + result);
      }
    }
  }

  /**
   * {@code value} if it names an application the benchmarks run ({@code counter}, {@code
   * mortgage}).
   */
  static String application(String value) {
    if (value.equals("counter") || value.equals("mortgage")) {
      return value;
    }
    throw new IllegalArgumentException("--app is counter or mortgage, got '" + value + "'");
  }

  /** {@code value} of the argument {@code name} as a positive whole number, or a clear error. */
  static int positive(String name, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " needs a positive whole number, got '" + value + "'");
  }
}
