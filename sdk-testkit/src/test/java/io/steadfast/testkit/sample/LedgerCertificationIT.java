package io.steadfast.testkit.sample;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.codec.jackson.JacksonCodec;
import io.steadfast.testkit.CertificationSuite;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Optional;

/**
 * The correct sample ledger certified as a vendor would: one class, three methods, named {@code
 * …IT} because the cluster rules run an embedded cluster. The release certified is {@link
 * LedgerV2}; declaring the previous release and its checkpoints brings in the upgrade rules.
 */
class LedgerCertificationIT extends CertificationSuite<LedgerCommand, Receipt> {

  @Override
  protected ResilientApplication<LedgerCommand, Receipt> newApplication() {
    return new LedgerV2();
  }

  @Override
  protected Optional<ResilientApplication<LedgerCommand, Receipt>> previousRelease() {
    return Optional.of(new Ledger());
  }

  @Override
  protected List<GoldenCheckpoint> goldenCheckpoints() {
    return LedgerGoldens.release1();
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
