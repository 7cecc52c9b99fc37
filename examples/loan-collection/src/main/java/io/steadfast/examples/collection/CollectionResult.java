package io.steadfast.examples.collection;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What the collection system answers to a {@link CollectionCommand}.
 *
 * <p>Every result is an immutable record and thread-safe. Account-related results carry an {@link
 * AccountView} of the account as it stands after the command, so a client never needs a second read
 * to decide its next step.
 */
public sealed interface CollectionResult
    permits CollectionResult.AccountOpened,
        CollectionResult.AgingCompleted,
        CollectionResult.AccountAssigned,
        CollectionResult.QueueEmpty,
        CollectionResult.ContactLogged,
        CollectionResult.PromiseRecorded,
        CollectionResult.PaymentPosted,
        CollectionResult.AccountChargedOff,
        CollectionResult.AccountDetails,
        CollectionResult.QueueListing {

  /**
   * An account was opened.
   *
   * @param account the new account
   */
  record AccountOpened(AccountView account) implements CollectionResult {

    /** Validates the fields. */
    public AccountOpened {
      Require.present("account", account);
    }
  }

  /**
   * A daily aging run finished. The account id lists are sorted.
   *
   * @param batch the run's label, from the command
   * @param businessDate the new business date
   * @param accountsAged how many active accounts were aged
   * @param lateFeesAssessed how many late fees were assessed in this run
   * @param brokenPromises accounts whose promise broke in this run
   * @param chargedOff accounts charged off in this run
   */
  record AgingCompleted(
      String batch,
      LocalDate businessDate,
      int accountsAged,
      int lateFeesAssessed,
      List<String> brokenPromises,
      List<String> chargedOff)
      implements CollectionResult {

    /** Validates the fields and copies the lists. */
    public AgingCompleted {
      Require.id("batch", batch);
      Require.present("businessDate", businessDate);
      Require.nonNegative("accountsAged", accountsAged);
      Require.nonNegative("lateFeesAssessed", lateFeesAssessed);
      brokenPromises = List.copyOf(Require.present("brokenPromises", brokenPromises));
      chargedOff = List.copyOf(Require.present("chargedOff", chargedOff));
    }
  }

  /**
   * The submitting collector now holds this account, taken from the head of a bucket queue.
   *
   * @param bucket the queue it came from
   * @param priority its priority when taken
   * @param account the account, with {@code assignedTo} set to the collector
   */
  record AccountAssigned(Bucket bucket, int priority, AccountView account)
      implements CollectionResult {

    /** Validates the fields. */
    public AccountAssigned {
      Require.present("bucket", bucket);
      Require.nonNegative("priority", priority);
      Require.present("account", account);
    }
  }

  /**
   * The bucket queue had no account to give; the collector's previous account, if any, was released
   * all the same.
   *
   * @param bucket the empty queue
   */
  record QueueEmpty(Bucket bucket) implements CollectionResult {

    /** Validates the fields. */
    public QueueEmpty {
      Require.present("bucket", bucket);
    }
  }

  /**
   * A contact attempt was logged.
   *
   * @param outcome what happened
   * @param account the account after the attempt
   */
  record ContactLogged(ContactOutcome outcome, AccountView account) implements CollectionResult {

    /** Validates the fields. */
    public ContactLogged {
      Require.present("outcome", outcome);
      Require.present("account", account);
    }
  }

  /**
   * A promise to pay was recorded; {@code account.promise()} holds it.
   *
   * @param account the account after recording
   */
  record PromiseRecorded(AccountView account) implements CollectionResult {

    /** Validates the fields. */
    public PromiseRecorded {
      Require.present("account", account);
    }
  }

  /**
   * A payment was posted.
   *
   * @param paymentReference the payment's reference
   * @param allocation where the money went
   * @param promiseKept whether this payment completed an open promise
   * @param account the account after the payment
   */
  record PaymentPosted(
      String paymentReference,
      PaymentAllocation allocation,
      boolean promiseKept,
      AccountView account)
      implements CollectionResult {

    /** Validates the fields. */
    public PaymentPosted {
      Require.id("paymentReference", paymentReference);
      Require.present("allocation", allocation);
      Require.present("account", account);
    }
  }

  /**
   * An account was charged off by a manager.
   *
   * @param amount the balance moved to charged-off
   * @param account the account after the charge-off
   */
  record AccountChargedOff(BigDecimal amount, AccountView account) implements CollectionResult {

    /** Validates the fields. */
    public AccountChargedOff {
      amount = Require.nonNegativeCents("amount", amount);
      Require.present("account", account);
    }
  }

  /**
   * The answer to {@link CollectionCommand.GetAccount}.
   *
   * @param account the account as of the business date
   */
  record AccountDetails(AccountView account) implements CollectionResult {

    /** Validates the fields. */
    public AccountDetails {
      Require.present("account", account);
    }
  }

  /**
   * The answer to {@link CollectionCommand.QueueSnapshot}.
   *
   * @param bucket the queue
   * @param eligible how many accounts the queue holds in all
   * @param entries its head, in the order {@link CollectionCommand.NextInQueue} hands it out
   */
  record QueueListing(Bucket bucket, int eligible, List<QueueEntry> entries)
      implements CollectionResult {

    /** Validates the fields and copies the list. */
    public QueueListing {
      Require.present("bucket", bucket);
      Require.nonNegative("eligible", eligible);
      entries = List.copyOf(Require.present("entries", entries));
      if (entries.size() > eligible) {
        throw new IllegalArgumentException(
            "entries must not outnumber eligible (" + eligible + "): " + entries.size());
      }
    }
  }
}
