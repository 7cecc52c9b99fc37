package io.steadfast.testkit.sample;

import io.steadfast.api.checkpoint.FrozenState;
import java.util.Map;
import java.util.TreeMap;

/**
 * The correct ledger with a frozen state: {@link #freeze} copies the sorted map of accounts (the
 * accounts themselves are immutable records, so a shallow copy is enough) and writes the copy
 * later, so that apply may go on meanwhile.
 *
 * <p>Open for extension only so that the self-tests can break it. Not thread-safe, except that the
 * frozen state it returns may be written on another thread while the ledger applies commands.
 */
public class FreezingLedger extends Ledger {

  @Override
  public FrozenState freeze() {
    Map<String, Account> copy = new TreeMap<>(accounts);
    return out -> writeAccounts(out, copy);
  }
}
