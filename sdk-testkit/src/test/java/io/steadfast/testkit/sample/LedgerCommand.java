package io.steadfast.testkit.sample;

import javax.annotation.security.RolesAllowed;

/** What a teller can do to the ledger. Amounts are in cents. Tellers only. */
@RolesAllowed("teller")
public sealed interface LedgerCommand {

  /** The account the command is about (the debited one for a transfer). */
  String account();

  /** Opens an account with an overdraft limit. */
  record Open(String account, String owner, long overdraftLimit) implements LedgerCommand {}

  /** Pays money in. */
  record Deposit(String account, long amount) implements LedgerCommand {}

  /** Takes money out, down to minus the overdraft limit. */
  record Withdraw(String account, long amount) implements LedgerCommand {}

  /** Moves money between two accounts. */
  record Transfer(String account, String to, long amount) implements LedgerCommand {}

  /** Reads an account; answered by {@code query} on the cluster, never journaled there. */
  record Balance(String account) implements LedgerCommand {}

  /** Closes an account whose balance is zero. */
  record Close(String account) implements LedgerCommand {}
}
