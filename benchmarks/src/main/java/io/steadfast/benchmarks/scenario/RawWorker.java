package io.steadfast.benchmarks.scenario;

import io.steadfast.benchmarks.fixture.MortgageFixtures;
import io.steadfast.benchmarks.raw.RawRatisCluster;
import io.steadfast.benchmarks.raw.RawSession;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import java.util.List;

/**
 * A raw Ratis client sending, one per Raft entry, the encoded commands of an officer's loan (the
 * same payload sizes the SDK journals), round and round.
 */
final class RawWorker implements Worker {

  static final List<byte[]> PAYLOADS =
      MortgageFixtures.officerMix().stream()
          .map(c -> MortgageLoanApplication.codec().encodeCommand(c))
          .toList();

  private final RawSession session;
  private int next;

  RawWorker(RawRatisCluster cluster, int offset) {
    this.session = new RawSession(cluster);
    this.next = offset;
  }

  @Override
  public void executeNext() {
    session.execute(PAYLOADS.get(next++ % PAYLOADS.size()));
  }
}
