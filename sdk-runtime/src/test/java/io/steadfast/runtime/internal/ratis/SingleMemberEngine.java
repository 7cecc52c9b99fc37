package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ratis.statemachine.StateMachine;

/** Starts a one-member engine on a free loopback port, for tests of the engine's own settings. */
final class SingleMemberEngine {

  private SingleMemberEngine() {}

  /**
   * A member {@code n1} of {@code cluster} alone, with 150-300 ms election timeouts, journaling to
   * {@code storage}; {@code connectionEnded} as in {@link RatisEngine#start}.
   */
  static RatisEngine start(
      Path storage, String cluster, StateMachine stateMachine, Runnable connectionEnded)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    NodeId id = NodeId.of("n1");
    return RatisEngine.start(
        id,
        cluster,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        List.of(new RatisEngine.Peer(id, "127.0.0.1:" + port, null)),
        storage,
        new EngineSettings(
            Duration.ofMillis(150),
            Duration.ofMillis(300),
            Duration.ofSeconds(3),
            1_000_000,
            8L * 1024 * 1024,
            0),
        null,
        stateMachine,
        connectionEnded);
  }

  /** Writes until the single member is primary and takes writes; fails after 10 s. */
  static void awaitWritable(RatisEngine engine) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        engine.write(new byte[] {0}).get(5, java.util.concurrent.TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException notYet) {
        org.assertj.core.api.Assertions.assertThat(System.nanoTime())
            .as("a ready leader within 10 s")
            .isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }
}
