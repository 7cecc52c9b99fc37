package io.steadfast.runtime.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class NodeMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aNodeStartedAgainWithTheSameRegistry_reportsItsOwnGauges() {
    NodeMeters first = new NodeMeters(registry, "n1");
    first.journalSinceCheckpoint(() -> 111);
    first.replicaLag(() -> 7);
    first.close();
    NodeMeters again = new NodeMeters(registry, "n1");
    again.journalSinceCheckpoint(() -> 222);
    again.replicaLag(() -> 3);

    assertThat(gauge("steadfast.checkpoint.journal.since", "n1").value()).isEqualTo(222);
    assertThat(gauge("steadfast.replica.lag", "n1").value()).isEqualTo(3);
  }

  @Test
  void aGaugeLeftByANodeThatWasNotClosed_isReplaced() {
    new NodeMeters(registry, "n1").journalSinceCheckpoint(() -> 111);
    new NodeMeters(registry, "n1").journalSinceCheckpoint(() -> 222);

    assertThat(registry.find("steadfast.checkpoint.journal.since").gauges()).hasSize(1);
    assertThat(gauge("steadfast.checkpoint.journal.since", "n1").value()).isEqualTo(222);
  }

  @Test
  void closing_removesOnlyThatNodesGauges() {
    NodeMeters n1 = new NodeMeters(registry, "n1");
    NodeMeters n2 = new NodeMeters(registry, "n2");
    n1.journalSinceCheckpoint(() -> 1);
    n2.journalSinceCheckpoint(() -> 2);

    n1.close();

    assertThat(registry.find("steadfast.checkpoint.journal.since").tag("node", "n1").gauge())
        .isNull();
    assertThat(gauge("steadfast.checkpoint.journal.since", "n2").value()).isEqualTo(2);
  }

  private Gauge gauge(String name, String node) {
    Gauge gauge = registry.find(name).tag("node", node).gauge();
    assertThat(gauge).as(name + " of " + node).isNotNull();
    return gauge;
  }
}
