package io.steadfast.benchmarks.scenario;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.steadfast.api.NodeId;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.examples.mortgage.MortgageServer;
import io.steadfast.runtime.SteadfastClient;
import io.steadfast.runtime.security.ClientCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The SDK as an operator runs it: three member processes of the mortgage system, each launched
 * through {@code MortgageServer} with its own configuration file (loopback ports, JWT
 * authentication, a member secret), and remote clients over HTTP that know all three members. A
 * crash is {@code kill -9}.
 *
 * <p>The processes run from this JVM's class path (the benchmarks jar holds the launcher) with
 * {@code -Xmx256m} unless the extra JVM options name another (the last {@code -Xmx} wins); their
 * logs and storage are in a fresh temporary folder, kept when {@code steadfast.bench.keep} is set.
 */
final class ProcessTarget implements CheckpointTarget {

  private static final String SECRET = "benchmark-member-secret-0123456789abcdef";

  private final Path dir;
  private final List<String> ids = List.of("n1", "n2", "n3");
  private final Map<String, Integer> httpPorts = new TreeMap<>();
  private final Map<String, Path> configs = new TreeMap<>();

  /** Where each member's current process began writing its log (the log is appended to). */
  private final long[] logStarts = new long[3];

  /** Whether the members rehearse the primary's path after start (the launcher's default). */
  private final boolean rehearsing;

  private final Process[] processes = new Process[3];
  private final ECKey key;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
  private final List<String> javaOptions;
  private final String mainClass;

