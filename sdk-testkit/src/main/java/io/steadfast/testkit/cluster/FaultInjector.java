package io.steadfast.testkit.cluster;

/** One kind of fault the scenario injects; records what happened in the history. */
interface FaultInjector {

  /**
   * Injects fault {@code number} of the schedule.
   *
   * @throws InterruptedException if the scenario's thread is interrupted while waiting
   */
  void inject(int number, FaultSchedule.Fault fault) throws InterruptedException;
}
