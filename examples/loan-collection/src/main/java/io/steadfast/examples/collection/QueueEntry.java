package io.steadfast.examples.collection;

import java.math.BigDecimal;

/**
 * One account waiting in a bucket queue.
 *
 * <p>Immutable and thread-safe.
 *
 * @param accountId the account
 * @param priority its priority, by {@link CollectionRules#priority}
 * @param daysPastDue its days past due on the business date
 * @param amountPastDue its amount past due
 * @param daysSinceContact by {@link CollectionRules#daysSinceContact}
 */
public record QueueEntry(
    String accountId,
    int priority,
    int daysPastDue,
    BigDecimal amountPastDue,
    int daysSinceContact) {

  /** Validates the fields. */
  public QueueEntry {
    Require.id("accountId", accountId);
    Require.nonNegative("priority", priority);
    Require.nonNegative("daysPastDue", daysPastDue);
    amountPastDue = Require.nonNegativeCents("amountPastDue", amountPastDue);
    Require.nonNegative("daysSinceContact", daysSinceContact);
  }
}
