package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.runtime.ConfigurationException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member started from configuration, with its metrics endpoint. */
class ServerStartIT {

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The value of the sample named exactly {@code series} in a Prometheus text body, or -1. */
  private static double count(String body, String series) {
    for (String line : body.lines().toList()) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  /**
   * A stop that was asked for is never taken for the member stopping itself: on SIGTERM the
   * launcher's main loop used to see the member stopped while the shutdown hook was still closing
   * it, and logged "the member stopped itself" at ERROR for an ordinary graceful stop.
   */
  @Test
  void stopAskedFor_isNotAStopOfItsOwn_butAClosedMemberIs() throws Exception {
    SteadfastServer.Running<String, String> asked = startAlone("asked");
    assertThat(asked.stoppedItself()).isFalse();
    Thread stopping = new Thread(asked::stop, "stop-asked-for");
    stopping.start();
    // Sampled all through the stop, as the launcher's main loop does once a second.
    while (stopping.isAlive()) {
      assertThat(asked.stoppedItself()).as("while stop() closes the member").isFalse();
      Thread.sleep(1);
    }
    assertThat(asked.node().stopped()).isTrue();
    assertThat(asked.stoppedItself()).as("after stop()").isFalse();

    SteadfastServer.Running<String, String> failed = startAlone("failed");
    try {
      // The member closes without stop(): what happens when it stops on an error of its own.
      failed.node().close();
      assertThat(failed.stoppedItself()).isTrue();
    } finally {
      failed.stop();
    }
  }

  private SteadfastServer.Running<String, String> startAlone(String name) throws Exception {
    Map<String, String> settings =
        Map.of(
            "node.id",
            "n1",
            "storage.dir",
            dir.resolve(name).toString(),
            "members",
            "n1=127.0.0.1:" + freePort() + ":" + freePort(),
            "commands.permit-unannotated",
            "true");
    return SteadfastServer.start(
        ServerConfig.load(null, Map.of(), settings), AdminIT.Counter::new, AdminIT.TEXT);
  }

  @Test
  void memberFromConfiguration_servesPrometheusMetrics_onLoopbackOnly() throws Exception {
    int raft = freePort();
    int http = freePort();
    int metrics = freePort();
    Map<String, String> settings =
        Map.of(
            "node.id",
            "n1",
            "storage.dir",
            dir.resolve("n1").toString(),
            "members",
            "n1=127.0.0.1:" + raft + ":" + http,
            "commands.permit-unannotated",
            "true",
            "checkpoint.every",
            "3",
            "metrics.bind",
            "127.0.0.1:" + metrics);
    SteadfastServer.Running<String, String> running =
        SteadfastServer.start(
            ServerConfig.load(null, Map.of(), settings), AdminIT.Counter::new, AdminIT.TEXT);
    try {
      HttpClient client = HttpClient.newHttpClient();
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String body = "";
      while (System.nanoTime() < end && !running.node().isPrimary()) {
        Thread.sleep(20);
      }
      var session = running.node().openSession(io.steadfast.api.session.Principal.of("ops"));
      for (int i = 0; i < 5; i++) {
        session.execute("add");
      }
      session.close();
      while (System.nanoTime() < end
          && !(body.contains("role=\"PRIMARY\"} 1.0")
              && count(
                      body,
                      "steadfast_exitpoint_duration_seconds_count{exitpoint=\"apply\",node=\"n1\"}")
                  >= 5
              && count(body, "steadfast_checkpoint_write_seconds_count{node=\"n1\"}") >= 1)) {
        body =
            client
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + running.metricsPort() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Thread.sleep(100);
      }
      assertThat(
              count(
                  body,
                  "steadfast_exitpoint_duration_seconds_count{exitpoint=\"apply\",node=\"n1\"}"))
          .as(body)
          .isGreaterThanOrEqualTo(5);
      assertThat(count(body, "steadfast_batch_requests_sum{node=\"n1\"}"))
          .isGreaterThanOrEqualTo(5);
      assertThat(count(body, "steadfast_checkpoint_size_bytes_max{node=\"n1\"}")).isPositive();
      assertThat(body)
          .contains("steadfast_role{node=\"n1\",role=\"PRIMARY\"} 1.0")
          .contains("steadfast_role_changes_total")
          .contains("steadfast_epoch{node=\"n1\"}")
          .contains("jvm_memory_used_bytes")
          .contains("steadfast_batch_requests_count{node=\"n1\"}")
          .contains("steadfast_commit_latency_seconds_bucket{node=\"n1\",le=")
          .contains("steadfast_exitpoint_duration_seconds_bucket{exitpoint=\"onRoleChange\"")
          .contains("steadfast_primary_changes_total{node=\"n1\"}")
          .contains("steadfast_checkpoint_write_seconds_count{node=\"n1\"}");
    } finally {
      running.stop();
    }

    Map<String, String> open = new java.util.HashMap<>(settings);
    open.put("storage.dir", dir.resolve("n1b").toString());
    open.put("metrics.bind", "0.0.0.0:" + freePort());
    assertThatThrownBy(
            () ->
                SteadfastServer.start(
                    ServerConfig.load(null, Map.of(), open), AdminIT.Counter::new, AdminIT.TEXT))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("metrics.bind"));
  }
}
