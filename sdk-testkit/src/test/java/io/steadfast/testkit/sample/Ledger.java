package io.steadfast.testkit.sample;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.QueryContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.session.ResumePoint;
import java.io.IOException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * A correct ledger: validates every command before changing anything, keeps accounts sorted, uses
 * leader time only, and checks the version of what it restores.
 *
 * <p>Open for extension only so that the self-tests can break it one way at a time. Not thread-safe
 * (the runtime calls it on the apply thread only).
 */
public class Ledger implements ResilientApplication<LedgerCommand, Receipt> {

  /** The checkpoint version this ledger writes. */
  public static final int VERSION = 1;

  /** One account. */
  public record Account(String owner, long balance, long limit, long postings, long lastActivity) {}

  /** The accounts by id; sorted unless a broken variant says otherwise. */
  protected Map<String, Account> accounts;

  /** An empty ledger. */
  // Broken variants override newMap() on purpose (an unsorted map for CP-2), so it is called here.
  @SuppressWarnings("this-escape")
  public Ledger() {
    this.accounts = newMap();
  }

  /** The map the accounts live in. */
  protected Map<String, Account> newMap() {
    return new TreeMap<>();
  }

  /** The time recorded as an account's last activity. */
  protected long now(ApplyContext context) {
    return context.timestamp().toEpochMilli();
  }

  @Override
  public Receipt apply(LedgerCommand command, ApplyContext context) {
    if (command instanceof LedgerCommand.Balance balance) {
      // A read: answered without changing anything, the resume point included.
      return receipt(balance.account(), find(balance.account()));
    }
    long now = now(context);
    context.setResumePoint(
        ResumePoint.of(
            "account",
            command.account(),
            "screen",
            command.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)));
    if (command instanceof LedgerCommand.Open open) {
      if (accounts.containsKey(open.account())) {
        throw new IllegalStateException("account already exists: " + open.account());
      }
      if (open.overdraftLimit() < 0) {
        throw new IllegalArgumentException(
            "overdraft limit must not be negative: " + open.overdraftLimit());
      }
      Account account = new Account(open.owner(), 0, open.overdraftLimit(), 0, now);
      accounts.put(open.account(), account);
      return receipt(open.account(), account);
    }
    Account account = find(command.account());
    if (command instanceof LedgerCommand.Deposit deposit) {
      Account after = post(account, positive(deposit.amount()), now);
      accounts.put(deposit.account(), after);
      return receipt(deposit.account(), after);
    }
    if (command instanceof LedgerCommand.Withdraw withdraw) {
      long cost = Math.addExact(positive(withdraw.amount()), withdrawalFee(context));
      Account after = post(account, -cost, now);
      accounts.put(withdraw.account(), after);
      return receipt(withdraw.account(), after);
    }
    if (command instanceof LedgerCommand.Transfer transfer) {
      return transfer(transfer, account, now);
    }
    LedgerCommand.Close close = (LedgerCommand.Close) command;
    if (account.balance() != 0) {
      throw new IllegalStateException(
          "account " + close.account() + " has balance " + account.balance());
    }
    accounts.remove(close.account());
    return new Receipt(close.account(), account.owner(), 0, account.postings(), false);
  }

  @Override
  public Receipt query(LedgerCommand request, QueryContext context) {
    if (request instanceof LedgerCommand.Balance balance) {
      return receipt(balance.account(), find(balance.account()));
    }
    throw new IllegalArgumentException("not a read: " + request.getClass().getSimpleName());
  }

  /** What a withdrawal costs on top of its amount: nothing in this release. */
  protected long withdrawalFee(ApplyContext context) {
    return 0;
  }

  /** Moves money; validates both sides before changing either. */
  protected Receipt transfer(LedgerCommand.Transfer transfer, Account from, long now) {
    if (transfer.account().equals(transfer.to())) {
      throw new IllegalArgumentException("cannot transfer to the same account: " + transfer.to());
    }
    Account to = find(transfer.to());
    Account debited = post(from, -positive(transfer.amount()), now);
    Account credited = post(to, transfer.amount(), now);
    accounts.put(transfer.account(), debited);
    accounts.put(transfer.to(), credited);
    return receipt(transfer.account(), debited);
  }

  /** The account, or a rejection. */
  protected Account find(String id) {
    Account account = accounts.get(id);
    if (account == null) {
      throw new NoSuchElementException("no such account: " + id);
    }
    return account;
  }

  /** The account after a posting of {@code amount}; rejects going past the overdraft limit. */
  protected static Account post(Account account, long amount, long now) {
    long balance = Math.addExact(account.balance(), amount);
    if (balance < -account.limit()) {
      throw new IllegalStateException(
          "insufficient funds: balance "
              + account.balance()
              + ", limit "
              + account.limit()
              + ", posting "
              + amount);
    }
    return new Account(account.owner(), balance, account.limit(), account.postings() + 1, now);
  }

  private static long positive(long amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive: " + amount);
    }
    return amount;
  }

  private static Receipt receipt(String id, Account account) {
    return new Receipt(id, account.owner(), account.balance(), account.postings(), true);
  }

  @Override
  public void checkpoint(CheckpointWriter out) throws IOException {
    writeAccounts(out, accounts);
  }

  /** Writes {@code accounts} as {@link #checkpoint} writes the ledger's own. */
  protected void writeAccounts(CheckpointWriter out, Map<String, Account> accounts)
      throws IOException {
    out.writeInt(accounts.size());
    for (Map.Entry<String, Account> entry : accounts.entrySet()) {
      out.writeString(entry.getKey());
      writeAccount(out, entry.getValue());
    }
  }

  /** Writes one account. */
  protected void writeAccount(CheckpointWriter out, Account account) throws IOException {
    out.writeString(account.owner());
    out.writeLong(account.balance());
    out.writeLong(account.limit());
    out.writeLong(account.postings());
    out.writeLong(account.lastActivity());
  }

  @Override
  public void restore(CheckpointReader in) throws IOException {
    checkVersion(in);
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("negative account count: " + count);
    }
    Map<String, Account> restored = newMap();
    for (int i = 0; i < count; i++) {
      restored.put(in.readString(), readAccount(in));
    }
    accounts = restored;
  }

  /** Refuses checkpoints written by a newer version. */
  protected void checkVersion(CheckpointReader in) throws IOException {
    if (in.version() > VERSION) {
      throw new IOException("checkpoint version " + in.version() + " is newer than " + VERSION);
    }
  }

  /** Reads one account. */
  protected Account readAccount(CheckpointReader in) throws IOException {
    return new Account(in.readString(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
  }

  @Override
  public int checkpointVersion() {
    return VERSION;
  }
}
