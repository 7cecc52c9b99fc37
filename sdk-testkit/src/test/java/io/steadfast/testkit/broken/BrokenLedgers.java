package io.steadfast.testkit.broken;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.checkpoint.FrozenState;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.sample.Ledger;
import io.steadfast.testkit.sample.LedgerCommand;
import io.steadfast.testkit.sample.LedgerV2;
import io.steadfast.testkit.sample.Receipt;
import java.io.IOException;
import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The sample ledger broken one way at a time. Each comment names the rule it breaks. */
public final class BrokenLedgers {

  private BrokenLedgers() {}

  /** JR-1: records the node's wall clock as the account's last activity. */
  static final class WallClock extends Ledger {
    @Override
    protected long now(ApplyContext context) {
      return System.currentTimeMillis();
    }
  }

  /**
   * JR-5: records the day of the node's clock as the account's last activity. Every replica of a
   * test run agrees (they run on the same day), so only reading the code can catch it.
   */
  static final class DateClock extends Ledger {
    @Override
    protected long now(ApplyContext context) {
      return LocalDate.now(ZoneOffset.UTC).toEpochDay() * 86_400_000L;
    }
  }

  /**
   * CP-2: keeps accounts in a HashMap and checkpoints them in its iteration order, which depends on
   * the map's capacity, which depends on how many accounts it once held.
   */
  static final class HashOrder extends Ledger {
    @Override
    protected Map<String, Account> newMap() {
      return new HashMap<>();
    }
  }

  /**
   * CP-2: keeps the accounts in the order they were opened (for a statement that lists them so) and
   * writes that list sorted, by sorting the field itself: every checkpoint reorders the live state,
   * so a replica that checkpointed lists the accounts differently from one that did not.
   */
  static final class SortsOnCheckpoint extends Ledger {
    private java.util.List<String> openedInOrder = new java.util.ArrayList<>();

    @Override
    public Receipt apply(LedgerCommand command, io.steadfast.api.ApplyContext context) {
      Receipt receipt = super.apply(command, context);
      if (command instanceof LedgerCommand.Open open && !openedInOrder.contains(open.account())) {
        openedInOrder.add(open.account());
      }
      return receipt;
    }

    @Override
    public void checkpoint(CheckpointWriter out) throws IOException {
      super.checkpoint(out);
      openedInOrder.sort(null);
      out.writeInt(openedInOrder.size());
      for (String account : openedInOrder) {
        out.writeString(account);
      }
    }

