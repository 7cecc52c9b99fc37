package io.steadfast.testkit.cluster;

import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.SteadfastNode;
import io.steadfast.testkit.checkpoint.Checkpoints;

/** Samples positions (RS-3) and fingerprints on the sampler thread while the run goes on. */
final class PositionSampler<C, R> {

  private final ScenarioStage<C, R> stage;

  PositionSampler(ScenarioStage<C, R> stage) {
    this.stage = stage;
  }

  /** Samples every running node's position, and with {@code fingerprint} its state too. */
  void sample(boolean fingerprint) {
    EmbeddedCluster<C, R> c = stage.cluster;
    if (c == null) {
      return;
    }
    for (SteadfastNode<C, R> node : c.nodes()) {
      if (node.stopped()) {
        continue;
      }
      try {
        int incarnation = stage.incarnation(node);
        stage.history.positions.add(
            new History.PositionSample(node.id().value(), incarnation, node.appliedPosition()));
        if (fingerprint) {
          node.audit()
              .inspect(
                  app -> {
                    stage.history.fingerprints.add(
                        new History.FingerprintSample(
                            node.id().value(),
                            node.appliedPosition(),
                            Checkpoints.fingerprint(ObservedApplication.unwrap(app)).hex()));
                    return null;
                  });
        }
      } catch (RuntimeException e) {
        // the node is stopping; the next sample will see it stopped
      }
    }
  }
}
