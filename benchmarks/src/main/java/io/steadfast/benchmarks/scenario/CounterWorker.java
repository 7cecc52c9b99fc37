package io.steadfast.benchmarks.scenario;

import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.session.Principal;
import io.steadfast.runtime.Session;
import io.steadfast.runtime.SteadfastClient;
import java.util.List;

/** A Steadfast session of the {@link CounterApplication}, sending the raw baseline's payloads. */
final class CounterWorker implements Worker {

  private static final List<byte[]> PAYLOADS = RawWorker.PAYLOADS;

  private final Session<byte[], Long> session;
  private int next;

  CounterWorker(SteadfastClient<byte[], Long> client, int n) {
    this.session = client.openSession(Principal.of("counter-" + n));
    this.next = n;
  }

  @Override
  public void executeNext() {
    byte[] payload = PAYLOADS.get(next++ % PAYLOADS.size());
    try {
      session.execute(payload);
    } catch (IndeterminateOutcomeException e) {
      while (true) {
        try {
          session.retry();
          return;
        } catch (IndeterminateOutcomeException again) {
          // keep settling the same request
        }
      }
    }
  }
}
