package io.steadfast.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.api.NodeId;
import io.steadfast.runtime.testapp.LedgerApplication;
import io.steadfast.runtime.testapp.LedgerCommand;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Wrong configuration fails at build time with a typed error naming the setting. */
// Literal loopback addresses: nothing is resolved.
@SuppressWarnings("AddressSelection")
class BuilderTest {

  private static SteadfastNode.Builder<LedgerCommand, Long> complete() {
    return SteadfastNode.<LedgerCommand, Long>builder()
        .id(NodeId.of("n1"))
        .peer(NodeId.of("n1"), new InetSocketAddress("127.0.0.1", 40001))
        .storage(Path.of("target", "never-started"))
        .application(LedgerApplication::new)
        .codec(ClusterTestSupport.CODEC);
  }

  @Test
  void build_withoutCodec_namesTheMissingSetting() {
    assertThatThrownBy(
            () ->
                SteadfastNode.<LedgerCommand, Long>builder()
                    .id(NodeId.of("n1"))
                    .peer(NodeId.of("n1"), new InetSocketAddress("127.0.0.1", 40001))
                    .storage(Path.of("x"))
                    .application(LedgerApplication::new)
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.setting()).isEqualTo("codec"));
  }

  @Test
  void build_nodeNotAmongPeers_isRefusedNamingBoth() {
    assertThatThrownBy(() -> complete().id(NodeId.of("n9")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("n9")
        .hasMessageContaining("n1");
  }

  @Test
  void settersRejectBadValuesAtOnce() {
    assertThatThrownBy(
            () -> complete().electionTimeout(Duration.ofMillis(300), Duration.ofMillis(200)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("electionTimeout");
    assertThatThrownBy(() -> complete().checkpointEvery(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("checkpointEvery: must be positive: 0");
    assertThatThrownBy(() -> complete().segmentSize(1024))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("segmentSize");
    assertThatThrownBy(() -> complete().healthProbe(Duration.ofMillis(1), 3))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("healthProbe");
    assertThatThrownBy(
            () -> complete().peer(NodeId.of("n2"), new InetSocketAddress("127.0.0.1", 0)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("n2");
  }

  @Test
  void cluster_unknownNode_isATypedError() {
    assertThatThrownBy(() -> EmbeddedCluster.<LedgerCommand, Long>builder().nodes(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("nodes");
  }
}
