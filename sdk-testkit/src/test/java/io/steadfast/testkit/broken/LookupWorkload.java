package io.steadfast.testkit.broken;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.Receipt;
import io.steadfast.testkit.sample.TellerWorkload;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The tellers of {@link TellerWorkload}, who also look up the balance of the account they just
 * worked on about one time in three: a workload with queries.
 */
final class LookupWorkload implements Workload<LedgerCommand, Receipt> {

  private final TellerWorkload tellers = new TellerWorkload();

  @Override
  public Principal principal(int user) {
    return tellers.principal(user);
  }

  @Override
  public UserScript<LedgerCommand, Receipt> newUser(int user, long seed) {
    return new Looker(tellers.newUser(user, seed), new SplittableRandom(seed ^ 0x100C_0B5EL));
  }

  @Override
  public List<LedgerCommand> invalidCommands() {
    return tellers.invalidCommands();
  }

  @Override
  public boolean isQuery(LedgerCommand command) {
    return tellers.isQuery(command);
  }

  private static final class Looker implements UserScript<LedgerCommand, Receipt> {
    private final UserScript<LedgerCommand, Receipt> teller;
    private final SplittableRandom random;
    private @Nullable Receipt held;
    private @Nullable ResumePoint expected;

    Looker(UserScript<LedgerCommand, Receipt> teller, SplittableRandom random) {
      this.teller = teller;
      this.random = random;
    }

    @Override
    public Optional<ResumePoint> resumePointAfter(LedgerCommand command, Receipt result) {
      if (command instanceof LedgerCommand.Balance) {
        // A lookup leaves the teller where the last change put it.
        return Optional.ofNullable(expected);
      }
      Optional<ResumePoint> point = teller.resumePointAfter(command, result);
      expected = point.orElse(null);
      return point;
    }

    @Override
    public Optional<LedgerCommand> next(@Nullable Receipt last) {
      if (held != null) {
        // The lookup was answered; hand the teller the result it was waiting for.
        Receipt previous = held;
        held = null;
        return teller.next(previous);
      }
      if (last != null && last.open() && random.nextInt(3) == 0) {
        held = last;
        return Optional.of(new LedgerCommand.Balance(last.account()));
      }
      return teller.next(last);
    }
  }
}
