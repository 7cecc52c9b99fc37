package io.steadfast.examples.collection;

import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The whole state of the collection system and its canonical checkpoint form.
 *
 * <p>Checkpoint version 1, in this order: the business date (presence flag, epoch day); the number
 * of accounts, then each account in account id order ({@link Account#writeTo}); the number of
 * posted payments, then each in payment reference order (reference, account id, amount, business
 * date posted). Maps are sorted, so equal states always give equal bytes.
 */
final class CollectionState {

  /** A payment on the books, kept forever so its reference can never post twice. */
  record PostedPayment(String accountId, BigDecimal amount, LocalDate postedOn) {}

  /** Queue order: priority descending, then account id ascending. */
  static final Comparator<QueueEntry> QUEUE_ORDER =
      Comparator.comparingInt(QueueEntry::priority).reversed().thenComparing(QueueEntry::accountId);

  @Nullable LocalDate businessDate;
  final TreeMap<String, Account> accounts = new TreeMap<>();
  final TreeMap<String, PostedPayment> payments = new TreeMap<>();

  /** The account {@code accountId}. */
  Account account(String accountId) {
    Account account = accounts.get(accountId);
    if (account == null) {
      throw new UnknownAccountException(accountId);
    }
    return account;
  }

  /** The accounts waiting in {@code bucket}'s queue on {@code asOf}, in queue order. */
  List<QueueEntry> queue(Bucket bucket, LocalDate asOf) {
    List<QueueEntry> entries = new ArrayList<>();
    for (Account account : accounts.values()) {
      if (account.queuedIn(bucket, asOf)) {
        entries.add(account.queueEntry(asOf));
      }
    }
    entries.sort(QUEUE_ORDER);
    return entries;
  }

  void writeTo(CheckpointWriter out) throws IOException {
    CheckpointFields.writeOptionalDate(out, businessDate);
    out.writeInt(accounts.size());
    for (Account account : accounts.values()) {
      account.writeTo(out);
    }
    out.writeInt(payments.size());
    for (Map.Entry<String, PostedPayment> entry : payments.entrySet()) {
      PostedPayment payment = entry.getValue();
      out.writeString(entry.getKey());
      out.writeString(payment.accountId());
      out.writeDecimal(payment.amount());
      CheckpointFields.writeDate(out, payment.postedOn());
    }
  }

  /** Reads what {@link #writeTo} wrote, refusing anything out of canonical order. */
  static CollectionState readFrom(CheckpointReader in) throws IOException {
    CollectionState state = new CollectionState();
    state.businessDate = CheckpointFields.readOptionalDate(in);
    int accountCount = CheckpointFields.readCount(in, "account count");
    for (int i = 0; i < accountCount; i++) {
      Account account = Account.readFrom(in);
      if (!state.accounts.isEmpty() && state.accounts.lastKey().compareTo(account.id) >= 0) {
        throw new IOException("account " + account.id + " is out of order in the checkpoint");
      }
      state.accounts.put(account.id, account);
    }
    int paymentCount = CheckpointFields.readCount(in, "payment count");
    for (int i = 0; i < paymentCount; i++) {
      String reference = in.readString();
      if (!state.payments.isEmpty() && state.payments.lastKey().compareTo(reference) >= 0) {
        throw new IOException("payment " + reference + " is out of order in the checkpoint");
      }
      String accountId = in.readString();
      BigDecimal amount = CheckpointFields.readCents(in, "payment amount");
      LocalDate postedOn = CheckpointFields.readDate(in);
      state.payments.put(reference, new PostedPayment(accountId, amount, postedOn));
    }
    return state;
  }
}
