package io.steadfast.examples.collection;

import io.steadfast.api.ResilientApplication;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.testkit.CertificationSuite;
import io.steadfast.testkit.workload.Workload;

/**
 * Certifies the Delinquent Loan Collection System: every rule of {@code docs/spec.md}, pure and on
 * an embedded cluster, with a loaded portfolio and seeded collectors as the workload. The
 * certificate is written to {@code target/steadfast-certification/}.
 */
class CollectionCertificationIT extends CertificationSuite<CollectionCommand, CollectionResult> {

  @Override
  protected ResilientApplication<CollectionCommand, CollectionResult> newApplication() {
    return new LoanCollectionApplication();
  }

  @Override
  protected CommandCodec<CollectionCommand, CollectionResult> codec() {
    return LoanCollectionApplication.codec();
  }

  @Override
  protected Workload<CollectionCommand, CollectionResult> workload() {
    return new CollectionWorkload();
  }
}
