package io.steadfast.benchmarks.scenario;

/**
 * One user issuing commands one at a time against one side: a Steadfast session driven by a loan
 * officer's workflow, or a raw Ratis session sending the same kind of payloads.
 *
 * <p>Not thread-safe: one thread drives a worker.
 */
interface Worker {

  /**
   * Sends the next command and returns once it is acknowledged (applied or rejected by the
   * application: both are definite outcomes), retrying through failovers.
   */
  void executeNext();
}
