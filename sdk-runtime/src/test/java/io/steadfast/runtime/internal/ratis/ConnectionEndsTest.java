package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine tells its node when a connection to its journal port ends: what lets a backup notice a
 * primary whose process died (its connections end with it) before the primary falls silent.
 */
class ConnectionEndsTest {

  @TempDir Path storage;

  @Test
  void aConnectionToTheJournalPortThatEnds_isReported() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    NodeId id = NodeId.of("n1");
    InetSocketAddress own = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
    EngineSettings settings =
        new EngineSettings(
            Duration.ofMillis(150),
            Duration.ofMillis(300),
            Duration.ofSeconds(3),
            1_000_000,
            8L * 1024 * 1024,
            0);
    AtomicInteger ended = new AtomicInteger();
    try (RatisEngine engine =
        RatisEngine.start(
            id,
            "connection-ends-test",
            own,
            List.of(new RatisEngine.Peer(id, "127.0.0.1:" + port, null)),
            storage,
            settings,
            null,
            new BaseStateMachine(),
            ended::incrementAndGet)) {
      int before = ended.get();
      // A peer's connection: the HTTP/2 preface and an empty SETTINGS frame, then gone.
      try (Socket peer = new Socket(own.getAddress(), port)) {
        OutputStream out = peer.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
        out.flush();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ended.get() == before) {
        assertThat(System.nanoTime())
            .as("the ended connection reported within 10 s")
            .isLessThan(deadline);
        Thread.sleep(5);
      }
      assertThat(engine.id()).isEqualTo(id);
    }
  }
}
