package io.steadfast.systemtests;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Member processes of the mortgage system (three to begin with, more joining later), launched
 * through {@code MortgageServer} with a configuration file each, on loopback ports; and the signals
 * the system tests send them.
 */
final class MemberProcesses implements AutoCloseable {

  static final String SECRET = "system-test-member-secret-0123456789";

  private final Path dir;
  private final Path jwks;
  private final Map<String, Integer> raftPorts = new TreeMap<>();
  private final Map<String, Integer> httpPorts = new TreeMap<>();
  private final Map<String, Integer> metricsPorts = new TreeMap<>();
  private final Map<String, Path> configs = new TreeMap<>();
  private final Map<String, Process> processes = new TreeMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  MemberProcesses(Path dir, Path jwks, int[] ports) throws IOException {
    this.dir = dir;
    this.jwks = jwks;
    for (int i = 1; i <= 3; i++) {
      raftPorts.put("n" + i, ports[i - 1]);
      httpPorts.put("n" + i, ports[2 + i]);
    }
    for (String id : httpPorts.keySet()) {
      metricsPorts.put(id, SystemTestSupport.freePorts(1)[0]);
      writeConfig(id, false);
    }
  }

  /**
   * Writes the configuration of a new member {@code id} that joins the running cluster ({@code
   * join=true}, its {@code members} line the members known here and itself); start it with {@link
   * #start}, then have the primary add it.
   */
  void join(String id, int raftPort, int httpPort) throws IOException {
    raftPorts.put(id, raftPort);
    httpPorts.put(id, httpPort);
    metricsPorts.put(id, SystemTestSupport.freePorts(1)[0]);
    writeConfig(id, true);
  }

  /** Forgets member {@code id} (removed from the cluster); its process must have ended. */
  void forget(String id) {
    raftPorts.remove(id);
    httpPorts.remove(id);
    metricsPorts.remove(id);
  }

  int raftPort(String id) {
    return raftPorts.get(id);
  }

