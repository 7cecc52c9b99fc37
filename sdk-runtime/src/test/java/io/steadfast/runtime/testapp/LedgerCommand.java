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

  /** Read-only: an account's balance. */
  @PermitAll
  record Balance(String account) implements LedgerCommand {}
}
