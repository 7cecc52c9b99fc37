package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.NodeId;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    AtomicInteger ended = new AtomicInteger();
    try (RatisEngine engine =
        SingleMemberEngine.start(
            storage, "connection-ends-test", new BaseStateMachine(), ended::incrementAndGet)) {
      InetSocketAddress own = engine.journalAddress(NodeId.of("n1")).orElseThrow();
      int before = ended.get();
      // A peer's connection: the HTTP/2 preface and an empty SETTINGS frame, then gone.
      try (Socket peer = new Socket(own.getHostString(), own.getPort())) {
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
    }
  }
}
