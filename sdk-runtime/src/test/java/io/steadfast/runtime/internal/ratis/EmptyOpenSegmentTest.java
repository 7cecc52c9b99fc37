package io.steadfast.runtime.internal.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty open journal segment, as a process killed right after creating the next segment leaves
 * it, is no damage: before, the start-up check read it as damage and tried to set it aside after
 * the engine had deleted it while reading its name, and the member refused to start.
 */
class EmptyOpenSegmentTest {

  @TempDir Path current;
  @TempDir Path quarantine;

  @Test
  void anEmptyOpenSegment_isNeitherDamageNorAnError() throws Exception {
    Path empty = Files.createFile(current.resolve("log_inprogress_1869"));

    JournalRepair.Report report = JournalRepair.repair(current, () -> quarantine);

    assertThat(report.repaired()).as(String.join("; ", report.what())).isFalse();
    assertThat(report.journalCut()).isFalse();
    assertThat(JournalFiles.bounds(current)).isEqualTo(new JournalFiles.Bounds(-1, -1));
    assertThat(empty).as("left where it is, for the engine to delete").exists();
    try (var aside = Files.list(quarantine)) {
      assertThat(aside).isEmpty();
    }
  }
}
