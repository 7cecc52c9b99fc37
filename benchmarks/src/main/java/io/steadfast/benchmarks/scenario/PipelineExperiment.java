package io.steadfast.benchmarks.scenario;

import io.steadfast.api.NodeId;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment, not part of the scenario run: 64 sessions against three SDK nodes running the
 * {@link CounterApplication}, for several numbers of group-commit batches in flight (the runtime's
 * default is 2; {@code EmbeddedCluster} does not expose the knob, so the nodes are built here with
 * {@code SteadfastNode.builder().groupCommit(...)}). Shows whether the SDK's throughput is limited
 * by its pipeline depth.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.steadfast.benchmarks.scenario.PipelineExperiment [seconds] [inFlight,...]}.
 */
public final class PipelineExperiment {

  private PipelineExperiment() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    String[] depths = (args.length > 1 ? args[1] : "1,2,4,8,16").split(",", -1);
    Map<String, Object> all = new LinkedHashMap<>();
    for (String depth : depths) {
      all.put(depth, run(Integer.parseInt(depth), seconds));
      System.out.printf("in flight %s: %s%n", depth, all.get(depth));
    }
    System.exit(0);
  }

  static Map<String, Object> run(int inFlight, int seconds) throws Exception {
    Path root = Files.createTempDirectory("steadfast-pipeline-");
    List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
    for (NodeId id : ids) {
      peers.put(id, loopback(freePort()));
    }
    List<SteadfastNode<byte[], Long>> nodes = new ArrayList<>();
    try {
      for (NodeId id : ids) {
        SteadfastNode.Builder<byte[], Long> builder =
            SteadfastNode.<byte[], Long>builder()
                .id(id)
                .storage(root.resolve(id.value()))
                .application(CounterApplication::new)
                .codec(CounterApplication.CODEC)
                .electionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
                .groupCommit(256, 1 << 20, inFlight);
        peers.forEach(builder::peer);
        nodes.add(builder.build().start());
      }
      SteadfastNode<byte[], Long> primary = null;
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (primary == null && System.nanoTime() < end) {
        for (SteadfastNode<byte[], Long> node : nodes) {
          if (node.isPrimary()) {
            primary = node;
          }
        }
        Polling.sleepMillis(5);
      }
      if (primary == null) {
        throw new IllegalStateException("no primary");
      }
      List<Worker> workers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        Session<byte[], Long> session = primary.openSession(Principal.of("p-" + i));
        int offset = i;
        int[] next = {offset};
        workers.add(() -> session.execute(RawWorker.PAYLOADS.get(next[0]++ % 10)));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      try (Load load = new Load(workers, 0)) {
        Thread.sleep(2000);
        long acks0 = load.acknowledged();
        long commit0 = primary.status().commitIndex();
        long t0 = System.nanoTime();
        load.startRecording();
        Thread.sleep(seconds * 1000L);
        Latencies latencies = load.stopRecording();
        double s = (System.nanoTime() - t0) / 1e9;
        long acks = load.acknowledged() - acks0;
        out.put("opsPerSecond", Report.round(acks / s));
        out.put("p50Ms", Report.round(latencies.percentileMillis(50)));
        out.put("p99Ms", Report.round(latencies.percentileMillis(99)));
        out.put(
            "logIndicesPerSecond", Report.round((primary.status().commitIndex() - commit0) / s));
      }
      return out;
    } finally {
      for (SteadfastNode<byte[], Long> node : nodes) {
        node.close();
      }
      Polling.deleteTree(root);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A literal loopback address: nothing is resolved. */
  @SuppressWarnings("AddressSelection")
  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }
}
