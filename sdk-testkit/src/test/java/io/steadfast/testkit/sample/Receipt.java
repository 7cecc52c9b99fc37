package io.steadfast.testkit.sample;

/**
 * The state of the account a command touched, after the command.
 *
 * @param account the account
 * @param owner its owner
 * @param balance its balance in cents
 * @param postings how many commands have changed it
 * @param open whether it is still open
 */
public record Receipt(String account, String owner, long balance, long postings, boolean open) {}
