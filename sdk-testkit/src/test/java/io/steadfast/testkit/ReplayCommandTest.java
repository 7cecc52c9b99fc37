package io.steadfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  @Test
  void withAWrapperAtTheRoot_runsItForTheModule(@TempDir Path root) throws Exception {
    Files.createFile(root.resolve("mvnw"));
    Path module = Files.createDirectories(root.resolve("apps/loans"));

    assertThat(ReplayCommand.of(module, ReplayCommandTest.class, "JR1_x", 7, false))
        .isEqualTo(
            "./mvnw -pl apps/loans verify -Dsteadfast.seed=7 -Dtest='ReplayCommandTest#JR1_x'");
  }

  @Test
  void withoutAWrapper_runsMavenInTheModule(@TempDir Path module) {
    assertThat(ReplayCommand.of(module, ReplayCommandTest.class, "JR1_x", 7, true))
        .isEqualTo(
            "mvn verify -Dsteadfast.seed=7 -Dsteadfast.deep=true"
                + " -Dtest='ReplayCommandTest#JR1_x'");
  }
}
