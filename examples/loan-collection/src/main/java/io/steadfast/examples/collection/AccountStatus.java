package io.steadfast.examples.collection;

/**
 * Where an account stands in its life in the collection system.
 *
 * <p>Immutable and thread-safe.
 */
public enum AccountStatus {
  /** Owes money and is aged every business day; queued while delinquent. */
  ACTIVE,
  /** Everything owed was paid; no longer aged or queued, and takes no more payments. */
  PAID_OFF,
  /**
   * Written off: the whole balance moved to the charged-off balance. No longer aged or queued;
   * payments are still taken as recoveries.
   */
  CHARGED_OFF
}