  private void writeConfig(String id, boolean joining) throws IOException {
    StringBuilder members = new StringBuilder();
    for (String member : raftPorts.keySet()) {
      members
          .append(members.length() > 0 ? "," : "")
          .append(member)
          .append("=127.0.0.1:")
          .append(raftPorts.get(member))
          .append(':')
          .append(httpPorts.get(member));
    }
    Path config = dir.resolve(id + ".properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "node.id=" + id,
            "cluster.name=system-test",
            "storage.dir=" + dir.resolve("data-" + id),
            "members=" + members,
            "join=" + joining,
            "election.timeout=300-600",
            "checkpoint.every=500",
            "health.interval=200",
            "auth.jwt.jwks=" + jwks,
            "security.member-secret=" + SECRET,
            "shutdown.handover-timeout=3000",
            "metrics.bind=127.0.0.1:" + metricsPorts.get(id),
            ""));
    configs.put(id, config);
  }

  /** The member process of the current release. */
  static final String CURRENT_RELEASE = "io.steadfast.examples.mortgage.MortgageServer";

  /** The member process of release 1 of the mortgage example. */
  static final String RELEASE_1 = "io.steadfast.examples.mortgage.MortgageServer$Release1";

  /** Starts (or restarts) member {@code id} as a new process of the current release. */
  void start(String id) throws IOException {
    start(id, CURRENT_RELEASE);
  }

  /** Starts (or restarts) member {@code id} as a new process running {@code mainClass}. */
  void start(String id, String mainClass) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // The engine's INFO lines too: the logs stay in target/ for reading after a failure.
    // Members see two CPUs wherever the tests run, as on the CI machine: what only two-core hosts
    // meet (the common fork-join pool's default parallelism of 1) is then met on every machine.
    List<String> command =
        new ArrayList<>(
            List.of(java, "-Xmx256m", "-XX:ActiveProcessorCount=2", "-Dsteadfast.log.ratis=info"));
    command.addAll(ClassDataArchive.options());
    command.addAll(
        List.of(
            "-cp",
            ClassDataArchive.memberClassPath(),
            mainClass,
            "--config",
            configs.get(id).toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(id).toFile()));
    processes.put(id, builder.start());
  }

  Path dataDir(String id) {
    return dir.resolve("data-" + id);
  }

  Path log(String id) {
    return dir.resolve(id + ".log");
  }

  List<String> ids() {
    return List.copyOf(httpPorts.keySet());
  }

  int httpPort(String id) {
    return httpPorts.get(id);
  }

  boolean running(String id) {
    Process process = processes.get(id);
    return process != null && process.isAlive();
  }

  /** Sends a signal (KILL, TERM, STOP, CONT) to member {@code id}'s process. */
  void signal(String id, String signal) throws IOException, InterruptedException {
    long pid = processes.get(id).pid();
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + pid + " failed");
    }
  }

  /**
   * The engine's and the node's threads of member {@code id}'s process, from {@code jcmd
   * Thread.print}: each thread whose name starts with the member's id (Ratis names its threads so),
   * with the top of its stack. For the message of a failed assertion, where a member that stopped
   * answering shows what it waits on; empty if the process is not running.
   */
  String threads(String id) {
    if (!running(id)) {
      return "";
    }
    StringBuilder out = new StringBuilder("\n  threads of ").append(id).append(':');
    try {
      Process dump = threadPrint(processes.get(id), ProcessBuilder.Redirect.PIPE);
      List<String> lines =
          new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .toList();
      dump.waitFor(20, TimeUnit.SECONDS);
      int frames = -1; // frames left to quote of the current thread; -1 outside a quoted thread
      for (String line : lines) {
        if (line.startsWith("\"")) {
          frames = line.startsWith("\"" + id) ? THREAD_FRAMES : -1;
          if (frames >= 0) {
            out.append("\n    ").append(line, 0, Math.min(line.length(), 120));
          }
        } else if (frames > 0 && !line.isBlank()) {
          out.append("\n      ").append(line.strip());
          frames--;
        }
      }
    } catch (IOException e) {
      out.append(" no dump: ").append(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.append(" interrupted");
    }
    return out.toString();
  }

  /**
   * Writes a full thread dump ({@code jcmd Thread.print}) of every running member to {@code
   * <id>-threads.txt} beside its log, for reading after a failure whose cause is a member that
   * stopped answering.
   *
   * @return where the dumps went, for the failure's message
   */
  String dumpThreads() {
    StringBuilder written = new StringBuilder("thread dumps:");
    for (Map.Entry<String, Process> member : processes.entrySet()) {
      if (!member.getValue().isAlive()) {
        continue;
      }
      Path file = dir.resolve(member.getKey() + "-threads.txt");
      try {
        Process dump =
            threadPrint(member.getValue(), ProcessBuilder.Redirect.appendTo(file.toFile()), "-l");
        if (dump.waitFor(20, TimeUnit.SECONDS)) {
          written.append(' ').append(file);
        } else {
          dump.destroyForcibly();
          written.append(' ').append(member.getKey()).append(" (jcmd did not finish)");
        }
      } catch (IOException e) {
        written.append(' ').append(member.getKey()).append(" (no dump: ").append(e).append(')');
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return written.toString();
  }

  /**
   * Starts {@code jcmd <pid> Thread.print} (with {@code options}) on {@code member}, its output and
   * errors to {@code out}.
   */
  private static Process threadPrint(Process member, ProcessBuilder.Redirect out, String... options)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(member.pid()));
    command.add("Thread.print");
    command.addAll(List.of(options));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
  }

  /** How many lines of each thread's stack {@link #threads} quotes. */
  private static final int THREAD_FRAMES = 8;

  /** Waits for member {@code id}'s process to end. */
  boolean awaitExit(String id, Duration timeout) throws InterruptedException {
    return processes.get(id).waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The status code of a GET on member {@code id}, or -1 if it does not answer. */
  int probe(String id, String path) {
    try {
      return http.send(
              request(id, path).timeout(Duration.ofMillis(800)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * The value of the Prometheus sample {@code series} (its whole name before the value, labels
   * included) on member {@code id}'s metrics port; fails if the member does not serve it.
   */
  double metric(String id, String series) throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPorts.get(id) + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : body.lines().toList()) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("member " + id + " has no metric " + series);
  }

  /** Member {@code id}'s status document, read as a member. */
  Map<String, Object> status(String id) throws IOException, InterruptedException {
    try {
      return JSONObjectUtils.parse(get(id, "/steadfast/v1/status"));
    } catch (java.text.ParseException e) {
      throw new IOException("unreadable status of " + id + ": " + e.getMessage(), e);
    }
  }

  /** The body of a GET on member {@code id} as a member (with the member secret). */
  String get(String id, String path) throws IOException, InterruptedException {
    return http.send(
            request(id, path).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private HttpRequest.Builder request(String id, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(id) + path))
        .header("Steadfast-Member", SECRET);
  }

  /**
   * One line per member for a failure message: whether its process runs (or its exit status), its
   * readiness, and the role, primary and indexes from its status; under each member that is not
   * ready, the last lines of its log. A test's assertion message is often all a CI run shows of a
   * failure, so it is kept short.
   */
  String describe() {
    return describe(java.util.Set.of());
  }

  /**
   * {@link #describe()}, quoting the log also of the members in {@code logsOf} (and of the primary
   * when it is not empty), ready or not: for a member left behind, its log and the primary's.
   */
  String describe(java.util.Set<String> logsOf) {
    StringBuilder out = new StringBuilder();
    String primary = logsOf.isEmpty() ? "" : primary();
    for (String id : ids()) {
      Process process = processes.get(id);
      out.append("\n  ").append(id).append(": ");
      if (process == null) {
        out.append("never started");
        continue;
      }
      boolean ready = false;
      if (!process.isAlive()) {
        out.append("exited with status ").append(process.exitValue());
      } else {
        int probe = probe(id, "/steadfast/v1/health/ready");
        ready = probe == 200;
        out.append("ready ").append(probe);
        try {
          Map<String, Object> status = status(id);
          for (String field :
              List.of(
                  "role",
                  "primary",
                  "epoch",
                  "upMillis",
                  "commitIndex",
                  "appliedIndex",
                  "journalEndIndex",
                  "lastCheckpointIndex",
                  "health",
                  "healthDetail",
                  "storageRepairs")) {
            out.append(", ").append(field).append(' ').append(status.get(field));
          }
        } catch (IOException e) {
          out.append(", no status: ").append(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.append(", interrupted");
        }
      }
      if (ready && !logsOf.contains(id) && !id.equals(primary)) {
        continue;
      }
      try {
        List<String> lines = Files.readAllLines(log(id));
        lines.stream()
            .skip(Math.max(0, lines.size() - LOG_TAIL))
            .forEach(line -> out.append("\n    | ").append(line));
      } catch (IOException e) {
        out.append("\n    | no log: ").append(e);
      }
    }
    return out.toString();
  }

  /** How many of a member's last log lines {@link #describe} quotes. */
  private static final int LOG_TAIL = 8;

  /** The one member answering 200 on /primary, if exactly one does. */
  String primary() {
    List<String> primaries = new ArrayList<>();
    for (String id : ids()) {
      if (running(id) && probe(id, "/steadfast/v1/primary") == 200) {
        primaries.add(id);
      }
    }
    return primaries.size() == 1 ? primaries.get(0) : "";
  }

  @Override
  public void close() {
    processes.values().forEach(Process::destroyForcibly);
    for (Process process : processes.values()) {
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