  private ProcessTarget(Path dir, List<String> settings, List<String> javaOptions, String mainClass)
      throws IOException, JOSEException {
    this.dir = dir;
    this.javaOptions = List.copyOf(javaOptions);
    this.mainClass = mainClass;
    this.rehearsing = !settings.contains("rehearsal.commands=0");
    this.key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    int[] ports = freePorts(6);
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      httpPorts.put(ids.get(i), ports[3 + i]);
      members
          .append(i > 0 ? "," : "")
          .append(ids.get(i))
          .append("=127.0.0.1:")
          .append(ports[i])
          .append(':')
          .append(ports[3 + i]);
    }
    for (String id : ids) {
      List<String> lines = new ArrayList<>();
      lines.add("node.id=" + id);
      lines.add("cluster.name=bench");
      lines.add("storage.dir=" + dir.resolve("data-" + id));
      lines.add("members=" + members);
      lines.add(
          "election.timeout="
              + ElectionTimeout.min().toMillis()
              + "-"
              + ElectionTimeout.max().toMillis());
      lines.add("request.deadline=10000");
      lines.add("auth.jwt.jwks=" + jwks);
      lines.add("security.member-secret=" + SECRET);
      lines.addAll(settings);
      Path config = dir.resolve(id + ".properties");
      Files.writeString(config, String.join("\n", lines) + "\n");
      configs.put(id, config);
    }
  }

  /**
   * Starts three members and waits for a primary.
   *
   * @param settings extra configuration lines for every member ({@code key=value})
   * @param javaOptions extra JVM options for every member
   */
  static ProcessTarget start(List<String> settings, List<String> javaOptions) {
    return start(settings, javaOptions, MortgageServer.class.getName(), Duration.ofSeconds(20));
  }

  /**
   * Starts three members running {@code mainClass} (a mortgage member's main, such as {@link
   * BookServer}) and waits up to {@code ready} for a primary.
   */
  static ProcessTarget start(
      List<String> settings, List<String> javaOptions, String mainClass, Duration ready) {
    try {
      ProcessTarget target =
          new ProcessTarget(
              Files.createTempDirectory("steadfast-processes"), settings, javaOptions, mainClass);
      // Members must not outlive the benchmark, whichever way it ends.
      Runtime.getRuntime().addShutdownHook(new Thread(target::destroyAll, "kill-member-processes"));
      try {
        for (int i = 0; i < 3; i++) {
          target.launch(i);
        }
        target.primary(ready);
      } catch (RuntimeException e) {
        target.close();
        throw e;
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kills every member process at once, without waiting. */
  private void destroyAll() {
    for (Process process : processes) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }

  private void launch(int member) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
    command.addAll(javaOptions);
    command.addAll(
        List.of(
            // The benchmarks jar logs through slf4j-simple (the launcher's own distribution uses
            // Logback): the runtime's events with a timestamp, the engine's warnings only.
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.io.steadfast=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass,
            "--config",
            configs.get(ids.get(member)).toString()));
    try {
      Path log = dir.resolve(ids.get(member) + ".log");
      logStarts[member] = Files.exists(log) ? Files.size(log) : 0;
      processes[member] =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve(ids.get(member) + ".log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder with the members' logs and storage. */
  Path directory() {
    return dir;
  }

  @Override
  public Side side() {
    return Side.PROCESSES;
  }

  @Override
  public Worker newWorker(int n) {
    return new SdkWorker(client(), USER, 1000L + n);
  }

  /** The one officer every session belongs to, as one front-end serves many sessions. */
  private static final String USER = "officer-bench";

  private @Nullable SteadfastClient<LoanCommand, LoanResult> client;

  /**
   * The remote client all sessions share, made on first use: one HTTP client and one signed token
   * (valid an hour), as an application's front-end would hold them. A client per session would
   * leave hundreds of HTTP clients open (this JVM ran out of file descriptors at 256 sessions) and
   * sign a token for every request, which is the client's cost, not the SDK's.
   */
  private synchronized SteadfastClient<LoanCommand, LoanResult> client() {
    if (client == null) {
      Map<NodeId, URI> endpoints = new TreeMap<>();
      for (String id : ids) {
        endpoints.put(NodeId.of(id), URI.create("http://127.0.0.1:" + httpPorts.get(id)));
      }
      String token = token(USER);
      client =
          SteadfastClient.remote(
              MortgageLoanApplication.codec(),
              endpoints,
              Duration.ofSeconds(10),
              ClientCredentials.none().bearerToken(() -> token));
    }
    return client;
  }

  private String token(String user) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
              new JWTClaimsSet.Builder()
                  .subject(user)
                  .claim("roles", List.of(io.steadfast.examples.mortgage.LoanRoles.OFFICER))
                  .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                  .build());
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int primary() {
    return primary(Duration.ofSeconds(20));
  }

  private int primary(Duration timeout) {
    int[] found = {-1};
    Polling.await(
        "a ready primary among the member processes",
        timeout,
        5,
        () -> (found[0] = readyPrimary()) >= 0);
    return found[0];
  }

  @Override
  public int readyPrimary() {
    for (int i = 0; i < 3; i++) {
      if (running(i) && status(i, "/steadfast/v1/primary", 200) == 200) {
        return i;
      }
    }
    return -1;
  }

  /** Asking a process costs it an HTTP request: every 25 ms at most. */
  @Override
  public long readyPollMillis() {
    return 25;
  }

  /** The status code of a GET, or -1 when the member does not answer within {@code millis}. */
  private int status(int member, String path, int millis) {
    try {
      return http.send(
              request(member, path).timeout(Duration.ofMillis(millis)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpRequest.Builder request(int member, String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPorts.get(ids.get(member)) + path))
        .header("Steadfast-Member", SECRET);
  }

  private Map<String, Object> json(int member, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              request(member, path).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Map.of();
      }
      return JSONObjectUtils.parse(response.body());
    } catch (IOException | java.text.ParseException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  private long number(int member, String field) {
    if (!running(member)) {
      return -1;
    }
    Object value = json(member, "/steadfast/v1/status").get(field);
    return value instanceof Number n ? n.longValue() : -1;
  }

  /** The newest checkpoint's journal index on {@code member} (its status), or -1. */
  @Override
  public long lastCheckpointIndex(int member) {
    return number(member, "lastCheckpointIndex");
  }

  /** Asks {@code member} to write a checkpoint now ({@code POST admin/checkpoint}). */
  @Override
  public void checkpointNow(int member) {
    post(member, "admin/checkpoint", "checkpoint");
  }

  @Override
  public long[] journaled(int member) {
    return new long[] {-1, -1};
  }

  /** {@code kill -9}; returns once the process has ended. */
  @Override
  public Thread beginCrash(int member) {
    Process process = processes[member];
    process.destroyForcibly();
    Thread waiter =
        new Thread(
            () -> {
              try {
                process.waitFor(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kill-process-" + member);
    waiter.start();
    return waiter;
  }

  /** Sends {@code signal} (STOP, CONT, TERM) to a member's process. */
  void signal(int member, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(processes[member].pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void restart(int member) {
    launch(member);
    Polling.await(
        ids.get(member) + " serving after restart",
        Duration.ofSeconds(60),
        10,
        () -> status(member, "/steadfast/v1/health/live", 300) == 200);
  }

  /**
   * Waits until every member is in sync and then until the member processes have settled: each used
   * less than a quarter of a core over the last 500 ms (a restarted member's JVM compiles its hot
   * code for some seconds after it serves, which on two cores would slow whatever comes next).
   * Gives up waiting for calm after 30 s and goes on.
   */
  @Override
  public void awaitInSync(Duration timeout) {
    CheckpointTarget.super.awaitInSync(timeout);
    awaitRehearsals(Duration.ofSeconds(90));
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      long[] before = cpuNanos();
      long start = System.nanoTime();
      Polling.sleepMillis(500);
      long[] after = cpuNanos();
      long window = System.nanoTime() - start;
      boolean calm = true;
      for (int i = 0; i < 3; i++) {
        if (before[i] < 0 || after[i] < 0 || after[i] - before[i] > window / 4) {
          calm = false;
        }
      }
      if (calm) {
        return;
      }
    }
  }

  /**
   * Waits until each running member's current process has logged the end of its rehearsal of the
   * primary's path (done, not needed, stopped or failed), up to {@code timeout}; at once where the
   * members do not rehearse. A rehearsal runs a throwaway cluster in the member's JVM for some
   * seconds after start; a round measured meanwhile would measure it too.
   */
  void awaitRehearsals(Duration timeout) {
    if (!rehearsing) {
      return;
    }
    for (int i = 0; i < 3; i++) {
      int member = i;
      if (processes[member] == null || !processes[member].isAlive()) {
        continue;
      }
      Polling.await(
          ids.get(member) + " rehearsed",
          timeout,
          100,
          () -> logSinceStart(member).contains("rehearsal of the primary's path: "));
    }
  }

  private String logSinceStart(int member) {
    try (java.io.RandomAccessFile file =
        new java.io.RandomAccessFile(dir.resolve(ids.get(member) + ".log").toFile(), "r")) {
      long from = logStarts[member];
      byte[] bytes = new byte[(int) Math.max(0, file.length() - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The member processes' CPU time so far, summed. A member that was restarted counts only its
   * current process; the scenarios that read this do not restart members while they measure.
   */
  @Override
  public long externalCpuNanos() {
    long sum = 0;
    for (long cpu : cpuNanos()) {
      sum += Math.max(0, cpu);
    }
    return sum;
  }

  /** The process id of member {@code member}'s current process, -1 when it is not running. */
  long pid(int member) {
    Process process = processes[member];
    return process == null ? -1 : process.pid();
  }

  /** Each member process's CPU time so far in nanoseconds, -1 where unknown. */
  long[] cpuNanos() {
    long[] cpu = new long[3];
    for (int i = 0; i < 3; i++) {
      Process process = processes[i];
      cpu[i] =
          process == null
              ? -1
              : process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
    return cpu;
  }

  @Override
  public void switchoverTo(int member) {
    post(primary(), "admin/switchover?to=" + ids.get(member), "switchover");
  }

  /**
   * Sends an admin {@code POST} to {@code member} with the member secret.
   *
   * @throws IllegalStateException naming {@code what} and the member's answer if it is not a
   *     success (a checkpoint is accepted with 202)
   */
  private void post(int member, String path, String what) {
    try {
      HttpResponse<String> response =
          http.send(
              request(member, "/steadfast/v1/" + path)
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            what + " refused by member " + member + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean running(int member) {
    return processes[member] != null && processes[member].isAlive();
  }

  @Override
  public long appliedIndex(int member) {
    return number(member, "appliedIndex");
  }

  @Override
  public long commitIndex(int member) {
    return number(member, "commitIndex");
  }

  @Override
  public long term(int member) {
    return number(member, "epoch");
  }

  @Override
  public String digest(int member) {
    Map<String, Object> digest = json(member, "/steadfast/v1/status?digest=true");
    return digest.get("position") + "/" + digest.get("sha256");
  }

  @Override
  public int size() {
    return 3;
  }

  /** Lines of {@code member}'s log that contain {@code text}. */
  long countLogLines(int member, String text) {
    try (Stream<String> lines = Files.lines(dir.resolve(ids.get(member) + ".log"))) {
      return lines.filter(line -> line.contains(text)).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Stops every member gracefully (SIGTERM) and waits up to 30 s for each to exit, so that what
   * their JVMs write at exit (a flight recording, a class-data archive) is complete.
   */
  void terminate() {
    for (int i = 0; i < 3; i++) {
      if (running(i)) {
        signal(i, "TERM");
      }
    }
    awaitExits(30);
  }

  /** Waits up to {@code seconds} for each member process to have ended. */
  private void awaitExits(int seconds) {
    for (Process process : processes) {
      if (process != null) {
        try {
          process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
    awaitExits(10);
    if (!Boolean.getBoolean("steadfast.bench.keep")) {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left for the OS to clean
    }
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
    return ports;
  }
}
