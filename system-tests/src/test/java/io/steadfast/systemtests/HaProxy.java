package io.steadfast.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of the members: it health-checks {@code GET /steadfast/v1/primary} every
 * 100 ms and sends client traffic only to the member that answers 200, so clients have one address
 * across failovers and switchovers. Debian's {@code haproxy} package; {@code .ci/run} installs it.
 */
final class HaProxy implements AutoCloseable {

  private final Process process;
  private final int statsPort;

  /**
   * @param port where clients connect
   * @param statsPort where the proxy's statistics are served, on loopback (see {@link #answered})
   */
  HaProxy(Path dir, int port, int statsPort, MemberProcesses members) throws IOException {
    this.statsPort = statsPort;
    if (!Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
      throw new IllegalStateException(
          "HAProxy is not installed: apt-get install haproxy (CI's .ci/run does this)");
    }
    StringBuilder config =
        new StringBuilder(
            String.join(
                "\n",
                "global",
                "  maxconn 512",
                "defaults",
                "  mode http",
                "  timeout connect 500ms",
                "  timeout client 30s",
                "  timeout server 5s",
                "  timeout check 400ms",
                "  retries 2",
                "  option redispatch",
                "frontend steadfast",
                "  bind 127.0.0.1:" + port,
                "  default_backend members",
                "backend members",
                "  option httpchk GET /steadfast/v1/primary",
                "  http-check expect status 200",
                // A member marked down has its open exchanges cut, so that requests held by a
                // frozen primary fail at once and are resent, rather than at the client's attempt
                // timeout.
                "  default-server inter 100ms fall 1 rise 1 on-marked-down shutdown-sessions",
                ""));
    for (String id : members.ids()) {
      config
          .append("  server ")
          .append(id)
          .append(" 127.0.0.1:")
          .append(members.httpPort(id))
          .append(" check\n");
    }
    config
        .append("listen stats\n")
        .append("  bind 127.0.0.1:")
        .append(statsPort)
        .append("\n  stats enable\n  stats uri /stats\n");
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, config.toString());
    this.process =
        new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.log").toFile())
            .start();
  }

  /**
   * How many answers with a 2xx status the members' backend has passed back to clients so far, from
   * the proxy's statistics (CSV, the {@code BACKEND} line's {@code hrsp_2xx}).
   */
  long answered() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String csv =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<String> lines = csv.lines().toList();
    List<String> columns = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
    int name = columns.indexOf("svname");
    int proxy = columns.indexOf("pxname");
    int answered = columns.indexOf("hrsp_2xx");
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split(",", -1);
      if (values.length > answered
          && values[proxy].equals("members")
          && values[name].equals("BACKEND")) {
        return Long.parseLong(values[answered]);
      }
    }
    throw new IllegalStateException("no backend line in HAProxy's statistics: " + csv);
  }

  /** Whether the proxy process is running. */
  boolean running() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