    @Override
    public void restore(CheckpointReader in) throws IOException {
      super.restore(in);
      int count = in.readInt();
      if (count < 0) {
        throw new IOException("negative count: " + count);
      }
      java.util.List<String> restored = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        restored.add(in.readString());
      }
      openedInOrder = restored;
    }
  }

  /** CP-1: leaves the posting count out of the checkpoint; restore starts it at zero. */
  static final class DroppedField extends Ledger {
    @Override
    protected void writeAccount(CheckpointWriter out, Account account) throws IOException {
      out.writeString(account.owner());
      out.writeLong(account.balance());
      out.writeLong(account.limit());
      out.writeLong(account.lastActivity());
    }

    @Override
    protected Account readAccount(CheckpointReader in) throws IOException {
      return new Account(in.readString(), in.readLong(), in.readLong(), 0, in.readLong());
    }
  }

  /** JR-3: a transfer debits the source before it finds out the target does not exist. */
  static final class HalfMutating extends Ledger {
    @Override
    protected Receipt transfer(LedgerCommand.Transfer transfer, Account from, long now) {
      Account debited = post(from, -transfer.amount(), now);
      accounts.put(transfer.account(), debited);
      Account to = find(transfer.to());
      accounts.put(transfer.to(), post(to, transfer.amount(), now));
      return new Receipt(
          transfer.account(), debited.owner(), debited.balance(), debited.postings(), true);
    }
  }

  /** CP-1: restore reads nothing and keeps whatever state the instance had. */
  static final class RestoreIgnoresInput extends Ledger {
    @Override
    public void restore(CheckpointReader in) {}
  }

  /** HV-2: the checkpoint writes nothing, so every state has the same fingerprint. */
  static final class EmptyCheckpoint extends Ledger {
    @Override
    public void checkpoint(CheckpointWriter out) {}

    @Override
    public void restore(CheckpointReader in) {}
  }

  /** CP-5: restore never looks at the checkpoint's version. */
  static final class IgnoresVersion extends Ledger {
    @Override
    protected void checkVersion(CheckpointReader in) {}
  }

  /** CP-3: owner names are written and read in the JVM's default charset. */
  static final class DefaultCharset extends Ledger {
    @Override
    protected void writeAccount(CheckpointWriter out, Account account) throws IOException {
      out.writeBytes(account.owner().getBytes(Charset.defaultCharset()));
      out.writeLong(account.balance());
      out.writeLong(account.limit());
      out.writeLong(account.postings());
      out.writeLong(account.lastActivity());
    }

    @Override
    protected Account readAccount(CheckpointReader in) throws IOException {
      return new Account(
          new String(in.readBytes(), Charset.defaultCharset()),
          in.readLong(),
          in.readLong(),
          in.readLong(),
          in.readLong());
    }
  }

  /**
   * CP-7: the frozen state is {@code checkpoint} itself, so it writes the accounts as they are when
   * it is written, with whatever was applied since the freeze, instead of a copy taken by freeze.
   */
  static final class FrozenLive extends Ledger {
    @Override
    public FrozenState freeze() {
      return this::checkpoint;
    }
  }

  /** JR-4: a codec that turns undecodable input into a harmless-looking deposit. */
  static final class LenientCodec implements CommandCodec<LedgerCommand, Receipt> {
    private final JacksonCodec<LedgerCommand, Receipt> delegate =
        JacksonCodec.of(LedgerCommand.class, Receipt.class);

    @Override
    public Class<LedgerCommand> commandType() {
      return LedgerCommand.class;
    }

    @Override
    public byte[] encodeCommand(LedgerCommand command) {
      return delegate.encodeCommand(command);
    }

    @Override
    public LedgerCommand decodeCommand(byte[] bytes) {
      try {
        return delegate.decodeCommand(bytes);
      } catch (MalformedCommandException e) {
        return new LedgerCommand.Deposit("suspense", 0);
      }
    }

    @Override
    public byte[] encodeResult(Receipt result) {
      return delegate.encodeResult(result);
    }

    @Override
    public Receipt decodeResult(byte[] bytes) {
      return delegate.decodeResult(bytes);
    }
  }

  /**
   * UP-1: the next release charges its new withdrawal fee at once, instead of once version 2 is
   * finalized, so members of the two releases disagree on every withdrawal during the upgrade.
   */
  public static final class UngatedFee extends LedgerV2 {
    @Override
    protected long withdrawalFee(ApplyContext context) {
      return FEE;
    }
  }

  /**
   * JR-6: counts how often each account's balance was looked at, in the checkpointed state. A query
   * runs on the primary only, so the primary's count differs from every backup's.
   */
  static final class CountsLookups extends Ledger {
    private final java.util.TreeMap<String, Long> lookups = new java.util.TreeMap<>();

    @Override
    public Receipt query(LedgerCommand request, io.steadfast.api.QueryContext context) {
      Receipt receipt = super.query(request, context);
      lookups.merge(receipt.account(), 1L, Long::sum);
      return receipt;
    }

    @Override
    public void checkpoint(CheckpointWriter out) throws IOException {
      super.checkpoint(out);
      out.writeInt(lookups.size());
      for (Map.Entry<String, Long> entry : lookups.entrySet()) {
        out.writeString(entry.getKey());
        out.writeLong(entry.getValue());
      }
    }

    @Override
    public void restore(CheckpointReader in) throws IOException {
      super.restore(in);
      lookups.clear();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        lookups.put(in.readString(), in.readLong());
      }
    }
  }

  /**
   * JR-6: a new primary tidies up, closing the accounts nothing was ever posted to, in {@code
   * onRoleChange}. Only the member that became primary does it, so its state leaves the backups'.
   */
  static final class TidiesOnPromotion extends Ledger {
    @Override
    public void onRoleChange(io.steadfast.api.role.RoleChange change) {
      if (change.to() == io.steadfast.api.role.Role.PRIMARY) {
        accounts.values().removeIf(account -> account.postings() == 0);
      }
    }
  }

  /**
   * JR-6: counts, per teller, the sessions that came back after a failover, in {@code onResume},
   * which only the primary is called with.
   */
  static final class CountsReturns extends Ledger {
    @Override
    public void onResume(io.steadfast.api.session.SessionResumed resumed) {
      String owner = resumed.principal().user();
      accounts.replaceAll(
          (id, account) ->
              account.owner().equals(owner)
                  ? new Account(
                      account.owner(),
                      account.balance(),
                      account.limit(),
                      account.postings(),
                      account.lastActivity() + 1)
                  : account);
    }
  }

  /**
   * JR-6: records in the resume point whether the replica applying the command is the primary, so
   * the session tables of the primary and the backups never agree.
   */
  static final class RoleResumePoint extends Ledger {
    private volatile boolean primary;

    @Override
    public void onRoleChange(io.steadfast.api.role.RoleChange change) {
      primary = change.to() == io.steadfast.api.role.Role.PRIMARY;
    }

    @Override
    public Receipt apply(LedgerCommand command, ApplyContext context) {
      Receipt receipt = super.apply(command, context);
      context.setResumePoint(
          io.steadfast.api.session.ResumePoint.of(
              "account", command.account(), "desk", primary ? "front" : "back"));
      return receipt;
    }
  }

  /**
   * JR-3: records a transfer of a zero or negative amount as an attempt on the account (one more
   * posting) and then refuses it. The tellers never type such an amount, so the trace has no such
   * rejection; JR-3 finds it by varying the transfers it has.
   */
  static final class CountsRefusedTransfers extends Ledger {
    @Override
    protected Receipt transfer(LedgerCommand.Transfer transfer, Account from, long now) {
      if (transfer.amount() > 0) {
        return super.transfer(transfer, from, now);
      }
      accounts.put(
          transfer.account(),
          new Account(from.owner(), from.balance(), from.limit(), from.postings() + 1, now));
      throw new IllegalArgumentException("amount must be positive: " + transfer.amount());
    }
  }

  /**
   * JR-5: reads the withdrawal fee from a file on the member in apply, falling back to none when
   * the file is missing (as it is in the test run, so every replay agrees). In production each
   * member reads its own copy, whenever it applies.
   */
  static final class FeeFromFile extends Ledger {
    @Override
    protected long withdrawalFee(ApplyContext context) {
      try {
        return Long.parseLong(
            java.nio.file.Files.readString(java.nio.file.Path.of("withdrawal-fee.txt")).trim());
      } catch (IOException | NumberFormatException e) {
        return 0;
      }
    }
  }
}
