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
            "metrics.bind",
            "127.0.0.1:" + metrics);
    SteadfastServer.Running<String, String> running =
        SteadfastServer.start(
            ServerConfig.load(null, Map.of(), settings), AdminIT.Counter::new, AdminIT.TEXT);
    try {
      HttpClient client = HttpClient.newHttpClient();
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String body = "";
      while (System.nanoTime() < end && !body.contains("role=\"PRIMARY\"} 1.0")) {
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
      assertThat(body)
          .contains("steadfast_role{node=\"n1\",role=\"PRIMARY\"} 1.0")
          .contains("steadfast_role_changes_total")
          .contains("steadfast_epoch{node=\"n1\"}")
          .contains("jvm_memory_used_bytes");
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
