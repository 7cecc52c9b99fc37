package io.steadfast.examples.mortgage;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.CertificationSuite;
import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import io.steadfast.testkit.workload.Workload;
import java.util.List;
import java.util.Optional;

/**
 * Certifies the Mortgage Loan Production System: every rule of {@code docs/spec.md}, pure and on an
 * embedded cluster, with the pipeline's own seeded workflows as the workload, and the upgrade rules
 * against release 1 and the checkpoint it wrote. The certificate is written to {@code
 * target/steadfast-certification/}.
 */
class MortgageCertificationIT extends CertificationSuite<LoanCommand, LoanResult> {

  @Override
  protected ResilientApplication<LoanCommand, LoanResult> newApplication() {
    return new MortgageLoanApplication();
  }

  @Override
  protected CommandCodec<LoanCommand, LoanResult> codec() {
    return MortgageLoanApplication.codec();
  }

  @Override
  protected Workload<LoanCommand, LoanResult> workload() {
    return new PipelineWorkload();
  }

  /** Release 1, which this release must be able to replace member by member. */
  @Override
  protected Optional<ResilientApplication<LoanCommand, LoanResult>> previousRelease() {
    return Optional.of(MortgageLoanApplication.asRelease1());
  }

  /** The checkpoint release 1 wrote, kept as a file. */
  @Override
  protected List<GoldenCheckpoint> goldenCheckpoints() {
    return ReleaseOneGoldens.all();
  }
}
