package io.steadfast.examples.mortgage;

import static io.steadfast.examples.mortgage.Fixtures.CLOSER;
import static io.steadfast.examples.mortgage.Fixtures.OFFICER;
import static io.steadfast.examples.mortgage.Fixtures.UNDERWRITER;

import io.steadfast.testkit.checkpoint.GoldenCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;

/**
 * The checkpoint that release 1 of the mortgage example wrote, kept as a file under {@code
 * src/test/resources/golden/} the way a vendor keeps what its shipped release wrote. {@link
 * #pipeline} is the pipeline it holds: one loan in every stage, built by release 1's commands.
 */
final class ReleaseOneGoldens {

  /** The file, on the test class path. */
  static final String RESOURCE = "/golden/mortgage-release-1.checkpoint";

  private ReleaseOneGoldens() {}

  /** The golden checkpoints for {@code goldenCheckpoints()}: the file, checkpoint version 1. */
  static List<GoldenCheckpoint> all() {
    return List.of(GoldenCheckpoint.of("mortgage-release-1", 1, bytes()));
  }

  /** The file's bytes. */
  static byte[] bytes() {
    try (InputStream in = ReleaseOneGoldens.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Builds, with release 1's commands only, a pipeline with one loan in each stage: applied, credit
   * checked, appraised, approved, closing scheduled, funded, declined and withdrawn.
   */
  static void pipeline(Harness harness) {
    Fixtures.submitted(harness, Fixtures.goodRequest("Ada Applied"));
    String credit = Fixtures.submitted(harness, Fixtures.goodRequest("Carl Credit"));
    harness.apply(OFFICER, new LoanCommand.RecordCreditReport(credit, 705));
    Fixtures.appraised(harness, Fixtures.goodRequest("Ann Appraised"), 690, "310000");
    Fixtures.approved(harness, Fixtures.goodRequest("Abe Approved"));
    String scheduled = Fixtures.approved(harness, Fixtures.goodRequest("Sam Scheduled"));
    harness.apply(
        CLOSER, new LoanCommand.ScheduleClosing(scheduled, LocalDate.parse("2024-03-20")));
    String funded = Fixtures.approved(harness, Fixtures.goodRequest("Fay Funded"));
    harness.apply(CLOSER, new LoanCommand.ScheduleClosing(funded, LocalDate.parse("2024-03-15")));
    harness.apply(CLOSER, new LoanCommand.FundLoan(funded));
    String declined =
        Fixtures.appraised(harness, Fixtures.goodRequest("Dan Declined"), 710, "300000");
    harness.apply(
        UNDERWRITER,
        new LoanCommand.Underwrite(declined, Verdict.DECLINE, List.of(), "employment ended"));
    String withdrawn = Fixtures.submitted(harness, Fixtures.goodRequest("Wes Withdrawn"));
    harness.apply(OFFICER, new LoanCommand.WithdrawApplication(withdrawn, "bought elsewhere"));
  }
}
