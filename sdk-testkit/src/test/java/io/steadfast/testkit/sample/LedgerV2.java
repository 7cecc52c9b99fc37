package io.steadfast.testkit.sample;

import io.steadfast.api.ApplyContext;

/**
 * The sample ledger's next release: a withdrawal costs a fee of 1, but only once the cluster runs
 * application version 2. Until an operator finalizes the upgrade, it behaves exactly as {@link
 * Ledger}, so members of both releases can apply the same journal side by side.
 */
public class LedgerV2 extends Ledger {

  /** The fee version 2 charges per withdrawal. */
  public static final long FEE = 1;

  @Override
  protected long withdrawalFee(ApplyContext context) {
    return context.activeVersion() >= 2 ? FEE : 0;
  }

  @Override
  public int supportedVersion() {
    return 2;
  }
}
