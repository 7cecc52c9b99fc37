package io.steadfast.examples.mortgage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The golden checkpoint of release 1 is exactly what building its pipeline at checkpoint version 1
 * still writes: a change to the version 1 format fails here before it reaches a customer. Run with
 * {@code -Dgoldens.write=true} only when release 1 itself is being cut, to write the file.
 */
class ReleaseOneGoldensTest {

  @Test
  void releaseOneGolden_isWhatTheReleaseOnePipelineCheckpointsTo() throws IOException {
    Harness harness = new Harness();
    ReleaseOneGoldens.pipeline(harness);
    byte[] now = harness.checkpoint();
    if (Boolean.getBoolean("goldens.write")) {
      Path file = Path.of("src/test/resources" + ReleaseOneGoldens.RESOURCE);
      Files.write(file, now);
    }
    assertThat(ReleaseOneGoldens.bytes()).isEqualTo(now);
  }

  @Test
  void releaseOneGolden_holdsOneLoanInEveryStage() throws IOException {
    MortgageLoanApplication app = new MortgageLoanApplication();
    Harness.restore(app, ReleaseOneGoldens.bytes(), 1);
    Harness harness = new Harness(app);
    for (LoanStage stage : LoanStage.values()) {
      LoanResult.Pipeline pipeline =
          (LoanResult.Pipeline)
              harness.query(Fixtures.OFFICER, new LoanCommand.ListPipeline(stage, 10));
      assertThat(pipeline.total()).as("loans in %s", stage).isEqualTo(1);
    }
  }
}
