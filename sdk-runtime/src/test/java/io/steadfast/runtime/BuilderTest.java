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
  void beyondLoopback_withoutTls_refusesToBuild_namingTls() {
    assertThatThrownBy(
            () -> complete().peer(NodeId.of("n1"), new InetSocketAddress("0.0.0.0", 40001)).build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.setting()).isEqualTo("tls");
              org.assertj.core.api.Assertions.assertThat(e.getMessage())
                  .contains("beyond loopback")
                  .contains("0.0.0.0");
            });
    assertThatThrownBy(() -> complete().http(new InetSocketAddress("10.1.2.3", 41001)).build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.setting()).isEqualTo("tls"));
  }

  @Test
  void beyondLoopback_whenToldInsecure_builds() {
    org.assertj.core.api.Assertions.assertThat(
            complete()
                .peer(NodeId.of("n1"), new InetSocketAddress("0.0.0.0", 40001))
                .http(new InetSocketAddress("0.0.0.0", 41001))
                .security(io.steadfast.runtime.security.NodeSecurity.loopback().insecure())
                .build()
                .id())
        .isEqualTo(NodeId.of("n1"));
  }

  @Test
  void peerEndpointScheme_mustMatchTls() {
    assertThatThrownBy(
            () ->
                complete()
                    .peer(NodeId.of("n2"), new InetSocketAddress("127.0.0.1", 40002))
                    .peerEndpoint(NodeId.of("n2"), java.net.URI.create("https://127.0.0.1:41002"))
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.setting()).isEqualTo("peerEndpoint"));
  }

  @Test
  void securityBounds_areCheckedAtOnce() {
    var security = io.steadfast.runtime.security.NodeSecurity.loopback();
    assertThatThrownBy(() -> security.maxRequestBytes(10))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxRequestBytes");
    assertThatThrownBy(() -> security.maxConcurrentRequests(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxConcurrentRequests");
    assertThatThrownBy(() -> security.memberSecret("short"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("memberSecret");
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
    assertThatThrownBy(() -> complete().checkpointJournalRatio(-0.5))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("checkpointJournalRatio: must be between 0 and 1000: -0.5");
    assertThatThrownBy(() -> complete().checkpointJournalRatio(Double.NaN))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("checkpointJournalRatio");
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
