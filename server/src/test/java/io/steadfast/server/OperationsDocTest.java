package io.steadfast.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/operations.md documents every configuration key the server reads. */
class OperationsDocTest {

  @Test
  void everyKey_isInTheOperationsGuide() throws Exception {
    String guide = Files.readString(Path.of("..", "docs", "operations.md"));
    for (String key : ServerConfig.KEYS.keySet()) {
      assertThat(guide).as("docs/operations.md names " + key).contains("`" + key + "`");
    }
  }
}
