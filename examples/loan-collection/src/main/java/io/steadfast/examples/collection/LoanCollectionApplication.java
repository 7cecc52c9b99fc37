package io.steadfast.examples.collection;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.Health;
import io.steadfast.api.QueryContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.examples.collection.CollectionCommand.ChargeOff;
import io.steadfast.examples.collection.CollectionCommand.GetAccount;
import io.steadfast.examples.collection.CollectionCommand.LogContact;
import io.steadfast.examples.collection.CollectionCommand.Mutation;
import io.steadfast.examples.collection.CollectionCommand.NextInQueue;
import io.steadfast.examples.collection.CollectionCommand.OpenDelinquentAccount;
import io.steadfast.examples.collection.CollectionCommand.PostPayment;
import io.steadfast.examples.collection.CollectionCommand.Query;
import io.steadfast.examples.collection.CollectionCommand.QueueSnapshot;
import io.steadfast.examples.collection.CollectionCommand.RecordPromise;
import io.steadfast.examples.collection.CollectionCommand.RunDailyAging;
import io.steadfast.examples.collection.CollectionResult.AccountAssigned;
import io.steadfast.examples.collection.CollectionResult.AccountChargedOff;
import io.steadfast.examples.collection.CollectionResult.AccountDetails;
import io.steadfast.examples.collection.CollectionResult.AccountOpened;
import io.steadfast.examples.collection.CollectionResult.AgingCompleted;
import io.steadfast.examples.collection.CollectionResult.ContactLogged;
import io.steadfast.examples.collection.CollectionResult.PaymentPosted;
import io.steadfast.examples.collection.CollectionResult.PromiseRecorded;
import io.steadfast.examples.collection.CollectionResult.QueueEmpty;
import io.steadfast.examples.collection.CollectionResult.QueueListing;
import io.steadfast.examples.collection.CollectionRuleException.Violation;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Delinquent Loan Collection System as a Steadfast application.
 *
 * <p>{@code apply} is deterministic: it reads time only from {@link ApplyContext#timestamp()}
 * (through {@link CollectionRules#businessDate}), keeps everything in sorted maps and iterates them
 * in key order. It is failure-atomic: every command is validated before anything changes, and
 * accounts are changed on copies that replace the originals only once nothing can fail, so a
 * rejected command (any exception) leaves the state exactly as it was. Every accepted command
 * records the session's resume point given by {@link ResumePoints#after}. Read-only commands are
 * answered by {@link #query}; sent through {@code apply} they are answered the same way and change
 * nothing, not even the resume point.
 *
 * <p><b>Threads.</b> Not thread-safe on its own; it relies on the runtime's guarantee that {@code
 * apply}, {@code checkpoint} and {@code restore} run one at a time and that queries never overlap
 * them. Queries only read. {@link #health()} reads no state.
 */
public final class LoanCollectionApplication
    implements ResilientApplication<CollectionCommand, CollectionResult> {

  /** The checkpoint payload version this class writes and the only one it reads. */
  public static final int CHECKPOINT_VERSION = 1;

  private CollectionState state = new CollectionState();

  /** A new, empty system: no accounts, no business date yet. */
  public LoanCollectionApplication() {}

  /** The codec for this application's commands and results: JSON tagged by simple type name. */
  public static JacksonCodec<CollectionCommand, CollectionResult> codec() {
    return JacksonCodec.of(CollectionCommand.class, CollectionResult.class);
  }

  @Override
  public CollectionResult apply(CollectionCommand command, ApplyContext context) {
    CollectionResult result;
    if (command instanceof Query query) {
      result = answer(query);
    } else {
      LocalDate today = CollectionRules.businessDate(context.timestamp());
      result = mutate((Mutation) command, context.principal().user(), today);
    }
    context.setResumePoint(ResumePoints.after(context.resumePoint(), command, result));
    return result;
  }

  @Override
  public CollectionResult query(CollectionCommand request, QueryContext context) {
    if (request instanceof Query query) {
      return answer(query);
    }
    throw new CollectionRuleException(
        Violation.NOT_A_QUERY, request.getClass().getSimpleName() + " changes state; submit it");
  }

  @Override
  public void checkpoint(CheckpointWriter out) throws IOException {
    state.writeTo(out);
  }

  @Override
  public void restore(CheckpointReader in) throws IOException {
    if (in.version() != CHECKPOINT_VERSION) {
      throw new IOException(
          "unsupported checkpoint version "
              + in.version()
              + "; this application reads "
              + CHECKPOINT_VERSION);
    }
    state = CollectionState.readFrom(in);
  }

  @Override
  public int checkpointVersion() {
    return CHECKPOINT_VERSION;
  }

  @Override
  public Health health() {
    return Health.up();
  }

  private CollectionResult mutate(Mutation command, String user, LocalDate today) {
    LocalDate current = state.businessDate;
    LocalDate asOf = current != null ? current : today;
    CollectionResult result;
    if (command instanceof OpenDelinquentAccount open) {
      result = open(open, asOf);
    } else if (command instanceof RunDailyAging aging) {
      result = age(aging, today);
    } else if (command instanceof NextInQueue next) {
      result = nextInQueue(next, user, asOf);
    } else if (command instanceof LogContact contact) {
      result = logContact(contact, user, asOf);
    } else if (command instanceof RecordPromise promise) {
      result = recordPromise(promise, user, asOf);
    } else if (command instanceof PostPayment payment) {
      result = postPayment(payment, asOf);
    } else if (command instanceof ChargeOff chargeOff) {
      result = chargeOff(chargeOff, asOf);
    } else {
      throw new IllegalArgumentException("unknown command type: " + command.getClass().getName());
    }
    if (state.businessDate == null) {
      state.businessDate = asOf;
    }
    return result;
  }

  private CollectionResult answer(Query query) {
    LocalDate asOf = state.businessDate;
    if (query instanceof GetAccount get) {
      Account account = state.account(get.accountId());
      if (asOf == null) {
        throw new IllegalStateException(
            "account " + get.accountId() + " held without a business date");
      }
      return new AccountDetails(account.view(asOf));
    }
    QueueSnapshot snapshot = (QueueSnapshot) query;
    if (asOf == null) {
      return new QueueListing(snapshot.bucket(), 0, List.of());
    }
    List<QueueEntry> queue = state.queue(snapshot.bucket(), asOf);
    return new QueueListing(
        snapshot.bucket(),
        queue.size(),
        queue.subList(0, Math.min(snapshot.limit(), queue.size())));
  }

  private AccountOpened open(OpenDelinquentAccount command, LocalDate asOf) {
    if (state.accounts.containsKey(command.accountId())) {
      throw new CollectionRuleException(
          Violation.ACCOUNT_EXISTS, "account " + command.accountId() + " is already open");
    }
    Account account = Account.open(command);
    state.accounts.put(account.id, account);
    return new AccountOpened(account.view(asOf));
  }

  private AgingCompleted age(RunDailyAging command, LocalDate today) {
    LocalDate current = state.businessDate;
    if (current != null && today.isBefore(current)) {
      throw new CollectionRuleException(
          Violation.BUSINESS_DATE_BACKWARDS,
          "leader date " + today + " is before business date " + current);
    }
    List<Account> aged = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    List<String> chargedOff = new ArrayList<>();
    int fees = 0;
    for (Account account : state.accounts.values()) {
      if (account.status != AccountStatus.ACTIVE) {
        continue;
      }
      Account copy = account.copy();
      DailyAging.Effect effect = DailyAging.age(copy, today);
      aged.add(copy);
      fees += effect.lateFees();
      if (effect.promiseBroken()) {
        broken.add(copy.id);
      }
      if (effect.chargedOff()) {
        chargedOff.add(copy.id);
      }
    }
    for (Account copy : aged) {
      state.accounts.put(copy.id, copy);
    }
    state.businessDate = today;
    return new AgingCompleted(command.batch(), today, aged.size(), fees, broken, chargedOff);
  }

  private CollectionResult nextInQueue(NextInQueue command, String user, LocalDate asOf) {
    List<QueueEntry> queue = state.queue(command.bucket(), asOf);
    for (Account account : List.copyOf(state.accounts.values())) {
      if (account.assignedTo.equals(user)) {
        Account released = account.copy();
        released.assignedTo = "";
        state.accounts.put(released.id, released);
      }
    }
    if (queue.isEmpty()) {
      return new QueueEmpty(command.bucket());
    }
    QueueEntry head = queue.get(0);
    Account taken = state.account(head.accountId()).copy();
    taken.assignedTo = user;
    state.accounts.put(taken.id, taken);
    return new AccountAssigned(command.bucket(), head.priority(), taken.view(asOf));
  }

  private ContactLogged logContact(LogContact command, String user, LocalDate asOf) {
    Account account = workedBy(command.accountId(), user);
    Account copy = account.copy();
    copy.contactAttempts++;
    copy.lastContactDate = asOf;
    copy.lastOutcome = command.outcome();
    state.accounts.put(copy.id, copy);
    return new ContactLogged(command.outcome(), copy.view(asOf));
  }

  private PromiseRecorded recordPromise(RecordPromise command, String user, LocalDate asOf) {
    Account account = workedBy(command.accountId(), user);
    Account.Promise open = account.promise;
    if (open != null) {
      throw new CollectionRuleException(
          Violation.PROMISE_OPEN,
          "account "
              + account.id
              + " already has a promise of "
              + open.amount().toPlainString()
              + " by "
              + open.promisedDate());
    }
    LocalDate latest = asOf.plusDays(CollectionRules.PROMISE_HORIZON_DAYS);
    if (command.promisedDate().isBefore(asOf) || command.promisedDate().isAfter(latest)) {
      throw new CollectionRuleException(
          Violation.PROMISE_DATE_OUT_OF_RANGE,
          "promisedDate must be from " + asOf + " to " + latest + ": " + command.promisedDate());
    }
    requireAtMostOwed(account, command.amount());
    Account copy = account.copy();
    copy.promise =
        new Account.Promise(command.amount(), command.promisedDate(), asOf, Require.ZERO);
    state.accounts.put(copy.id, copy);
    return new PromiseRecorded(copy.view(asOf));
  }

  private PaymentPosted postPayment(PostPayment command, LocalDate asOf) {
    CollectionState.PostedPayment earlier = state.payments.get(command.paymentReference());
    if (earlier != null) {
      throw new DuplicatePaymentException(command.paymentReference(), earlier.accountId());
    }
    Account account = state.account(command.accountId());
    if (account.status == AccountStatus.PAID_OFF) {
      throw new CollectionRuleException(
          Violation.ACCOUNT_CLOSED, "account " + account.id + " is paid off");
    }
    requireAtMostOwed(account, command.amount());
    Account copy = account.copy();
    boolean kept = false;
    Account.Promise open = copy.promise;
    if (open != null) {
      BigDecimal paid = open.paidSoFar().add(command.amount());
      if (paid.compareTo(open.amount()) >= 0) {
        copy.promise = null;
        copy.promisesKept++;
        kept = true;
      } else {
        copy.promise = new Account.Promise(open.amount(), open.promisedDate(), open.madeOn(), paid);
      }
    }
    PaymentAllocation allocation = copy.receive(command.amount());
    state.accounts.put(copy.id, copy);
    state.payments.put(
        command.paymentReference(),
        new CollectionState.PostedPayment(copy.id, command.amount(), asOf));
    return new PaymentPosted(command.paymentReference(), allocation, kept, copy.view(asOf));
  }

  private AccountChargedOff chargeOff(ChargeOff command, LocalDate asOf) {
    Account account = active(command.accountId());
    Account copy = account.copy();
    BigDecimal amount = copy.chargeOff(command.reason());
    state.accounts.put(copy.id, copy);
    return new AccountChargedOff(amount, copy.view(asOf));
  }

  private Account active(String accountId) {
    Account account = state.account(accountId);
    if (account.status != AccountStatus.ACTIVE) {
      throw new CollectionRuleException(
          Violation.ACCOUNT_CLOSED,
          "account " + accountId + " is " + account.status.name().toLowerCase(Locale.ROOT));
    }
    return account;
  }

  private Account workedBy(String accountId, String user) {
    Account account = active(accountId);
    if (!account.assignedTo.equals(user)) {
      throw new CollectionRuleException(
          Violation.NOT_ASSIGNED,
          "account "
              + accountId
              + " is not assigned to "
              + user
              + (account.assignedTo.isEmpty() ? "" : " but to " + account.assignedTo));
    }
    return account;
  }

  private static void requireAtMostOwed(Account account, BigDecimal amount) {
    BigDecimal owed = account.totalOwed();
    if (amount.compareTo(owed) > 0) {
      throw new CollectionRuleException(
          Violation.AMOUNT_EXCEEDS_BALANCE,
          "amount "
              + amount.toPlainString()
              + " exceeds "
              + owed.toPlainString()
              + " owed on account "
              + account.id);
    }
  }
}
