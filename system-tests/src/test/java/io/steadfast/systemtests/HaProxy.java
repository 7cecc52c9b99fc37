package io.steadfast.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of the members: it health-checks {@code GET /steadfast/v1/primary} every
 * 100 ms and sends client traffic only to the member that answers 200, so clients have one address
 * across failovers and switchovers. Debian's {@code haproxy} package; {@code .ci/run} installs it.
 */
final class HaProxy implements AutoCloseable {

  private final Process process;

  HaProxy(Path dir, int port, MemberProcesses members) throws IOException {
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
                "  default-server inter 100ms fall 1 rise 1",
                ""));
    for (String id : members.ids()) {
      config
          .append("  server ")
          .append(id)
          .append(" 127.0.0.1:")
          .append(members.httpPort(id))
          .append(" check\n");
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, config.toString());
    this.process =
        new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.log").toFile())
            .start();
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
