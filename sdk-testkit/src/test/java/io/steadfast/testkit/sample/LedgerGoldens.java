package io.steadfast.testkit.sample;

import io.steadfast.testkit.apply.TestApplyContext;
import io.steadfast.testkit.checkpoint.Checkpoints;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import java.time.Duration;
import java.util.List;

/**
 * Golden checkpoints of the sample ledger's first release. A vendor keeps the files its previous
 * release wrote under {@code src/test/resources}; the sample builds its one with the previous
 * release's code instead, which is the same thing as long as {@link Ledger} is kept unchanged.
 */
public final class LedgerGoldens {

  private LedgerGoldens() {}

  /** Three of the workload's accounts, one overdrawn, as release 1 checkpoints them. */
  public static List<GoldenCheckpoint> release1() {
    Ledger ledger = new Ledger();
    TestApplyContext context = TestApplyContext.create();
    List<LedgerCommand> commands =
        List.of(
            new LedgerCommand.Open(TellerWorkload.account(0, 0), "teller-0", 300),
            new LedgerCommand.Open(TellerWorkload.account(1, 0), "teller-1", 0),
            new LedgerCommand.Open(TellerWorkload.account(2, 0), "teller-2", 100),
            new LedgerCommand.Deposit(TellerWorkload.account(1, 0), 500),
            new LedgerCommand.Withdraw(TellerWorkload.account(0, 0), 120),
            new LedgerCommand.Transfer(
                TellerWorkload.account(1, 0), TellerWorkload.account(2, 0), 200));
    for (LedgerCommand command : commands) {
      context.apply(ledger, command);
      context.nextPosition().advance(Duration.ofSeconds(1));
    }
    return List.of(
        GoldenCheckpoint.of("ledger-release-1", Ledger.VERSION, Checkpoints.take(ledger)));
  }
}
