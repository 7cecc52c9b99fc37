package io.steadfast.examples.mortgage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The vendor guide quotes this module's certification code; the quotes must stay verbatim. */
class CertificationGuideTest {

  private static final Path GUIDE = Path.of("..", "..", "docs", "certification.md");
  private static final Path TESTS =
      Path.of("src", "test", "java", "io", "steadfast", "examples", "mortgage");

  @Test
  void guide_quotesTheCertificationClassWhole() throws IOException {
    assertThat(read(GUIDE)).contains(read(TESTS.resolve("MortgageCertificationIT.java")));
  }

  @Test
  void guide_quotesTheWorkloadMethodsVerbatim() throws IOException {
    String workload = read(TESTS.resolve("PipelineWorkload.java"));
    String guide = read(GUIDE);
    for (String method : new String[] {"newUser", "isQuery"}) {
      int start = workload.lastIndexOf("  @Override", workload.indexOf(" " + method + "("));
      int end = workload.indexOf("\n  }\n", start) + 4;
      assertThat(guide).as(method).contains(workload.substring(start, end));
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
