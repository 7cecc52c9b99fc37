package io.steadfast.testkit.sample;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.CertificationSuite;
import io.steadfast.testkit.workload.Workload;

/**
 * The correct sample ledger certified as a vendor would: one class, three methods, named {@code
 * …IT} because the cluster rules run an embedded cluster.
 */
class LedgerCertificationIT extends CertificationSuite<LedgerCommand, Receipt> {

  @Override
  protected ResilientApplication<LedgerCommand, Receipt> newApplication() {
    return new Ledger();
  }

  @Override
  protected CommandCodec<LedgerCommand, Receipt> codec() {
    return JacksonCodec.of(LedgerCommand.class, Receipt.class);
  }

  @Override
  protected Workload<LedgerCommand, Receipt> workload() {
    return new TellerWorkload();
  }
}
