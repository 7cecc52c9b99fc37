package io.steadfast.runtime.testapp;

import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;

/** Commands of the test ledger. */
public sealed interface LedgerCommand {

  /** Adds {@code amount} to {@code account}; {@code op} names the operation uniquely. */
  @RolesAllowed({"clerk", "auditor"})
  record Deposit(String account, long amount, String op) implements LedgerCommand {}

  /** Always rejected by apply, after validating; changes nothing. */
  @RolesAllowed("clerk")
  record Overdraw(String account) implements LedgerCommand {}

  /** Only auditors may close the books. */
  @RolesAllowed("auditor")
  record CloseBooks() implements LedgerCommand {}

  /** Counts {@code op} as applied, then returns null: a result the runtime cannot hand back. */
  @RolesAllowed("clerk")
  record ReturnNothing(String op) implements LedgerCommand {}

  /** Counts {@code op} as applied, then throws an {@link AssertionError} on every replica. */
  @RolesAllowed("clerk")
  record Fail(String op) implements LedgerCommand {}

  /** Rejected with a message holding an identity hash, different on every replica. */
  @RolesAllowed("clerk")
  record Refuse() implements LedgerCommand {}

  /**
   * Version 2 of the ledger: adds {@code percent} of the balance to {@code account}. Refused until
   * the cluster's active version is 2.
   */
  @io.steadfast.api.Since(2)
  @RolesAllowed("clerk")
  record Interest(String account, long percent, String op) implements LedgerCommand {}

  /** Read-only: an account's balance. */
  @PermitAll
  record Balance(String account) implements LedgerCommand {}
}
