package io.steadfast.examples.mortgage;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.CertificationSuite;
import io.steadfast.testkit.workload.Workload;

/**
 * Certifies the Mortgage Loan Production System: every rule of {@code docs/spec.md}, pure and on an
 * embedded cluster, with the pipeline's own seeded workflows as the workload. The certificate is
 * written to {@code target/steadfast-certification/}.
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
}
