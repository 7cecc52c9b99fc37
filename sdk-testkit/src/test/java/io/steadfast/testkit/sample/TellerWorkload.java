package io.steadfast.testkit.sample;

import io.steadfast.api.session.Principal;
import io.steadfast.testkit.workload.UserScript;
import io.steadfast.testkit.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Tellers who open a few accounts, pay in and out, transfer (sometimes to a colleague's account
 * that is gone), and close what they emptied. Owner names are not ASCII, to catch charset mistakes.
 */
public final class TellerWorkload implements Workload<LedgerCommand, Receipt> {

  private static final String[] TELLERS = {"zoë", "øyvind", "İlkay", "ángel", "hana", "jürgen"};

  @Override
  public Principal principal(int user) {
    return Principal.of(TELLERS[user % TELLERS.length], "teller");
  }

  @Override
  public UserScript<LedgerCommand, Receipt> newUser(int user, long seed) {
    return new Teller(user, principal(user).user(), new SplittableRandom(seed));
  }

  @Override
  public List<LedgerCommand> invalidCommands() {
    return List.of(
        new LedgerCommand.Deposit("acct-none", 100),
        new LedgerCommand.Withdraw(account(0, 0), 1_000_000),
        new LedgerCommand.Transfer(account(0, 0), "acct-none", 5),
        new LedgerCommand.Deposit(account(0, 0), -5));
  }

  @Override
  public boolean isQuery(LedgerCommand command) {
    return command instanceof LedgerCommand.Balance;
  }

  /** The id of teller {@code user}'s account number {@code n}: spread out, like real ids. */
  static String account(int user, int n) {
    int mixed = (user * 7_919 + n * 104_729 + 1) * 0x9E37_79B1;
    return "acct-" + Integer.toHexString(mixed >>> 4);
  }

  private static final class Teller implements UserScript<LedgerCommand, Receipt> {
    private final int user;
    private final String owner;
    private final SplittableRandom random;
    private final List<String> mine = new ArrayList<>();
    private int opened;
    private int steps;
    private final int length;
    private long lastBalance;
    private @Nullable String lastAccount;

    Teller(int user, String owner, SplittableRandom random) {
      this.user = user;
      this.owner = owner;
      this.random = random;
      this.length = 8 + random.nextInt(24);
    }

    /** The ledger puts the teller on the account and the screen of the command accepted. */
    @Override
    public Optional<io.steadfast.api.session.ResumePoint> resumePointAfter(
        LedgerCommand command, Receipt result) {
      return Optional.of(
          io.steadfast.api.session.ResumePoint.of(
              "account",
              command.account(),
              "screen",
              command.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public Optional<LedgerCommand> next(@Nullable Receipt last) {
      if (last != null) {
        lastAccount = last.account();
        lastBalance = last.balance();
        if (!last.open()) {
          mine.remove(last.account());
        }
      }
      if (steps++ >= length) {
        return Optional.empty();
      }
      if (mine.isEmpty() || (opened < 4 && random.nextInt(6) == 0)) {
        String account = account(user, opened++);
        mine.add(account);
        return Optional.of(new LedgerCommand.Open(account, owner, 100L * random.nextInt(6)));
      }
      String account = mine.get(random.nextInt(mine.size()));
      int choice = random.nextInt(10);
      if (choice < 4) {
        return Optional.of(new LedgerCommand.Deposit(account, 1 + random.nextInt(1_000)));
      }
      if (choice < 6) {
        return Optional.of(new LedgerCommand.Withdraw(account, 1 + random.nextInt(1_200)));
      }
      if (choice < 8) {
        String to =
            random.nextBoolean() && mine.size() > 1
                ? mine.get(random.nextInt(mine.size()))
                : account(Math.max(0, user - 1 - random.nextInt(3)), random.nextInt(2));
        return Optional.of(new LedgerCommand.Transfer(account, to, 1 + random.nextInt(500)));
      }
      if (last != null
          && last.open()
          && lastAccount != null
          && mine.contains(lastAccount)
          && lastBalance != 0) {
        long amount = Math.abs(lastBalance);
        return Optional.of(
            lastBalance > 0
                ? new LedgerCommand.Withdraw(lastAccount, amount)
                : new LedgerCommand.Deposit(lastAccount, amount));
      }
      return Optional.of(
          new LedgerCommand.Close(
              lastAccount != null && mine.contains(lastAccount) ? lastAccount : account));
    }
  }
}
