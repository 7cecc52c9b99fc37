package io.steadfast.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.api.session.ResumePoint;
import io.steadfast.examples.mortgage.LoanCommand;
import io.steadfast.examples.mortgage.LoanRequest;
import io.steadfast.examples.mortgage.LoanResult;
import io.steadfast.examples.mortgage.LoanRoles;
import io.steadfast.examples.mortgage.MortgageLoanApplication;
import io.steadfast.examples.mortgage.ResumePoints;
import io.steadfast.runtime.EmbeddedCluster;
import io.steadfast.runtime.Session;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The README's sample, run for real; GuideSnippetsTest keeps the README's copy identical. */
class ReadmeSampleIT {

  @Test
  void readmeSample_submitsCrashesAndResumes() {
    LoanRequest request =
        new LoanRequest(
            "Ada Byron",
            new BigDecimal("9000"),
            new BigDecimal("500"),
            new BigDecimal("400000"),
            new BigDecimal("300000"),
            360,
            new BigDecimal("6.5"));
    LoanCommand submit = new LoanCommand.SubmitApplication(request);
    try (EmbeddedCluster<LoanCommand, LoanResult> cluster =
        EmbeddedCluster.<LoanCommand, LoanResult>builder()
            .nodes(3)
            .application(MortgageLoanApplication::new)
            .codec(MortgageLoanApplication.codec())
            .start()) {
      Session<LoanCommand, LoanResult> alice =
          cluster.client().openSession(LoanRoles.officer("alice"));
      LoanResult result = alice.execute(submit); // mirrored to a majority, applied once
      cluster.crash(cluster.primary().id()); // the primary dies; a backup takes over
      ResumePoint where = alice.resumePoint(); // read from the new primary
      assertThat(where).isEqualTo(ResumePoints.after(ResumePoint.start(), submit, result));
    }
  }
}
